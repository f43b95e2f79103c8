"""``ask``: the operator's question in, approved answers with their sources out.

Extractive on purpose: suggestions are the approved script or the policy clause verbatim,
with title, 文号, owner unit and validity, so an operator can read them out and cite them.
When no candidate passes the answer decision (:mod:`assistant.answerability`) the result
says so (``answered`` is false, no suggestions) and the question is recorded — masked — as
a KB gap for QA. An unknown ``region`` or ``unit`` is refused before anything is searched.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from assistant.retrieval import Candidate, Retriever
from assistant.runtime import Runtime, get_runtime
from assistant.scope import check_scope
from assistant.triage import alert_dicts
from kb.clock import today
from kb.errors import InvalidInput

log = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 1000
KIND_ZH = {"policy": "政策条款", "script": "答复口径", "faq": "常见问答", "notice": "通知公告"}


@dataclass
class Suggestion:
    """One suggested answer with its source and validity."""

    entry_id: int
    version: int
    kind: str
    title: str
    text: str
    heading_path: list[str]
    basis_title: str | None
    doc_no: str | None
    owner_unit: str
    effective_from: str | None
    expires_on: str | None
    score: float
    answers: bool  # passes the answer decision (the same one that decides ``answered``)
    matched_question: str | None = None

    @classmethod
    def of(cls, candidate: Candidate) -> Suggestion:
        """From a ranked candidate."""
        p = candidate.payload
        return cls(
            entry_id=int(p["entry_id"]),
            version=int(p["version"]),
            kind=p["kind"],
            title=p["title"],
            text=p.get("text") or "",
            heading_path=list(p.get("heading_path") or []),
            basis_title=p.get("basis_title"),
            doc_no=p.get("doc_no"),
            owner_unit=p.get("unit_name") or p.get("unit") or "",
            effective_from=p.get("effective_from"),
            expires_on=p.get("expires_on"),
            score=round(candidate.score, 4),
            answers=candidate.answers,
            matched_question=candidate.matched,
        )

    @property
    def kind_zh(self) -> str:
        """Chinese name of the kind."""
        return KIND_ZH.get(self.kind, self.kind)


@dataclass
class AskResult:
    """What ``ask`` returns (and ``hotline ask --json`` prints)."""

    question: str
    on: dt.date
    region: str | None
    answered: bool
    confidence: float
    triage: list = field(default_factory=list)  # assistant.triage alerts (110/119/120/122 …)
    suggestions: list[Suggestion] = field(default_factory=list)
    gap_id: int | None = None
    took_ms: float = 0.0
    warnings: list[str] = field(default_factory=list)  # e.g. an uncalibrated embedding model


def validate_question(question: str) -> str:
    """The question stripped; refuses empty and absurdly long input."""
    text = " ".join((question or "").split())
    if not text:
        raise InvalidInput("问题不能为空，请输入来电人的问题。")
    if len(text) > MAX_QUESTION_CHARS:
        raise InvalidInput(
            f"问题过长（{len(text)} 字，上限 {MAX_QUESTION_CHARS} 字），请概括后再问。"
        )
    return text


def mask_question(text: str) -> str:
    """The question with personal data replaced by irreversible placeholders.

    Callers say their name, phone and address in the same breath as their question; none of
    that may be stored, and none of it helps retrieval (a phone number full of "12345" even
    matches hotline documents), so it is masked before anything else happens.
    """
    from assistant.privacy import mask_for_storage

    return mask_for_storage(text)


_PLACEHOLDER = re.compile(r"〔[^〔〕\s]{1,16}〕")


def search_text(masked: str) -> str:
    """The masked question without placeholders: what retrieval sees."""
    return " ".join(_PLACEHOLDER.sub(" ", masked).split()) or masked


@dataclass(frozen=True)
class Prepared:
    """A validated question and its masked form (masking runs once per question)."""

    text: str
    masked: str

    @property
    def search(self) -> str:
        """What retrieval sees."""
        return search_text(self.masked)


def prepare(question: str) -> Prepared:
    """Validate, then mask: the only two things done to a question before retrieval."""
    text = validate_question(question)
    return Prepared(text, mask_question(text))


@dataclass
class Decision:
    """The result, plus what is kept for the log but never shown."""

    result: AskResult
    masked: str
    best: Candidate | None


def answer(
    question: str | Prepared,
    *,
    on: dt.date | None = None,
    region: str | None = None,
    top_k: int = 5,
    kinds: Sequence[str] | None = None,
    unit: str | None = None,
    runtime: Runtime | None = None,
    retriever: Retriever | None = None,
) -> AskResult:
    """Retrieve and decide, without touching the KB (nothing recorded)."""
    return decide(
        question,
        on=on,
        region=region,
        top_k=top_k,
        kinds=kinds,
        unit=unit,
        runtime=runtime,
        retriever=retriever,
    ).result


def decide(
    question: str | Prepared,
    *,
    on: dt.date | None = None,
    region: str | None = None,
    top_k: int = 5,
    kinds: Sequence[str] | None = None,
    unit: str | None = None,
    runtime: Runtime | None = None,
    retriever: Retriever | None = None,
) -> Decision:
    """Mask, retrieve, rank and decide whether the KB answers the question.

    ``question`` may come :func:`prepare`-d already (batch runs mask once, up front).
    """
    if not 1 <= top_k <= 50:
        raise InvalidInput("返回条数 top_k 应在 1 到 50 之间。")
    started = time.perf_counter()
    prepared = question if isinstance(question, Prepared) else prepare(question)
    retriever = retriever or Retriever(runtime or get_runtime())
    day = on or today()
    region = (region or "").strip() or None
    unit = (unit or "").strip() or None
    check_scope(retriever.runtime.settings, region, unit)
    found = retriever.search(prepared.search, on=day, region=region, kinds=kinds, unit=unit)
    best = found.best  # a candidate that answers comes first, if there is one
    answered = bool(best and best.answers)
    decision = retriever.decision
    confidence = decision.confidence(best.probability) if best else 0.0
    suggestions = [Suggestion.of(c) for c in found.candidates[:top_k]] if answered else []
    result = AskResult(
        question=prepared.text,
        on=day,
        region=region,
        answered=answered,
        confidence=round(confidence, 4),
        triage=alert_dicts(prepared.text),
        suggestions=suggestions,
        took_ms=round((time.perf_counter() - started) * 1000, 1),
        warnings=[decision.warning] if decision.warning else [],
    )
    return Decision(result, prepared.masked, best)


def ask(
    question: str | Prepared,
    *,
    on: dt.date | None = None,
    region: str | None = None,
    top_k: int = 5,
    kinds: Sequence[str] | None = None,
    unit: str | None = None,
    record: bool = True,
    channel: str = "api",
    runtime: Runtime | None = None,
    retriever: Retriever | None = None,
) -> AskResult:
    """Answer one caller question; what the API and ``hotline ask`` call.

    Builds the index from the KB first if none exists yet. With ``record``, the masked
    question is logged and, when unanswered, opens a KB gap for QA.
    """
    runtime = runtime or get_runtime()
    # bad input is refused before any index is built or model loaded
    prepared = question if isinstance(question, Prepared) else prepare(question)
    check_scope(runtime.settings, (region or "").strip() or None, (unit or "").strip() or None)
    if not runtime.index_exists():
        from assistant.sync import ensure_index
        from kb.db import get_database

        with get_database(runtime.settings).session() as session:
            ensure_index(session, runtime)
    decision = decide(
        prepared,
        on=on,
        region=region,
        top_k=top_k,
        kinds=kinds,
        unit=unit,
        runtime=runtime,
        retriever=retriever or Retriever(runtime),
    )
    if record:
        decision.result.gap_id = record_decision(decision, runtime, channel=channel)
    return decision.result


def record_decision(decision: Decision, runtime: Runtime, *, channel: str) -> int | None:
    """Log the masked question; returns the KB gap id when it was not answered.

    An unanswered question keeps the best guess (entry, score) for QA; it is never shown
    to the operator.
    """
    from assistant.privacy import mask_for_storage
    from kb.db import get_database
    from kb.gaps import record_ask

    result, best = decision.result, decision.best
    with get_database(runtime.settings).session() as session:
        _, gap = record_ask(
            session,
            question_masked=decision.masked,
            asked_for=result.on,
            answered=result.answered,
            confidence=result.confidence,
            # The region is free text too ("城关区幸福路12号3栋"): stored masked like the question.
            region=mask_for_storage(result.region) if result.region else None,
            channel=channel,
            top_entry_id=int(best.payload["entry_id"]) if best else None,
            top_version_no=int(best.payload["version"]) if best else None,
        )
        return gap.id if gap else None
