"""Signal 6 of the name recognizer: jieba's name tags, lifted by what the person does.

A jieba token tagged ``nr`` that starts with a surname is a name candidate at 0.4 — below the
analyzer's 0.5 threshold on its own — lifted to 0.6 when the name is written next to a phone
number, acts or is acted on in the sentence (王建军昨天…, 找何伟, 聂小雨在学校…), or is joined
by 和/跟/与 to another name (张伟和李娜). Split from
:mod:`assistant.privacy.recognizers.zh_person_name_recognizer` (the cue-based signals) as a
mixin: it uses that class's lexicon, given-name and ordinary-word checks.
"""

from __future__ import annotations

import itertools

import regex
from presidio_analyzer import RecognizerResult

from assistant.privacy.name_cues import ACTS_AFTER, ACTS_AFTER_FULL, ACTS_BEFORE, STOP_FIRST
from assistant.privacy.nlp_engine import Token

NAME_TAGS = ("nr", "nrfg", "nrt")
# jieba tags of one-character words that are grammar, not a surname (和 as "and", 向 as "to").
FUNCTION_TAGS = frozenset({"c", "p", "u", "uj", "ul", "uz", "ug", "uv", "ud", "r", "d"})
# Scores at or above this come from a cue that names a person outright (我叫, 先生 …): a
# place-name reading does not overrule them.
CERTAIN = 0.85

_CONTACT_AFTER = regex.compile(
    r"[，,：:\s（(]{0,2}(?:\+86\s?)?(?:1[3-9]\d|0\d{2,3}[\-\s)）]?[2-9])"
)
_CONTACT_BEFORE = regex.compile(r"\d(?:[\s\-]?\d){6,}[）)，,：:\s/]{0,3}$")
_ACTS_AFTER = regex.compile(ACTS_AFTER)
_ACTS_BEFORE = regex.compile(ACTS_BEFORE)
_ACTS_AFTER_FULL = regex.compile(ACTS_AFTER_FULL)
# the start of a clause: text start, punctuation, a space or a speaker's colon
_CLAUSE_START = regex.compile(r"(?:^|(?<=[，,。！？；;：:\s、]))(\p{Han})")


class NameTagSignals:
    """Name candidates from jieba's tags (mixed into the person-name recognizer)."""

    def _split_before_contact(self, text: str, tokens: list[Token], i: int) -> bool:
        """True for a one-character surname token + a 1–2 character word + a phone number."""
        t_start, _, word, tag = tokens[i]
        if len(word) != 1 or word not in self.lexicon.single or i + 1 >= len(tokens):
            return False
        if tag in FUNCTION_TAGS or tokens[i + 1][3] in NAME_TAGS:
            return False  # a grammar word, or a given name the tag signal already takes
        n_start, n_end, n_word, _ = tokens[i + 1]
        if not 1 <= len(n_word) <= 2 or self._given_name(text, n_start) < n_end:
            return False
        return not self._is_ordinary(text, t_start, n_end, word) and bool(
            _CONTACT_AFTER.match(text, n_end)
        )

    def _glued_surname(self, tokens: list[Token], i: int) -> int | None:
        """Where the surname starts when jieba glued it to the verb before a two-character
        given name (说岳|振华 in "岳海涛说岳振华是他哥哥"), else None."""
        if i == 0 or len(tokens[i][2]) != 2 or tokens[i][3] not in (*NAME_TAGS, "nz"):
            return None
        _, b_end, b_word, _ = tokens[i - 1]
        if len(b_word) == 2 and b_word[0] in STOP_FIRST and b_word[1] in self.lexicon.single:
            return b_end - 1
        return None

    def _lone_surname_end(self, text: str, tokens: list[Token], i: int) -> int | None:
        """End of the given name after a one-character surname that jieba tagged ``nr`` on
        its own while it read the given name as an ordinary word (苟|建国 ns, 漆|红 …), else
        None. The next token must be a two-character word that can be a given name."""
        _, _, word, tag = tokens[i]
        if len(word) != 1 or tag not in NAME_TAGS or word not in self.lexicon.single:
            return None
        if i + 1 >= len(tokens) or tokens[i + 1][3] in NAME_TAGS:
            return None  # a tagged given name: the merge below takes it
        n_start, n_end, n_word, n_tag = tokens[i + 1]
        if len(n_word) != 2 or n_tag in FUNCTION_TAGS or n_tag in ("m", "x", "eng"):
            return None
        if self._given_name(text, n_start) < n_end:
            return None
        return n_end

    def _from_clause_start(
        self, text: str, starts: dict[int, str], ends: dict[int, int]
    ) -> list[RecognizerResult]:
        """A full name opening a clause and acting, even where jieba cut it wrong
        (范志|强|两口子…): surname + two-character given name, a word boundary right after
        it, then an act (ACTS_AFTER) — at 0.6. Not when the three characters are one
        dictionary word, hold an ordinary word, end a longer word, or the two after the
        surname are a word of their own (原|局长已经退休)."""
        results = []
        for found in _CLAUSE_START.finditer(text):
            pos = found.start(1)
            surname = self.lexicon.surname_at(text, pos)
            if surname is None:
                continue
            end = pos + len(surname) + 2
            if end > len(text) or self._given_name(text, pos + len(surname)) < end:
                continue
            if starts and (
                end not in starts or (ends.get(pos) == end and starts[pos] not in NAME_TAGS)
            ):
                continue
            given = pos + len(surname)
            if starts and ends.get(given) == end and starts[given] not in NAME_TAGS:
                continue  # 原|局长: the "given name" is a word of its own
            acts = _ACTS_AFTER.match(text, end) or _ACTS_AFTER_FULL.match(text, end)
            if self._is_ordinary(text, pos, end, surname) or not acts:
                continue
            results.append(self._result(pos, end, 0.6))
        return results

    def _from_tags(
        self, text: str, tokens: list[Token], starts: dict[int, str]
    ) -> list[RecognizerResult]:
        found: list[list] = []  # [start, end, score]
        for i, (t_start, t_end, word, tag) in enumerate(tokens):
            if self._split_before_contact(text, tokens, i):
                # "柏立新，153…": a surname on its own, a word jieba did not take for a
                # given name (立新 'd'), then a phone number.
                found.append([t_start, tokens[i + 1][1], 0.6])
                continue
            glued = self._glued_surname(tokens, i)
            if (tag not in NAME_TAGS and glued is None) or not 1 <= len(word) <= 4:
                continue
            start, end = t_start, t_end
            lone = self._lone_surname_end(text, tokens, i)
            if lone is not None:
                end = lone  # 苟|建国: jieba tags the surname nr and the given name a word
            # jieba often splits a name as 张|秀英 or 黎|海涛: take the surname along.
            if i > 0 and len(word) <= 2:
                b_start, _, b_word, _ = tokens[i - 1]
                if (
                    len(b_word) == 1
                    and b_word in self.lexicon.single
                    and self._starts_word(text, b_start, end, starts)
                ):
                    start = b_start
                elif glued is not None:
                    start = glued
            surname = self.lexicon.surname_at(text, start)
            # Given names have one or two characters: 纪检监察 (tagged nr by jieba) has three.
            if surname is None or not 1 <= end - start - len(surname) <= 2:
                continue
            if self._is_ordinary(text, start, end, surname):
                continue
            honorific = self._honorific.match(text, end)
            if honorific:
                found.append([start, honorific.end(), CERTAIN])
            elif (
                _CONTACT_AFTER.match(text, end)
                or _CONTACT_BEFORE.search(text, 0, start)
                or _ACTS_AFTER.match(text, end)
                or (end - start - len(surname) == 2 and _ACTS_AFTER_FULL.match(text, end))
                or _ACTS_BEFORE.search(text, max(0, start - 4), start)
            ):
                # "祁明辉，13993187654", "岳海涛说…", "王建军昨天…", "找何伟": a name next
                # to a phone number, or a person who acts or is acted on in the sentence.
                found.append([start, end, 0.6])
            else:
                found.append([start, end, 0.4])
        # 张伟和李娜: two name-tagged words joined by 和/跟/与 name each other (with 、 only
        # full names: 常亮、时亮 are adjectives).
        for first, second in itertools.pairwise(found):
            joiner = text[first[1]]
            full_names = first[1] - first[0] == 3 and second[1] - second[0] == 3
            if second[0] == first[1] + 1 and (
                joiner in "和跟与" or (joiner == "、" and full_names)
            ):
                first[2] = max(first[2], 0.6)
                second[2] = max(second[2], 0.6)
        return [self._result(start, end, score) for start, end, score in found]
