"""Fitting the answer decision (:mod:`assistant.answerability`) on a labelled question set.

For every question the system's candidates are retrieved once; its five best candidates by
ranking score are training pairs, each labelled 1 when the question is answerable and that
candidate is a correct answer (:func:`eval.retrieval.is_correct`), else 0 — so the model
says whether *a suggestion* answers, which is what the per-suggestion flag shows. A logistic
regression (L2, Newton's method, standardised features, numpy only) is fitted on those
pairs for the embedding model in use (``FEATURES``), and the same way for the lexical
fallback of models never calibrated (``words``, ``nwords``: no embedding scale; fitting it
on each question's best candidate only gave the same operating point, 0.909 / 0.454 vs
0.916 / 0.471).

The operating point is chosen on out-of-fold predictions: 5-fold cross-validation by
question, repeated over 10 shuffles. At each cut a question counts as answered when any of
its candidates for the right place reaches the cut (as at run time); the cut kept is the one
with the highest no-answer recall whose mean precision is at least 0.9 and which refuses at
most 5 % of the answerable questions. The table of every cut is kept with the model.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from sqlalchemy.orm import Session

from assistant.answerability import FEATURES, LEXICAL, AnswerModel
from assistant.retrieval import Retriever
from assistant.runtime import Runtime
from eval.retrieval import DEV_SET, DEV_SET_DAY, is_correct, load_questions, source_names

LEXICAL_FEATURES = ("words", "nwords")
FOLDS = 5
REPEATS = 10
L2 = 1.0  # inverse strength: 0.3, 1 and 10 gave the same operating point within noise
MIN_PRECISION = 0.9
MAX_REFUSED_SHARE = 0.05
CUTS = tuple(round(0.02 * i, 2) for i in range(1, 31))
CANDIDATES = 10  # per question, for the "any candidate answers" rule


@dataclass
class Pairs:
    """Features of each question's candidates (best ranking score first)."""

    ids: list[str] = field(default_factory=list)
    answerable: list[bool] = field(default_factory=list)
    features: list[list[dict[str, float]]] = field(default_factory=list)
    correct: list[list[bool]] = field(default_factory=list)
    applies: list[list[bool]] = field(default_factory=list)


def collect(
    session: Session,
    runtime: Runtime,
    *,
    path: Path = DEV_SET,
    day: dt.date = DEV_SET_DAY,
    progress: Callable[[int], None] | None = None,
) -> Pairs:
    """Run every question once and keep its candidates' features and labels."""
    questions = load_questions(path)
    retriever = Retriever(runtime)
    sources = source_names(session)
    vectors = runtime.embedder.embed_queries([q.text for q in questions])
    pairs = Pairs()
    for question, vector in zip(questions, vectors, strict=True):
        found = retriever.search(question.text, on=day, query_vector=vector)
        # by ranking score, not the shown order: that order depends on the decision itself
        cands = sorted(found.candidates, key=lambda c: -c.score)[:CANDIDATES]
        pairs.ids.append(question.id)
        pairs.answerable.append(question.answerable)
        pairs.features.append([dict(c.features) for c in cands])
        pairs.correct.append(
            [question.answerable and is_correct(question, c, sources) for c in cands]
        )
        pairs.applies.append([c.applies for c in cands])
        if progress:
            progress(1)
    return pairs


def fit_logistic(x: np.ndarray, y: np.ndarray, c: float = L2) -> tuple[np.ndarray, ...]:
    """(mean, scale, coef, intercept) of an L2-regularised logistic regression."""
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale = np.where(scale > 1e-9, scale, 1.0)
    z = np.hstack([(x - mean) / scale, np.ones((len(x), 1))])
    w = np.zeros(z.shape[1])
    ridge = np.eye(z.shape[1]) / c
    ridge[-1, -1] = 0.0  # the intercept is not shrunk
    for _ in range(100):
        p = 1.0 / (1.0 + np.exp(-(z @ w)))
        grad = z.T @ (p - y) + ridge @ w
        hess = z.T @ (z * (p * (1 - p))[:, None]) + ridge
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-10:
            break
    return mean, scale, w[:-1], np.array(w[-1])


def _predict(model: tuple[np.ndarray, ...], x: np.ndarray) -> np.ndarray:
    mean, scale, coef, intercept = model
    return 1.0 / (1.0 + np.exp(-(((x - mean) / scale) @ coef + intercept)))


def question_scores(pairs: Pairs, probabilities: list[np.ndarray]) -> np.ndarray:
    """Per question: the best probability among candidates for the right place."""
    return np.array(
        [
            max((p for p, ok in zip(probs, applies, strict=True) if ok), default=0.0)
            for probs, applies in zip(probabilities, pairs.applies, strict=True)
        ]
    )


def tradeoff(scores: np.ndarray, answerable: np.ndarray, cut: float) -> dict:
    """No-answer precision / recall and answerable questions refused at one cut."""
    refused = scores < cut
    true = int((refused & ~answerable).sum())
    return {
        "cut": cut,
        "precision": true / int(refused.sum()) if refused.any() else 1.0,
        "recall": true / max(int((~answerable).sum()), 1),
        "refused_answerable": int((refused & answerable).sum()),
    }


@dataclass
class Fit:
    """A fitted model with its cross-validated trade-off table."""

    model: AnswerModel
    table: list[dict]


def _training(pairs: Pairs, names: Sequence[str], rows: Sequence[int], ranks: int):
    x = [[f[n] for n in names] for i in rows for f in pairs.features[i][:ranks]]
    y = [c for i in rows for c in pairs.correct[i][:ranks]]
    return np.array(x, dtype=float).reshape(-1, len(names)), np.array(y, dtype=float)


def fit(
    pairs: Pairs, names: Sequence[str], *, ranks: int = 5, seed: int = 0, note: str = ""
) -> Fit:
    """Fit on every question; choose the cut on out-of-fold predictions."""
    answerable = np.array(pairs.answerable)
    n = len(pairs.ids)
    rng = np.random.default_rng(seed)
    sums = {cut: np.zeros(3) for cut in CUTS}
    for _ in range(REPEATS):
        fold = np.empty(n, dtype=int)
        fold[rng.permutation(n)] = np.arange(n) % FOLDS
        probs: list[np.ndarray] = [np.zeros(0)] * n
        for k in range(FOLDS):
            model = fit_logistic(*_training(pairs, names, np.flatnonzero(fold != k), ranks))
            for i in np.flatnonzero(fold == k):
                probs[i] = _predict(model, _matrix_one(pairs, i, names))
        scores = question_scores(pairs, probs)
        for cut in CUTS:
            t = tradeoff(scores, answerable, cut)
            sums[cut] += (t["precision"], t["recall"], t["refused_answerable"])
    table = [
        {
            "cut": cut,
            "precision": round(float(p / REPEATS), 3),
            "recall": round(float(r / REPEATS), 3),
            "refused_answerable": round(float(a / REPEATS), 1),
        }
        for cut, (p, r, a) in sums.items()
    ]
    limit = MAX_REFUSED_SHARE * int(answerable.sum())
    good = [
        t for t in table if t["precision"] >= MIN_PRECISION and t["refused_answerable"] <= limit
    ]
    chosen = max(good, key=lambda t: (t["recall"], t["precision"])) if good else table[0]
    x, y = _training(pairs, names, range(n), ranks)
    mean, scale, coef, intercept = fit_logistic(x, y)
    model = AnswerModel(
        features=tuple(names),
        mean=tuple(round(float(v), 6) for v in mean),
        scale=tuple(round(float(v), 6) for v in scale),
        coef=tuple(round(float(v), 6) for v in coef),
        intercept=round(float(intercept), 6),
        cut=float(chosen["cut"]),
        fitted={
            "on": note,
            "questions": n,
            "answerable": int(answerable.sum()),
            "pairs": f"best {ranks} candidates by ranking score per question",
            "positives": int(y.sum()),
            "cv": f"{FOLDS}-fold by question x {REPEATS} shuffles (seed {seed}), L2 C={L2}",
            "rule": f"highest recall with precision >= {MIN_PRECISION} and at most "
            f"{MAX_REFUSED_SHARE:.0%} of answerable questions refused",
            "chosen": chosen,
            "tradeoff": table,
            "date": dt.date.today().isoformat(),
        },
    )
    return Fit(model, table)


def _matrix_one(pairs: Pairs, i: int, names: Sequence[str]) -> np.ndarray:
    return np.array([[f[n] for n in names] for f in pairs.features[i]], dtype=float).reshape(
        -1, len(names)
    )


def fit_both(pairs: Pairs, note: str) -> dict[str, Fit]:
    """The model for this embedding and the lexical fallback."""
    return {
        "model": fit(pairs, FEATURES, note=note),
        LEXICAL: fit(pairs, LEXICAL_FEATURES, note=note),
    }
