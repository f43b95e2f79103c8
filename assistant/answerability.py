"""Does a suggestion answer the caller's question? The answer decision.

Operators must be able to trust that an answer shown is an answer. A high similarity score
alone does not say that: a near miss (公积金贷款 against the 公积金 withdrawal scripts) or a
question about the hotline itself (the five seed documents are all about 12345) scores as
high as a real match. The decision therefore looks at one (question, candidate) pair through
five features, chosen on the dev set by cross-validation (BENCHMARKS.md, "Retrieval"):

* ``dense`` — cosine between the question and the candidate's best point;
* ``gap10`` — ``dense`` minus the 10th-best candidate's: how far the candidate stands out
  from the question's neighbourhood (a question close to everything is not answered by any);
* ``words`` — share of the question's content words (jieba with the hotline dictionary;
  stopwords, question fillers and function characters removed) found in the candidate's
  title, 相似问法, headings or text;
* ``nwords`` — how many content words the question has (capped at 8, scaled to 0–1):
  greetings and chit-chat have almost none;
* ``margin`` — the candidate's ranking score minus the best score of the other candidates:
  a suggestion well below the best one is not an answer (this is what keeps the
  per-suggestion flag honest: 婚姻登记办理 under a 上户口 question does not pass).

The probability is that *this candidate* answers the question; the question is answered
when any candidate for the right place passes. They are combined by a logistic regression
fitted in numpy (``eval/retrieval_fit.py``); the
coefficients and the cut are data, kept in ``answerability.json`` next to this module and
keyed by embedding model id, because the dense scale differs from model to model. A
candidate for another place than the question names never answers: that is a rule
(``assistant.places``), not a weight.

For an embedding model without a calibration the ``lexical`` model decides (``words`` and
``nwords`` only, fitted on the same dev set; it does not depend on any embedding's scale),
and every output says so, with how to calibrate (``hotline eval retrieval --calibrate``).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from assistant.lexical import FUNCTION_CHARS, normalise
from assistant.sparse import SparseEncoder

MODELS_PATH = Path(__file__).resolve().parent / "answerability.json"
LEXICAL = "lexical"  # the key of the embedding-independent fallback model
FEATURES = ("dense", "gap10", "words", "nwords", "margin")
NEIGHBOUR_RANK = 10  # gap10: distance to the candidate at this rank
MAX_WORDS = 8

#: words callers use to ask, not to say what about (beyond the BM25 stopwords)
QUESTION_FILLERS = frozenset(
    [
        "不要",
        "不能",
        "有没有",
        "没有",
        "怎么办",
        "是不是",
        "需不需要",
        "一个月",
        "多少钱",
        "找",
        "谁",
        "去",
        "办",
        "弄",
        "搞",
        "啥",
        "咋",
        "得",
        "到",
        "才能",
        "一下",
        "一般",
        "还",
        "能",
        "要",
        "交",
        "给",
        "用",
        "说",
        "里",
        "上",
        "下",
        "打",
        "拿",
        "来",
        "不会",
        "还要",
        "每个",
        "要交",
        "怎么弄",
        "怎么搞",
        "哪一步",
        "一直",
        "那边",
        "这边",
        "我家",
    ]
)


def question_words(text: str, sparse: SparseEncoder) -> tuple[str, ...]:
    """The content words of a question, in order, without repeats."""
    text = normalise(text)
    out = [
        w
        for w in sparse.words(text)
        if w not in QUESTION_FILLERS and not (len(w) == 1 and w in FUNCTION_CHARS)
    ]
    return tuple(dict.fromkeys(out))


def candidate_context(payload: Mapping) -> str:
    """What the words of a question are looked for in: title, 相似问法, headings and text
    (NFKC, lower-cased)."""
    parts = [
        payload.get("title") or "",
        *(payload.get("questions") or []),
        *(payload.get("heading_path") or []),
        payload.get("text") or "",
    ]
    return normalise(" ".join(parts))


def pair_features(
    words: Sequence[str],
    context: str,
    *,
    dense: float,
    neighbour_dense: float,
    margin: float,
) -> dict[str, float]:
    """The features of one (question, candidate) pair; ``context`` as
    :func:`candidate_context` makes it."""
    found = sum(1 for w in words if w in context)
    return {
        "dense": dense,
        "gap10": dense - neighbour_dense,
        "words": found / len(words) if words else 0.0,
        "nwords": min(len(words), MAX_WORDS) / MAX_WORDS,
        "margin": margin,
    }


def _logit(p: float) -> float:
    p = min(max(p, 1e-9), 1 - 1e-9)
    return math.log(p / (1 - p))


@dataclass(frozen=True)
class AnswerModel:
    """A fitted logistic regression over standardised features, and its cut."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    cut: float  # a pair answers when its probability is at or above this
    fitted: dict = field(default_factory=dict, compare=False)  # how: data, folds, figures

    def probability(self, values: Mapping[str, float]) -> float:
        """P(the candidate answers the question) as the model estimates it."""
        z = self.intercept
        for name, mu, sd, w in zip(self.features, self.mean, self.scale, self.coef, strict=True):
            z += w * (values[name] - mu) / sd
        return 1.0 / (1.0 + math.exp(-z))

    def confidence(self, probability: float) -> float:
        """A 0–1 reading that is exactly 0.5 at the cut (monotone in the probability)."""
        return 1.0 / (1.0 + math.exp(-(_logit(probability) - _logit(self.cut))))

    def with_cut(self, cut: float) -> AnswerModel:
        """The same model with another operating point."""
        return replace(self, cut=cut)

    def to_dict(self) -> dict:
        """JSON form."""
        data = asdict(self)
        for key in ("features", "mean", "scale", "coef"):
            data[key] = list(data[key])
        return data

    @classmethod
    def from_dict(cls, data: Mapping) -> AnswerModel:
        """Parse the stored form."""
        return cls(
            features=tuple(data["features"]),
            mean=tuple(float(x) for x in data["mean"]),
            scale=tuple(float(x) for x in data["scale"]),
            coef=tuple(float(x) for x in data["coef"]),
            intercept=float(data["intercept"]),
            cut=float(data["cut"]),
            fitted=dict(data.get("fitted") or {}),
        )


def user_models_path(home: Path) -> Path:
    """Calibrations made on this installation (``hotline eval retrieval --calibrate``)."""
    return home / "calibration" / "answerability.json"


def read_models(path: Path) -> dict[str, AnswerModel]:
    """Embedding model id (or ``lexical``) → model, from one file; empty if absent."""
    if not path.exists():
        return {}
    data = json.loads(path.read_text("utf-8"))
    return {key: AnswerModel.from_dict(value) for key, value in data["models"].items()}


def write_model(path: Path, key: str, model: AnswerModel, about: str = "") -> None:
    """Store ``model`` under ``key`` in ``path``, keeping the other models there."""
    data = json.loads(path.read_text("utf-8")) if path.exists() else {"models": {}}
    if about:
        data["about"] = about
    data["models"][key] = model.to_dict()
    data["models"] = dict(sorted(data["models"].items()))
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", "utf-8")
    tmp.replace(path)


@dataclass(frozen=True)
class AnswerDecision:
    """The model that decides for one embedding model, and whether it was made for it."""

    embed_model: str
    model: AnswerModel
    calibrated: bool

    @property
    def warning(self) -> str | None:
        """What to tell people when the decision is not calibrated for this model."""
        if self.calibrated:
            return None
        return (
            f"当前嵌入模型（{self.embed_model}）尚未校准“有无答案”判定，暂按字面匹配判断，"
            "可能把答案误判为“无答案”或反之。请运行 `hotline eval retrieval --calibrate` "
            "在评测集上为该模型校准。"
        )

    def answers(self, probability: float) -> bool:
        """Does a pair with this probability pass the decision?"""
        return probability >= self.model.cut

    def confidence(self, probability: float) -> float:
        """See :meth:`AnswerModel.confidence`."""
        return self.model.confidence(probability)


def _mtime(path: Path) -> float:
    return path.stat().st_mtime if path.exists() else 0.0


def decision_for(embed_model: str, home: Path, cut: float | None = None) -> AnswerDecision:
    """The answer decision for ``embed_model``: a calibration of this installation first,
    then the shipped one, else the lexical model (flagged as uncalibrated).

    Re-read when either file changes, so a running server picks up a new calibration.
    """
    user = user_models_path(home)
    return _decision(embed_model, user, cut, _mtime(MODELS_PATH), _mtime(user))


@lru_cache(maxsize=16)
def _decision(
    embed_model: str, user: Path, cut: float | None, _shipped_at: float, _user_at: float
) -> AnswerDecision:
    models = read_models(MODELS_PATH)
    models.update(read_models(user))
    model = models.get(embed_model)
    calibrated = model is not None
    if model is None:
        model = models[LEXICAL]
    if cut is not None:
        model = model.with_cut(cut)
    return AnswerDecision(embed_model, model, calibrated)
