"""Scoring and measurement: retrieval eval, coverage, health scores, reports, benchmarks."""
