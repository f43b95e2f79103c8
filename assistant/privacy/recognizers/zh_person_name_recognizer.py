"""Chinese person names from cue words, honorifics, "姓X", and jieba's name tags.

Signals, strongest first:

1. a cue that introduces a name (我叫, 来电人, 联系人, 诉求人, 户名：…) followed by a surname
   and a one- or two-character given name → 0.85 (weaker cues such as 我是 / 市民 → 0.7);
2. a surname (and optional given name) followed by an honorific or a title: 张先生, 王阿姨,
   欧阳女士, 刘主任 → 0.85, the honorific included in the span so the model still reads a
   polite form; a child's name before 妈妈/家长 (孟子涵妈妈来电) → 0.7, kinship word kept;
3. 姓 + surname (我姓刘, 免贵姓欧阳) → 0.8, only the surname is masked;
4. 老/小 + a common surname as a word of its own (老张, 小李) → 0.7;
5. a compound surname that is no ordinary word (欧阳, 诸葛, 宇文 …) + given name → 0.6;
6. a jieba token tagged ``nr`` that starts with a surname → 0.4, lifted to 0.6 when the
   name is written next to a phone number, or acts in the sentence (王建军昨天…, 找何伟,
   张伟和李娜) — otherwise only name context (先生, 来电, 业主 …) lifts it.

Candidates that are ordinary words (the blacklist: 房东, 高新, 司机 …), that are followed by
a place suffix (石桥镇, 白沙村, 高新区) or by 某 (an already anonymised 张某), or that hold an
administrative level (康县人, 文县碧口镇) are dropped; so is a weak candidate that jieba
knows as a place name (我是安宁的).
"""

from __future__ import annotations

import regex
from presidio_analyzer import LocalRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from assistant.privacy.entities import PERSON
from assistant.privacy.name_cues import (
    ADMIN_CHARS,
    DISTINCT_COMPOUNDS,
    FAMILIAR_FOLLOW,
    FAMILIAR_SURNAMES,
    HONORIFICS,
    KIN_AFTER,
    PLACE_SUFFIXES,
    STOP_FIRST,
    STOP_NEXT,
    STRONG_CUES,
    SURNAME_CUE,
    TITLE_MODIFIERS,
    TITLES,
    WEAK_CUES,
)
from assistant.privacy.name_lexicon import NameLexicon, name_lexicon
from assistant.privacy.name_tags import CERTAIN, FUNCTION_TAGS, NAME_TAGS, NameTagSignals
from assistant.privacy.nlp_engine import LANGUAGE, tokens_of

_CJK = regex.compile(r"\p{Han}")
# Transliterated names (Uyghur, Kazakh …) written with a middle dot: 买买提·艾力
_DOTTED_NAME = regex.compile(r"\p{Han}{2,6}[·•・.]\p{Han}{2,6}")


class ZhPersonNameRecognizer(NameTagSignals, LocalRecognizer):
    """Person names in Chinese text (see the module docstring for the signals)."""

    CONTEXT = (
        "先生",
        "女士",
        "姓名",
        "名字",
        "叫",
        "来电",
        "联系人",
        "市民",
        "本人",
        "业主",
        "家属",
        "称",
        "反映",
        "电话",
        "手机",
        "联系",
    )

    def __init__(self, lexicon: NameLexicon | None = None) -> None:
        self.lexicon = lexicon
        super().__init__(
            supported_entities=[PERSON],
            name=type(self).__name__,
            supported_language=LANGUAGE,
            context=list(self.CONTEXT),
        )

    def load(self) -> None:
        """Load the surname and blacklist files, compile the cue patterns."""
        self.lexicon = self.lexicon or name_lexicon()
        self._strong = regex.compile(rf"(?:{STRONG_CUES})[：:是为\s]*")
        self._weak = regex.compile(rf"(?:{WEAK_CUES})[：:\s]*")
        self._surname_cue = regex.compile(SURNAME_CUE + r"(?!名|氏)")
        self._honorific = regex.compile(rf"(?:{HONORIFICS})")
        self._after_name = regex.compile(
            rf"(?P<honorific>{HONORIFICS})|(?P<title>{TITLES})|(?P<kin>{KIN_AFTER})"
        )
        familiar = "".join(sorted(FAMILIAR_SURNAMES))
        self._familiar = regex.compile(rf"[老小][{familiar}]")

    # ------------------------------------------------------------------ helpers

    def _given_name(self, text: str, start: int, max_len: int = 2) -> int:
        """End of the given name that starts at ``start`` (``start`` when there is none)."""
        end = start
        while end - start < max_len and end < len(text) and _CJK.match(text[end]):
            stops = STOP_FIRST if end == start else STOP_NEXT
            if text[end] in stops:
                break
            end += 1
        return end

    def _is_ordinary(self, text: str, start: int, end: int, surname: str) -> bool:
        """True when ``text[start:end]`` is a word, a place or an anonymised name."""
        candidate = text[start:end]
        blacklist = self.lexicon.blacklist
        if candidate in blacklist:
            return True
        if len(surname) == 1 and len(candidate) >= 2 and candidate[:2] in blacklist:
            return True
        if any(ch in ADMIN_CHARS for ch in candidate[len(surname) :]):
            return True  # 康县人, 文县碧口镇: an administrative level inside the "name"
        following = text[end : end + 1]
        return following in PLACE_SUFFIXES or following == "某" or text[end : end + 2] == "街道"

    def _name_at(self, text: str, pos: int, require_given: bool) -> tuple[int, int] | None:
        """(start, end) of a name starting at ``pos``, honorific included, or None."""
        surname = self.lexicon.surname_at(text, pos)
        if surname is None:
            return None
        after = pos + len(surname)
        honorific = self._honorific.match(text, after)
        if honorific:
            return pos, honorific.end()
        end = self._given_name(text, after)
        honorific = self._honorific.match(text, end)
        if honorific and end > after and text[pos:end] not in self.lexicon.blacklist:
            return pos, honorific.end()  # not 高中|老师 (我是高中老师)
        if end == after and require_given:
            return None
        if self._is_ordinary(text, pos, end, surname):
            return None
        return pos, end

    def _result(self, start: int, end: int, score: float) -> RecognizerResult:
        return RecognizerResult(
            entity_type=PERSON,
            start=start,
            end=end,
            score=score,
            recognition_metadata={
                RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
            },
        )

    # ------------------------------------------------------------------ signals

    def _from_cues(
        self, text: str, starts: dict[int, str], ends: dict[int, int]
    ) -> list[RecognizerResult]:
        results = []
        for pattern, score in ((self._strong, 0.85), (self._weak, 0.7)):
            for cue in pattern.finditer(text):
                span = self._name_at(text, cue.end(), require_given=True)
                # After a weak cue, or 姓名 used as a noun, the next word can be grammar
                # (群众和企业, 姓名和电话): a surname jieba reads as a function word does not
                # count there. After 我叫 / 来电人 it does (我叫于一诺).
                cue_text = cue.group(0).rstrip()
                doubtful = score <= 0.7 or (
                    cue_text.startswith("姓名") and not cue_text.endswith(("：", ":"))
                )
                if span and not (doubtful and self._function_word(text, span[0], starts)):
                    results.append(self._result(*span, score))
                elif span is None and score > 0.7:
                    other = self._name_without_surname(text, cue.end(), starts, ends)
                    if other:
                        results.append(self._result(*other, 0.85))
        return results

    def _name_without_surname(
        self, text: str, pos: int, starts: dict[int, str], ends: dict[int, int]
    ) -> tuple[int, int] | None:
        """After a strong cue (户主, 申请人, 来电人 …), a name with no Han surname: a
        transliterated name with a middle dot (买买提·艾力) or one of 3–5 characters jieba tags
        ``nr`` as a whole (阿依古丽, 扎西顿珠; two-character ones such as 卓玛 are missed)."""
        dotted = _DOTTED_NAME.match(text, pos)
        if dotted:
            return pos, dotted.end()
        # three characters at least, and not 小/老/大 + word (孩子小升初 is no name)
        tagged = starts.get(pos) in NAME_TAGS and 3 <= ends[pos] - pos <= 5
        tagged = tagged and text[pos] not in "小老大"
        if not tagged or text[pos : ends[pos]] in self.lexicon.blacklist:
            return None
        if text[ends[pos] : ends[pos] + 1] in PLACE_SUFFIXES:
            return None  # 联系人：华亭市… is a place
        return pos, ends[pos]

    def _from_honorifics(
        self, text: str, starts: dict[int, str], ends: dict[int, int]
    ) -> list[RecognizerResult]:
        """Names before an honorific (张先生), a title (刘主任) or a parent (孟子涵妈妈)."""
        results = []
        for found in self._after_name.finditer(text):
            kind, at = found.lastgroup, found.start()
            # The longest surname + given name (0–2 characters) right before it.
            for length in (4, 3, 2, 1):
                pos = at - length
                if pos < 0:
                    continue
                surname = self.lexicon.surname_at(text, pos)
                if surname is None or len(surname) > length:
                    continue
                if not self._starts_word(text, pos, at, starts):
                    continue
                if self._given_name(text, pos + len(surname)) < at:
                    continue
                if length > len(surname) and self._is_ordinary(text, pos, at, surname):
                    continue
                if text[pos:at] in self.lexicon.blacklist:
                    continue
                if kind == "title" and not self._titled(text, pos, at, found.end(), starts, ends):
                    continue
                if kind == "kin" and length > len(surname):
                    results.append(self._result(pos, at, 0.7))  # the parent stays
                else:
                    results.append(self._result(pos, found.end(), CERTAIN))
                break
        return results

    def _titled(
        self, text: str, pos: int, at: int, end: int, starts: dict[int, str], ends: dict[int, int]
    ) -> bool:
        """True when ``text[pos:at]`` is a name and ``text[at:end]`` its title as words of
        their own: not 班主任 (one word), 高新区|长江 (no 区长), 主管部门, 可向主管, 原局长."""
        if ends.get(pos, at) > at:
            return False
        if starts and (at not in starts or ends[at] != end):
            return False
        surname_only = at - pos == 1
        return not (
            surname_only
            and (text[pos] in TITLE_MODIFIERS or self._function_word(text, pos, starts))
        )

    def _from_familiar(
        self, text: str, starts: dict[int, str], ends: dict[int, int]
    ) -> list[RecognizerResult]:
        """老张, 小李: 老/小 + a common surname, a word of its own, then a pause or a verb."""
        results = []
        for found in self._familiar.finditer(text):
            pos, end = found.start(), found.end()
            following = text[end : end + 1]
            if following and _CJK.match(following) and following not in FAMILIAR_FOLLOW:
                continue  # 小周末, 老毛病, 小黄车
            if starts and (pos not in starts or ends[pos] > end):
                continue  # inside a longer word (大小王, 老张家口)
            if starts and pos + 1 in starts and ends[pos + 1] != end:
                continue
            if text[pos:end] in self.lexicon.blacklist:
                continue
            results.append(self._result(pos, end, 0.7))
        return results

    @staticmethod
    def _function_word(text: str, pos: int, starts: dict[int, str]) -> bool:
        """True when jieba made ``text[pos]`` a one-character function word (和, 向, 于)."""
        single = pos + 1 in starts or pos + 1 == len(text)
        return pos in starts and single and starts[pos] in FUNCTION_TAGS

    @staticmethod
    def _starts_word(text: str, pos: int, end: int, starts: dict[int, str]) -> bool:
        """False when jieba put ``text[pos]`` inside a longer word (维修|师傅 → 修 is no
        surname), or made it a one-character function word in running text (我和|王女士);
        at the start of a clause a function-word surname is a surname (，于志强女士)."""
        if not starts:
            return True
        if pos not in starts:
            return False
        single_word = pos + 1 in starts or pos + 1 == len(text)
        if end - pos > 1 and single_word and starts[pos] in FUNCTION_TAGS:
            return pos == 0 or not _CJK.match(text[pos - 1])
        return True

    def _from_surname_cue(self, text: str) -> list[RecognizerResult]:
        """姓X masks X; "免贵姓刘，刘建华" / "姓梁梁志强" also masks the full name after it."""
        results = []
        for cue in self._surname_cue.finditer(text):
            start = cue.end()
            surname = self.lexicon.surname_at(text, start)
            if not surname:
                continue
            end = start + len(surname)
            results.append(self._result(start, end, 0.8))
            again = end + (1 if text[end : end + 1] in "，,、 ：:" else 0)
            # the surname spelled out first: 免贵姓龙，龙卷风的龙，龙海燕; 姓张，弓长张，张伟
            spelled = regex.compile(rf"\p{{Han}}{{1,4}}的?{regex.escape(surname)}[，,、\s]+")
            spelling = spelled.match(text, again)
            if spelling:
                again = spelling.end()
            if text.startswith("叫", again) or text.startswith("是", again):
                again += 1
            if text.startswith(surname, again):
                span = self._name_at(text, again, require_given=True)
                if span:
                    results.append(self._result(*span, 0.85))
        return results

    def _from_compounds(self, text: str) -> list[RecognizerResult]:
        """Distinct compound surnames + given name anywhere (宇文浩然，男，…)."""
        results = []
        for compound in DISTINCT_COMPOUNDS:
            at = text.find(compound)
            while at >= 0:
                span = self._name_at(text, at, require_given=True)
                if span:
                    results.append(self._result(*span, 0.6))
                at = text.find(compound, at + len(compound))
        return results

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """All name candidates; overlaps are resolved by the analyzer."""
        if self.lexicon is None or not hasattr(self, "_strong"):
            self.load()
        tokens = tokens_of(nlp_artifacts)
        starts = {t_start: tag for t_start, _, _, tag in tokens}
        ends = {t_start: t_end for t_start, t_end, _, _ in tokens}
        results = (
            self._from_cues(text, starts, ends)
            + self._from_honorifics(text, starts, ends)
            + self._from_surname_cue(text)
            + self._from_familiar(text, starts, ends)
            + self._from_compounds(text)
            + self._from_tags(text, tokens, starts)
            + self._from_clause_start(text, starts, ends)
        )
        # 我是安宁的: after a weak cue (not 我叫, 先生, 姓), a word jieba knows as a place name is the place
        # (鲁国强, 南宫雪 only start with one).
        places = {(t_start, t_end) for t_start, t_end, _, tag in tokens if tag.startswith("ns")}
        return [r for r in results if r.score >= 0.8 or (r.start, r.end) not in places]
