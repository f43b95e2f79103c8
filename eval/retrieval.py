"""Retrieval eval: hit@1, hit@5, MRR@10 for the system and two baselines, plus no-answer
precision/recall, on eval/datasets/retrieval_dev.jsonl against the KB and index in use.

A suggestion is correct when it is the labelled entry and, for policy clauses, its text
contains the labelled passage (``answer_contains``, compared after NFKC normalisation and
whitespace removal, so full/half-width punctuation does not matter); ``also_accept`` lists
equally good passages and ``also_scripts`` answer scripts that answer a seed question as
well. Seed documents are matched by their source file name (``answer_doc``) whatever title
the ingest extracted; scripts by exact title. Any file in this format can be scored
(``--dataset``), e.g. an independent hold-out set.

No-answer: the system says "no answer" when no candidate for the right place passes the
answer decision (:mod:`assistant.answerability`). Precision = share of those refusals that
are truly unanswerable; recall = share of the unanswerable questions that were refused.
The trade-off table here is in-sample on the dev set the decision was fitted on; the
cross-validated one is what ``--calibrate`` prints (:mod:`eval.retrieval_fit`).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session

from assistant.retrieval import Candidate, Retrieval, Retriever
from assistant.runtime import Runtime
from assistant.sync import live_pairs
from kb.errors import InvalidInput
from kb.settings import PROJECT_ROOT

DEV_SET = PROJECT_ROOT / "eval" / "datasets" / "retrieval_dev.jsonl"
#: the dev set's labels assume this day (eval/datasets/README.md)
DEV_SET_DAY = dt.date(2026, 11, 22)
SYSTEMS = {
    "system": "混合检索 + 重排 + 答复判定（系统）",
    "score": "混合检索 + 重排（不按答复判定提前）",
    "rrf": "混合检索 RRF（无重排）",
    "sparse": "仅 BM25（基线）",
    "dense": "仅向量（基线）",
}
_SPACE = re.compile(r"\s+")


def _norm(text: str | None) -> str:
    return _SPACE.sub("", unicodedata.normalize("NFKC", text or ""))


@dataclass(frozen=True)
class Target:
    """One acceptable answer."""

    title: str | None
    doc: str | None
    contains: str | None


@dataclass(frozen=True)
class Question:
    """One dev-set item."""

    id: str
    text: str
    answerable: bool
    source: str
    targets: tuple[Target, ...]


def load_questions(path: Path = DEV_SET) -> list[Question]:
    """Parse the dev set (JSON Lines)."""
    if not path.exists():
        raise InvalidInput(f"找不到评测集 {path}。")
    out = []
    for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InvalidInput(f"评测集 {path.name} 第 {number} 行不是合法 JSON：{exc}") from exc
        text = row.get("q") or row.get("text") if isinstance(row, dict) else None
        if not isinstance(text, str) or not text.strip() or "answerable" not in row:
            raise InvalidInput(
                f"评测集 {path.name} 第 {number} 行应为含 q（问题）和 answerable 字段的 JSON 对象。"
            )
        alternatives = [row, *(row.get("also_accept") or [])]
        targets = tuple(
            Target(a.get("answer_title"), a.get("answer_doc"), a.get("answer_contains"))
            for a in alternatives
            if row["answerable"]
        ) + tuple(Target(t, None, None) for t in row.get("also_scripts") or [])
        out.append(
            Question(
                str(row.get("id") or f"line{number}"),
                text,
                bool(row["answerable"]),
                row.get("source") or ("unanswerable" if not row["answerable"] else "?"),
                targets,
            )
        )
    if not out:
        raise InvalidInput(f"评测集 {path.name} 中没有题目。")
    return out


def source_names(session: Session) -> dict[int, set[str]]:
    """Entry id → names of the file its live version was ingested from."""
    names: dict[int, set[str]] = {}
    for entry, version in live_pairs(session):
        found = set()
        if version.source_file:
            found.add(Path(version.source_file).name)
        original = (version.meta or {}).get("original_name")
        if original:
            found.add(str(original))
        names[entry.id] = found
    return names


def is_correct(question: Question, candidate: Candidate, sources: dict[int, set[str]]) -> bool:
    """Does this suggestion answer the question as labelled?"""
    payload = candidate.payload
    for target in question.targets:
        if target.doc:
            if target.doc not in sources.get(int(payload["entry_id"]), set()):
                continue
        elif _norm(payload.get("title")) != _norm(target.title):
            continue
        if target.contains and _norm(target.contains) not in _norm(payload.get("text")):
            continue
        return True
    return False


@dataclass
class Scores:
    """Ranking metrics of one system over the answerable questions."""

    n: int = 0
    hit1: int = 0
    hit5: int = 0
    rr: float = 0.0

    def add(self, rank: int | None) -> None:
        """Count one question whose first correct suggestion is at ``rank`` (0-based)."""
        self.n += 1
        if rank is not None and rank < 10:
            self.hit1 += rank == 0
            self.hit5 += rank < 5
            self.rr += 1.0 / (rank + 1)

    def as_dict(self) -> dict:
        """hit@1, hit@5, MRR@10."""
        n = max(self.n, 1)
        return {
            "n": self.n,
            "hit@1": round(self.hit1 / n, 3),
            "hit@5": round(self.hit5 / n, 3),
            "mrr@10": round(self.rr / n, 3),
        }


@dataclass
class NoAnswerPoint:
    """No-answer precision/recall at one threshold."""

    threshold: float
    precision: float
    recall: float
    refused_answerable: int

    def as_dict(self) -> dict:
        """JSON form."""
        return {
            "threshold": round(self.threshold, 3),
            "precision": round(self.precision, 3),
            "recall": round(self.recall, 3),
            "refused_answerable": self.refused_answerable,
        }


def no_answer_at(tops: list[tuple[float, bool]], cut: float) -> NoAnswerPoint:
    """Precision/recall of "no answer" = the best answer probability below ``cut``."""
    refused = [answerable for score, answerable in tops if score < cut]
    true_refusals = sum(1 for a in refused if not a)
    unanswerable = sum(1 for _, a in tops if not a)
    return NoAnswerPoint(
        cut,
        true_refusals / len(refused) if refused else 1.0,
        true_refusals / unanswerable if unanswerable else 0.0,
        sum(1 for a in refused if a),
    )


def answer_score(result: Retrieval) -> float:
    """The best answer probability among a question's candidates for the right place
    (what ``answered`` compares with the cut)."""
    return max((c.probability for c in result.candidates if c.applies), default=0.0)


@dataclass
class RetrievalReport:
    """Everything ``hotline eval retrieval`` prints."""

    dataset: str
    day: dt.date
    questions: int
    answerable: int
    unanswerable: int
    systems: dict[str, dict] = field(default_factory=dict)
    by_source: dict[str, dict] = field(default_factory=dict)
    no_answer: dict = field(default_factory=dict)
    tradeoff: list[dict] = field(default_factory=list)
    suggested_threshold: dict | None = None
    decision: dict = field(default_factory=dict)  # which answer model decided, and its cut
    misses: list[dict] = field(default_factory=list)
    missing_targets: list[str] = field(default_factory=list)
    seconds: float = 0.0


def evaluate(
    session: Session,
    runtime: Runtime,
    *,
    path: Path = DEV_SET,
    day: dt.date = DEV_SET_DAY,
    retriever: Retriever | None = None,
    progress: Callable[[int], None] | None = None,
) -> RetrievalReport:
    """Run every dev question through the system and both baselines (one embedding each)."""
    started = time.perf_counter()
    questions = load_questions(path)
    retriever = retriever or Retriever(runtime)
    sources = source_names(session)
    known_docs = set().union(*sources.values()) if sources else set()
    known_titles = {_norm(v.title) for _, v in live_pairs(session)}
    report = RetrievalReport(
        dataset=str(path.relative_to(PROJECT_ROOT) if path.is_relative_to(PROJECT_ROOT) else path),
        day=day,
        questions=len(questions),
        answerable=sum(q.answerable for q in questions),
        unanswerable=sum(not q.answerable for q in questions),
    )
    scores = {name: Scores() for name in SYSTEMS}
    per_source: dict[str, Scores] = {}
    tops: list[tuple[float, bool]] = []
    vectors = runtime.embedder.embed_queries([q.text for q in questions])
    for question, vector in zip(questions, vectors, strict=True):
        for target in question.targets[:1]:
            if target.doc and target.doc not in known_docs:
                report.missing_targets.append(f"{question.id}: {target.doc}")
            elif not target.doc and _norm(target.title) not in known_titles:
                report.missing_targets.append(f"{question.id}: {target.title}")
        system: Retrieval | None = None
        for name in SYSTEMS:
            if name == "score":
                assert system is not None
                result = Retrieval(
                    question.text, name, sorted(system.candidates, key=lambda c: -c.score)
                )
            else:
                result = retriever.search(question.text, on=day, mode=name, query_vector=vector)
            if name == "system":
                system = result
                tops.append((answer_score(result), question.answerable))
            if not question.answerable:
                continue
            rank = next(
                (
                    i
                    for i, c in enumerate(result.candidates[:10])
                    if is_correct(question, c, sources)
                ),
                None,
            )
            scores[name].add(rank)
            if name == "system":
                per_source.setdefault(question.source, Scores()).add(rank)
                if rank != 0:
                    top = result.best
                    report.misses.append(
                        {
                            "id": question.id,
                            "q": question.text,
                            "rank": None if rank is None else rank + 1,
                            "top": top.payload.get("title") if top else None,
                        }
                    )
        if progress:
            progress(1)
    report.systems = {name: s.as_dict() for name, s in scores.items()}
    report.by_source = {name: s.as_dict() for name, s in sorted(per_source.items())}
    decision = retriever.decision
    cut = decision.model.cut
    report.decision = {
        "embed_model": decision.embed_model,
        "calibrated": decision.calibrated,
        "features": list(decision.model.features),
        "cut": cut,
        "warning": decision.warning,
    }
    report.no_answer = no_answer_at(tops, cut).as_dict()
    report.tradeoff = [no_answer_at(tops, round(0.05 * i, 2)).as_dict() for i in range(1, 20)]
    # the in-sample suggestion: the highest recall at precision >= 0.9, refusing at most 5 %
    # of the answerable questions (``--calibrate`` chooses the same way, cross-validated)
    limit = 0.05 * report.answerable
    good = [
        p
        for p in (no_answer_at(tops, c) for c in sorted({s for s, _ in tops}))
        if p.precision >= 0.9 and p.recall and p.refused_answerable <= limit
    ]
    if good:
        report.suggested_threshold = max(good, key=lambda p: (p.recall, p.precision)).as_dict()
    report.seconds = round(time.perf_counter() - started, 1)
    return report
