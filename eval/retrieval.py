"""Retrieval eval: hit@1, hit@5, MRR@10 for the system and two baselines, plus no-answer
precision/recall, on eval/datasets/retrieval_dev.jsonl against the KB and index in use.

A suggestion is correct when it is the labelled entry and, for policy clauses, its text
contains the labelled passage (``answer_contains``, compared after NFKC normalisation and
whitespace removal, so full/half-width punctuation does not matter); ``also_accept`` lists
equally good passages. Seed documents are matched by their source file name
(``answer_doc``) whatever title the ingest extracted; scripts by exact title.

No-answer: the system says "no answer" when its best score is below the threshold.
Precision = share of those refusals that are truly unanswerable; recall = share of the
unanswerable questions that were refused.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session

from assistant.retrieval import Candidate, Retriever
from assistant.runtime import Runtime
from assistant.sync import live_pairs
from kb.errors import InvalidInput
from kb.settings import PROJECT_ROOT

DEV_SET = PROJECT_ROOT / "eval" / "datasets" / "retrieval_dev.jsonl"
#: the dev set's labels assume this day (eval/datasets/README.md)
DEV_SET_DAY = dt.date(2026, 11, 22)
SYSTEMS = {
    "system": "混合检索 + 重排（系统）",
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
        alternatives = [row, *(row.get("also_accept") or [])]
        targets = tuple(
            Target(a.get("answer_title"), a.get("answer_doc"), a.get("answer_contains"))
            for a in alternatives
            if row.get("answerable")
        )
        out.append(
            Question(
                row["id"],
                row["q"],
                bool(row["answerable"]),
                row.get("source", "unanswerable"),
                targets,
            )
        )
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


def no_answer_at(tops: list[tuple[float, bool]], threshold: float) -> NoAnswerPoint:
    """Precision/recall of "no answer" = best score below ``threshold``."""
    refused = [answerable for score, answerable in tops if score < threshold]
    true_refusals = sum(1 for a in refused if not a)
    unanswerable = sum(1 for _, a in tops if not a)
    return NoAnswerPoint(
        threshold,
        true_refusals / len(refused) if refused else 1.0,
        true_refusals / unanswerable if unanswerable else 0.0,
        sum(1 for a in refused if a),
    )


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
        for name in SYSTEMS:
            result = retriever.search(question.text, on=day, mode=name, query_vector=vector)
            if name == "system":
                best = result.best
                tops.append((best.score if best else float("-inf"), question.answerable))
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
    threshold = retriever.weights.threshold
    report.no_answer = no_answer_at(tops, threshold).as_dict()
    report.tradeoff = [
        no_answer_at(tops, threshold + step * 0.005).as_dict() for step in range(-6, 7)
    ]
    # candidate cuts halfway between consecutive best scores; the suggestion is the one with
    # the highest recall at precision >= 0.9 (then the highest precision)
    scores = sorted({s for s, _ in tops if s != float("-inf")})
    cuts = [(a + b) / 2 for a, b in itertools.pairwise(scores)]
    good = [p for p in (no_answer_at(tops, c) for c in cuts) if p.precision >= 0.9 and p.recall]
    if good:
        report.suggested_threshold = max(good, key=lambda p: (p.recall, p.precision)).as_dict()
    report.seconds = round(time.perf_counter() - started, 1)
    return report
