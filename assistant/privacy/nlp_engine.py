"""presidio's NLP engine for Chinese: a blank spaCy ``zh`` pipeline, segmented by jieba.

No model is downloaded or loaded: the pipeline is ``spacy.blank("zh")`` configured with the
jieba segmenter, whose tokenizer is then swapped for one that also sets a part-of-speech tag
on each word (``token.tag_``, e.g. ``nr`` for a person's name, ``v`` for a verb). The name
and address recognizers read those tags; there is no NER component (``doc.ents`` is empty).

Why not ``jieba.posseg``: its HMM tagger runs at ~50 KB/s on hotline text on this machine,
half the throughput budget of the whole masking layer. Segmentation with jieba's HMM runs
at ~250 KB/s; the tag is then jieba's own dictionary tag of the word, and a word the HMM
discovered (not in the dictionary) that starts with a surname is tagged ``nr`` — which is
what posseg's tagger says for such words nearly always (新词 in hotline text are names).
"""

from __future__ import annotations

import logging

import regex
import spacy
from presidio_analyzer.nlp_engine import NerModelConfiguration, NlpArtifacts, SpacyNlpEngine
from spacy.tokens import Doc
from spacy.vocab import Vocab

from assistant.privacy.entities import LANGUAGE

TOKENS_KEY = "hotline_tokens"

#: (start, end, word, tag) of one jieba token.
Token = tuple[int, int, str, str]
_HAN = regex.compile(r"\p{Han}")


class JiebaPosTokenizer:
    """spaCy tokenizer: jieba's segmentation plus a POS tag on every token."""

    def __init__(self, vocab: Vocab) -> None:
        import jieba
        import jieba.posseg

        from assistant.privacy.name_lexicon import name_lexicon

        self.vocab = vocab
        self._jieba = jieba.dt
        self._tags = jieba.posseg.dt.word_tag_tab
        self._surnames = name_lexicon()

    def tag(self, word: str) -> str:
        """jieba's dictionary tag; for a new word, ``nr`` if it starts with a surname, else
        the tag of its first character."""
        tag = self._tags.get(word)
        if tag is not None:
            return tag
        if not _HAN.match(word):
            return "m" if word.isdigit() else "x"
        if len(word) <= 4 and self._surnames.surname_at(word, 0):
            return "nr"
        # Other new words are mostly a function word glued to a noun (我住, 在家): the
        # first character's tag says how the word starts.
        return self._tags.get(word[0], "n")

    def __call__(self, text: str) -> Doc:
        words = [word for word in self._jieba.cut(text) if word]
        if not words:
            return Doc(self.vocab, words=[], spaces=[])
        tags = [self.tag(word) for word in words]
        doc = Doc(self.vocab, words=words, spaces=[False] * len(words), tags=tags)
        # The same tokens as plain tuples: recognizers read these instead of creating a
        # spaCy Token object per word (that alone cost a third of the masking time).
        spans = []
        offset = 0
        for word, tag in zip(words, tags, strict=True):
            spans.append((offset, offset + len(word), word, tag))
            offset += len(word)
        doc.user_data[TOKENS_KEY] = spans
        return doc


def tokens_of(nlp_artifacts: NlpArtifacts | None) -> list[Token]:
    """The (start, end, word, tag) tokens of an analysed text (empty without NLP)."""
    if nlp_artifacts is None or nlp_artifacts.tokens is None:
        return []
    doc = nlp_artifacts.tokens
    spans = doc.user_data.get(TOKENS_KEY)
    if spans is None:
        spans = [(t.idx, t.idx + len(t.text), t.text, t.tag_) for t in doc]
    return spans


def build_pipeline() -> spacy.language.Language:
    """The blank ``zh`` pipeline with the jieba segmenter and POS-keeping tokenizer."""
    import jieba

    # jieba prints its dictionary-loading progress on stderr; keep CLI output clean.
    jieba.setLogLevel(logging.WARNING)
    nlp = spacy.blank(LANGUAGE, config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    nlp.tokenizer = JiebaPosTokenizer(nlp.vocab)
    return nlp


class ChineseNlpEngine(SpacyNlpEngine):
    """A :class:`SpacyNlpEngine` over :func:`build_pipeline` instead of a downloaded model."""

    def __init__(self) -> None:
        super().__init__(
            models=[{"lang_code": LANGUAGE, "model_name": "blank-zh-jieba"}],
            ner_model_configuration=NerModelConfiguration(),
        )

    def load(self) -> None:
        """Build the blank pipeline; never downloads anything."""
        self.nlp = {LANGUAGE: build_pipeline()}

    def _doc_to_nlp_artifact(self, doc: Doc, language: str) -> NlpArtifacts:
        # Chinese has no lemmas and our context enhancer reads characters, not keywords:
        # skip presidio's per-token lemma and stop-word pass (a third of its NLP time).
        return NlpArtifacts(
            entities=[],
            tokens=doc,
            tokens_indices=[],
            lemmas=[],
            nlp_engine=self,
            language=language,
            scores=[],
        )
