"""Chinese person names from cue words, honorifics, "姓X", and jieba's name tags.

Five signals, strongest first:

1. a cue that introduces a name (我叫, 来电人, 联系人, 诉求人, 姓名：…) followed by a surname
   and a one- or two-character given name → 0.85 (weaker cues such as 我是 / 市民 → 0.7);
2. a surname (and optional given name) followed by an honorific: 张先生, 王阿姨, 欧阳女士
   → 0.85, the honorific included in the span so the model still reads a polite form;
3. 姓 + surname (我姓刘, 免贵姓欧阳) → 0.8, only the surname is masked;
4. a compound surname that is no ordinary word (欧阳, 诸葛, 宇文 …) + given name → 0.6;
5. a jieba token tagged ``nr`` that starts with a surname → 0.4, which only name context
   (先生, 来电, 业主 …) lifts over the threshold.

Candidates that are ordinary words (the blacklist: 房东, 高新, 司机 …), that are followed by
a place suffix (石桥镇, 白沙村, 高新区) or by 某 (an already anonymised 张某) are dropped.
"""

from __future__ import annotations

import regex
from presidio_analyzer import LocalRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from assistant.privacy.entities import PERSON
from assistant.privacy.name_lexicon import NameLexicon, name_lexicon
from assistant.privacy.nlp_engine import LANGUAGE, Token, tokens_of

STRONG_CUES = (
    "我叫|我的名字叫|名字叫|名字是|名叫|叫做|本人叫|来电人|来电者|联系人|诉求人|反映人|投诉人|"
    "举报人|申请人|当事人|求助人|致电人|姓名|户主|监护人|委托人|代理人|收件人|承租人|出租人|"
    "乘客|司机|车主|患者|病人|家属|老人|儿子|女儿|丈夫|妻子|爱人|父亲|母亲|孩子|学生|法人|"
    "法定代表人|负责人|房东|房主|租客|老板|老伴|老公|老婆|媳妇|妈妈|爸爸|哥哥|姐姐|弟弟|妹妹|"
    "孙子|孙女|外孙|骑手|快递员|保安|保洁员|网格员|邻居家的"
)
WEAK_CUES = "叫|我是|本人|市民|业主|住户|租户|居民|员工|职工|工人|网友|群众|村民|邻居"
HONORIFICS = (
    "老先生|老太太|先生|女士|小姐|阿姨|大爷|大妈|大娘|大姐|大哥|大叔|师傅|老师|奶奶|爷爷|"
    "婆婆|伯伯|叔叔|同志|经理|医生|律师|警官"
)
SURNAME_CUE = r"(?:我|本人|免贵|他|她|对方|那人|联系人|老人|患者|户主)?姓"

# Characters that end a given name: function words and the first characters of the words
# that usually follow a name in a hotline record (住, 电话, 反映, 来电, 先生 …).
STOP_FIRST = set(
    "的了在是我你您他她们说和与及或也就都还从到对向把被让请问给跟称讲想要能会已因为于所等这那哪啥么呢吗啊吧呀哦嗯某"
)
STOP_NEXT = STOP_FIRST | set(
    "住家电手联身反来今昨打投举咨表现目本之希办名户居拨先女小老阿师去同一二三四五六七八九十"
    "号楼路区县镇乡村市省街的称讲问说"
)
# A candidate followed by one of these is a place (石桥镇, 白沙村, 高新区, 张家湾).
PLACE_SUFFIXES = set("区县镇乡村市省路街巷湾庄屯寨坪沟桥港湖山河园苑城州府局院所站厂店馆")
NAME_TAGS = ("nr", "nrfg", "nrt")
# jieba tags of one-character words that are grammar, not a surname (和 as "and", 向 as "to").
FUNCTION_TAGS = frozenset({"c", "p", "u", "uj", "ul", "uz", "ug", "uv", "ud", "r", "d"})
# Compound surnames that are no ordinary word (unlike 东方, 西门, 第五, 长孙): a name that
# starts with one of them is a name even without a cue.
DISTINCT_COMPOUNDS = ("欧阳", "诸葛", "司马", "上官", "皇甫", "尉迟", "公孙", "慕容", "宇文")
DISTINCT_COMPOUNDS += ("司徒", "夏侯", "令狐", "钟离", "端木", "呼延", "独孤", "澹台", "轩辕")

_CJK = regex.compile(r"\p{Han}")


_CONTACT_AFTER = regex.compile(
    r"[，,：:\s（(]{0,2}(?:\+86\s?)?(?:1[3-9]\d|0\d{2,3}[\-\s)）]?[2-9])"
)
_CONTACT_BEFORE = regex.compile(r"\d(?:[\s\-]?\d){6,}[）)，,：:\s/]{0,3}$")
_SPEAKS_AFTER = regex.compile(
    r"(?:说|称|讲|表示|反映|来电|打电话|是我|是他|是她|的电话|的手机|的身份证|家住|住在)"
)


class ZhPersonNameRecognizer(LocalRecognizer):
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
        if honorific and end > after:
            return pos, honorific.end()
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

    def _from_cues(self, text: str, starts: dict[int, str]) -> list[RecognizerResult]:
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
        return results

    def _from_honorifics(self, text: str, starts: dict[int, str]) -> list[RecognizerResult]:
        results = []
        for honorific in self._honorific.finditer(text):
            at = honorific.start()
            # The longest surname + given name (0–2 characters) right before the honorific.
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
                results.append(self._result(pos, honorific.end(), 0.85))
                break
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

    def _from_tags(
        self, text: str, tokens: list[Token], starts: dict[int, str]
    ) -> list[RecognizerResult]:
        results = []
        for i, (t_start, t_end, word, tag) in enumerate(tokens):
            if tag not in NAME_TAGS or not 1 <= len(word) <= 4:
                continue
            start, end = t_start, t_end
            # jieba often splits a name as 张|秀英 or 黎|海涛: take the surname along.
            if i > 0 and len(word) <= 2:
                b_start, _, b_word, _ = tokens[i - 1]
                if (
                    len(b_word) == 1
                    and b_word in self.lexicon.single
                    and self._starts_word(text, b_start, end, starts)
                ):
                    start = b_start
            surname = self.lexicon.surname_at(text, start)
            # Given names have one or two characters: 纪检监察 (tagged nr by jieba) has three.
            if surname is None or not 1 <= end - start - len(surname) <= 2:
                continue
            if self._is_ordinary(text, start, end, surname):
                continue
            honorific = self._honorific.match(text, end)
            if honorific:
                results.append(self._result(start, honorific.end(), 0.85))
            elif (
                _CONTACT_AFTER.match(text, end)
                or _CONTACT_BEFORE.search(text, 0, start)
                or _SPEAKS_AFTER.match(text, end)
            ):
                # "祁明辉，13993187654", "岳海涛说…", "岳振华是他哥哥": a name written next to
                # a phone number, or as the subject of saying / being someone's relative.
                results.append(self._result(start, end, 0.6))
            else:
                results.append(self._result(start, end, 0.4))
        return results

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """All name candidates; overlaps are resolved by the analyzer."""
        if self.lexicon is None or not hasattr(self, "_strong"):
            self.load()
        tokens = tokens_of(nlp_artifacts)
        starts = {t_start: tag for t_start, _, _, tag in tokens}
        return (
            self._from_cues(text, starts)
            + self._from_honorifics(text, starts)
            + self._from_surname_cue(text)
            + self._from_compounds(text)
            + self._from_tags(text, tokens, starts)
        )
