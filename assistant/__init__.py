"""Everything an operator sees: embedder, index, retrieval, answers, triage, form, dispatch."""
