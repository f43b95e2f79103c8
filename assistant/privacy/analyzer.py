"""The process-wide presidio analyzer and the detection pipeline around it.

Building presidio with a spaCy pipeline and jieba's dictionary takes about a second, so it
is built once per process, lazily, on first use (thread-safe). :func:`detect` is the one
entry point: presidio's recognizers → must-keep look-alikes removed → placeholders already
in the text ignored → overlaps resolved (higher score, then longer span, wins).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache

import regex

from assistant.privacy.entities import LANGUAGE, PLACEHOLDER_PATTERN, placeholder_label
from assistant.privacy.must_keep import keep_spans

SCORE_THRESHOLD = 0.5

# Recognizers whose match includes the cue that introduces the value (QQ号…, 微信…): a
# look-alike shape cannot outvote the cue ("QQ号20150612" is a QQ number, not a date).
CUE_ANCHORED = frozenset({"CN_SOCIAL_ACCOUNT"})

# 〔姓名1〕 as produced by masking; re-scanning a masked text must not see PII in it.
PLACEHOLDER_RE = regex.compile(PLACEHOLDER_PATTERN)


@dataclass(frozen=True)
class Detection:
    """One piece of personal data found in a text (the value is ``text[start:end]``)."""

    entity_type: str
    start: int
    end: int
    score: float

    @property
    def label(self) -> str:
        """The Chinese placeholder label (姓名, 手机号 …)."""
        return placeholder_label(self.entity_type)

    def to_dict(self) -> dict:
        """Type, span and score — never the value."""
        return {
            "type": self.entity_type,
            "label": self.label,
            "start": self.start,
            "end": self.end,
            "score": round(self.score, 2),
        }


_lock = threading.Lock()
_engines: dict[tuple[bool, bool], object] = {}


def build_analyzer(keep_credit_codes: bool = True, person_ner: bool = True):
    """A new presidio ``AnalyzerEngine`` with our recognizers on the blank Chinese pipeline
    (the statistical name tagger unless ``person_ner`` is off)."""
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry

    from assistant.privacy.context_enhancer import CharWindowContextEnhancer
    from assistant.privacy.nlp_engine import ChineseNlpEngine
    from assistant.privacy.recognizers import chinese_recognizers

    nlp_engine = ChineseNlpEngine()
    nlp_engine.load()
    registry = RecognizerRegistry(
        recognizers=chinese_recognizers(
            mask_credit_codes=not keep_credit_codes, person_ner=person_ner
        ),
        supported_languages=[LANGUAGE],
    )
    return AnalyzerEngine(
        registry=registry,
        nlp_engine=nlp_engine,
        supported_languages=[LANGUAGE],
        context_aware_enhancer=CharWindowContextEnhancer(),
        default_score_threshold=SCORE_THRESHOLD,
    )


def get_analyzer(keep_credit_codes: bool | None = None):
    """The process-wide analyzer (built on first call)."""
    if keep_credit_codes is None:
        keep_credit_codes = keep_credit_codes_setting()
    key = (keep_credit_codes, person_ner_setting())
    engine = _engines.get(key)
    if engine is None:
        with _lock:
            engine = _engines.get(key)
            if engine is None:
                engine = build_analyzer(*key)
                _engines[key] = engine
    return engine


def person_ner_setting() -> bool:
    """Whether the statistical name tagger runs (``HOTLINE_PII_NER``, on by default)."""
    from kb.settings import get_settings

    return get_settings().pii_ner


def keep_credit_codes_setting() -> bool:
    """Whether companies' credit codes are kept (``HOTLINE_PII_KEEP_CREDIT_CODES``)."""
    from kb.settings import get_settings

    return get_settings().pii_keep_credit_codes


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(start < s_end and s_start < end for s_start, s_end in spans)


def _protected(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    """True when a must-keep span overlaps ``start:end`` without lying strictly inside it."""
    return any(
        start < s_end
        and s_start < end
        and not (start <= s_start and s_end <= end and (s_start, s_end) != (start, end))
        for s_start, s_end in spans
    )


def resolve_overlaps(detections: list[Detection]) -> list[Detection]:
    """Non-overlapping detections, sorted by position: higher score, then longer, wins."""
    chosen: list[Detection] = []
    taken: list[tuple[int, int]] = []
    for det in sorted(detections, key=lambda d: (-d.score, -(d.end - d.start), d.start)):
        if not _overlaps(det.start, det.end, taken):
            chosen.append(det)
            taken.append((det.start, det.end))
    return sorted(chosen, key=lambda d: d.start)


def detect(text: str, keep_credit_codes: bool | None = None) -> list[Detection]:
    """Personal data in ``text``: non-overlapping, sorted, must-keeps and placeholders left.

    The last few hundred results are cached: operators' keystroke-debounced requests and
    the re-scan of an unchanged text ask for the same text again.
    """
    if not text or not text.strip():
        return []
    if keep_credit_codes is None:
        keep_credit_codes = keep_credit_codes_setting()
    return list(_detect(text, keep_credit_codes, person_ner_setting()))


@lru_cache(maxsize=512)
def _detect(text: str, keep_credit_codes: bool, person_ner: bool) -> tuple[Detection, ...]:
    engine = get_analyzer(keep_credit_codes)  # built for the current person_ner setting
    results = engine.analyze(text=text, language=LANGUAGE)
    keep = [(s, e) for s, e, _ in keep_spans(text, keep_credit_codes)]
    placeholders = [m.span() for m in PLACEHOLDER_RE.finditer(text)]
    found = [
        Detection(r.entity_type, r.start, r.end, float(r.score))
        for r in results
        if r.end > r.start
        and (r.entity_type in CUE_ANCHORED or not _protected(r.start, r.end, keep))
        and not _overlaps(r.start, r.end, placeholders)
    ]
    return tuple(resolve_overlaps(found))


def clear_cache() -> None:
    """Forget cached detections (benchmarks time the analyzer, not the cache)."""
    from assistant.privacy.digits import digit_view
    from assistant.privacy.must_keep import _keep_spans

    _detect.cache_clear()
    _keep_spans.cache_clear()
    digit_view.cache_clear()
