"""Detailed addresses: road + number, estate (小区 …), building, unit, floor, room, 门牌.

What dispatch needs stays: province, city, district, county, street office (街道), town,
township, community (社区) and village names are never part of the span — a handling unit
is chosen by 属地. Everything below that level is masked as one 〔地址n〕:

    示例市东湖区江南街道滨江路88号阳光花园小区3栋2单元1502室
    → 示例市东湖区江南街道〔地址1〕

Components are found by one regex, adjacent components are merged into one address, and the
leading name of a road or estate is trimmed back to the word boundary jieba gives (住在|滨江路,
反映|阳光花园小区) so that verbs and district names before it stay in the text. A road without
a house number ("滨江路路灯不亮") is a public place, not somebody's address, and is kept.
"""

from __future__ import annotations

import regex
from presidio_analyzer import LocalRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from assistant.privacy.entities import CN_ADDRESS
from assistant.privacy.nlp_engine import LANGUAGE, tokens_of

DIGIT = "零〇一二三四五六七八九幺两"
NUM = r"[0-9一二三四五六七八九十百零〇两幺]+"
NAME = r"\p{Han}{1,8}?"
ROAD_SUFFIX = r"(?:大道|大街|路|街(?![道办])|巷|弄|胡同)"
ESTATE_SUFFIX = (
    r"(?:小区|花园|家园|公寓|大厦|新村|嘉园|华庭|华府|公馆|家属院|家属楼|宿舍|大院|名苑|雅苑|"
    r"苑|庄园|山庄|新城|商住楼|综合楼|住宅楼|(?<![邻民新故家安定同起移])居(?![委民住家])|湾"
    # 金桂园 is an estate; 公园, 校园, 幼儿园, 公办园, 产业园, 科技园 … are public places.
    r"|(?<![公校乐物业技菜果墓陵儿办])园(?!区))"
)
# A suffix directly followed by an admin level or another suffix is part of a longer name
# (南苑|街道, 南苑新村): the regex then tries the longer name instead.
_NOT_END = rf"(?!街道|办事处|[区县镇乡]|{ESTATE_SUFFIX})"

_COMPONENTS = regex.compile(
    "|".join(
        [
            # 滨江路88号, 解放北路128号院, 长江中路东段12-3号
            rf"(?P<road>(?P<rname>{NAME}){ROAD_SUFFIX}(?:[东西南北中]段)?)(?P<house>{NUM}(?:-{NUM})?(?:号院|号楼|号)(?:附{NUM}号)?)?",
            # 阳光花园小区, 锦绣家园二期, 滨江新村东区
            rf"(?P<estate>(?P<ename>{NAME}){ESTATE_SUFFIX}(?:小区)?(?:[东西南北]区|{NUM}期)?{_NOT_END})",
            rf"(?P<building>(?:{NUM}|[A-Za-z])(?:号楼|栋|幢|座|号院|#楼?))",
            rf"(?P<unit>{NUM}单元)",
            rf"(?P<floor>{NUM}(?:层|楼)(?![盘道梯房上下顶]))",
            # 302室, 1502号房 — but not a flat's layout (三室两厅) or a count of households (128户)
            rf"(?P<room>{NUM}(?:室(?![一二两三四五六七八九\d]?[厅卫])|号房|房间|房))",
            rf"(?P<household>{NUM}户)",
            rf"(?P<dashroom>(?<![\d{DIGIT}])[\d{DIGIT}]{{1,3}}-[\d{DIGIT}]{{1,3}}(?:-[\d{DIGIT}]{{1,4}})?(?:室|号)?(?![\d{DIGIT}\-]))",
            rf"(?P<group>{NUM}[组排]{NUM}号)",
            rf"(?P<gate>门牌号?码?[是为：:]?\s*{NUM}号?)",
            rf"(?P<number>{NUM}号(?!线|码|文|令|楼|院))",
        ]
    )
)

_NAME_BEFORE = regex.compile(r"\p{Han}{2,6}$")

# A bare number after a building, unit or floor is the room ("2单元1502", "B座1708").
_BARE_ROOM = regex.compile(rf"[\d{DIGIT}]{{3,4}}(?![\d{DIGIT}号元年月日天])")

# Words that end a place name of the administrative levels dispatch needs.
_ADMIN_SUFFIXES = ("省", "市", "区", "县", "镇", "乡", "街道", "社区", "村", "旗", "州")
# Two-character words ending like an admin level that are not one (城市, 小区 …).
_NOT_ADMIN = frozenset(
    [
        "城市",
        "都市",
        "超市",
        "门市",
        "小区",
        "园区",
        "校区",
        "景区",
        "片区",
        "辖区",
        "城区",
        "市区",
        "郊区",
        "山区",
        "社区",
    ]
)
_CUE_WORDS = frozenset(
    [
        "住在",
        "住",
        "家住",
        "居住",
        "住址",
        "地址",
        "位于",
        "在",
        "是",
        "到",
        "去",
        "从",
        "于",
        "的",
        "和",
        "与",
        "及",
        "靠近",
        "附近",
        "对面",
        "旁边",
        "门口",
        "反映",
        "投诉",
        "举报",
        "我家",
        "我们",
        # People before a place: 市民称北滨河中路… is no road called 市民称北滨河中路.
        "市民",
        "居民",
        "村民",
        "群众",
        "业主",
        "住户",
        "租户",
        "称",
        "说",
    ]
)
# A cue character glued by jieba to the first character of a road name (称北|滨河中路).
_CUE_CHARS = set("称说讲在住到去从是于近")
_LOCALITY_CHARS = set("东西南北中")
_GENERIC_NAMES = frozenset(
    [
        "这个", "那个", "哪个", "我们", "你们", "他们", "整个", "老旧", "附近", "周边", "新建",
        "其他", "各个", "所在", "一些", "请问", "什么", "隔壁", "对面", "楼上", "楼下", "旁边",
    ]
)  # fmt: skip
# Pronouns, prepositions, particles, conjunctions, adverbs, numerals, measure and locality
# words: a "name" made only of these is none (verbs are: 创新大厦, 建设小区).
_GRAMMAR_TAGS = frozenset({"r", "p", "u", "uj", "ul", "uz", "c", "d", "m", "q", "f", "x"})
_LEADING_TAGS = frozenset({"v", "p", "r", "u", "uj", "ul", "uz", "c", "d", "m", "q", "f", "x", "l"})
_JOINERS = set(" ，,、-")


class ZhAddressRecognizer(LocalRecognizer):
    """Street-level addresses below the street-office level (see the module docstring)."""

    CONTEXT = ("住址", "地址", "家住", "住在", "居住", "门牌", "户籍")

    def __init__(self) -> None:
        super().__init__(
            supported_entities=[CN_ADDRESS],
            name=type(self).__name__,
            supported_language=LANGUAGE,
            context=list(self.CONTEXT),
        )

    def load(self) -> None:
        """Nothing to load: the patterns are compiled at import."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Merge adjacent address components into one result per address."""
        tokens = tokens_of(nlp_artifacts)
        results = []
        run: list[tuple[str, int, int]] = []
        for kind, start, end in self._components(text, tokens):
            if run and not self._adjacent(text, run[-1][2], start):
                results.extend(self._finish(run))
                run = []
            run.append((kind, start, end))
        results.extend(self._finish(run))
        return results

    # ------------------------------------------------------------------ components

    def _components(self, text: str, tokens: list[tuple[int, int, str, str]]):
        previous = None
        previous_end = -1
        for match in _COMPONENTS.finditer(text):
            kind = match.lastgroup
            start, end = match.span()
            if kind in ("road", "house"):
                kind = "road" if match.group("house") is None else "house"
                if match.group("house") is None:
                    # A road without a number is kept, but may still lead into an estate.
                    road_start = self._trim_name(text, start, match.end("rname"), tokens)
                    if road_start is None:
                        continue
                    yield "road", road_start, match.end("road")
                    previous = "road"
                    previous_end = match.end("road")
                    continue
                start = self._trim_name(text, start, match.end("rname"), tokens, numbered=True)
                if start is None:
                    continue
            elif kind == "estate":
                trimmed = self._trim_name(text, start, match.end("ename"), tokens)
                if trimmed is None:
                    continue
                start = trimmed
            elif kind == "number" and (previous not in ("road", "estate") or previous_end != start):
                # A bare 5号 is a house number only right after its road ("幸福路，5号那天"
                # is a date).
                previous = None
                continue
            elif kind == "building" and previous_end != start:
                # 星河湾2栋, 金桂园3栋: whatever name stands right before a building number
                # is the estate, even with a suffix we do not know.
                named = _NAME_BEFORE.search(text, 0, start)
                if named:
                    name_start = self._trim_name(text, named.start(), start, tokens)
                    if name_start is not None:
                        yield "estate", name_start, start
            yield kind, start, end
            previous_end = end
            previous = kind
            if kind in ("building", "unit", "floor"):
                bare = _BARE_ROOM.match(text, end)
                if bare:
                    yield "room", bare.start(), bare.end()

    def _trim_name(
        self,
        text: str,
        start: int,
        end: int,
        tokens: list[tuple[int, int, str, str]],
        numbered: bool = False,
    ) -> int | None:
        """Where the proper name ``text[start:end]`` before a road/estate suffix starts.

        Drops district names, cue words and leading verbs/particles; a name shorter than
        two characters (这条路, 本小区, 马路) is no name at all (None) — unless a house
        number follows (``numbered``), which makes any road an address.
        """
        cut = start
        for t_start, t_end, word, _tag in tokens:
            if t_end <= start or t_start >= end:
                continue
            if t_end > end:
                break
            if self._is_admin(word) or word in _CUE_WORDS:
                cut = max(cut, t_end)
        # Also cut after admin suffixes inside the name that jieba glued to it — up to the
        # suffix itself (西湖街道|小区: a street office is no estate name) — but only after
        # some name (市民称… starts with 市, which ends no place name; 街道 always ends one).
        for admin in ("街道", "社区", "县", "镇", "乡", "区", "市", "省"):
            at = text.rfind(admin, cut, end)
            if (
                (at > cut or (at == cut and len(admin) == 2))
                and text[at - 1 : at + 1] not in _NOT_ADMIN
                and text[at : at + 2] not in _NOT_ADMIN
            ):
                cut = max(cut, at + len(admin))
        for t_start, t_end, word, tag in tokens:
            if t_start < cut or t_start >= end - 1:
                continue
            if t_start != cut:
                continue
            if len(word) == 2 and word[0] in _CUE_CHARS and word[1] in _LOCALITY_CHARS:
                cut = t_start + 1
            elif tag in _LEADING_TAGS and end - t_end >= 2:
                cut = t_end
        if end - cut < (1 if numbered else 2):
            return None
        if not numbered and self._generic(text[cut:end], cut, end, tokens):
            return None
        return cut

    @staticmethod
    def _generic(name: str, start: int, end: int, tokens: list[tuple[int, int, str, str]]) -> bool:
        """这个小区, 哪个小区, 老旧小区, 请问小区: no proper name, only function words."""
        if name in _GENERIC_NAMES:
            return True
        inside = [tag for t_start, t_end, _, tag in tokens if start <= t_start and t_end <= end]
        return bool(inside) and all(tag in _GRAMMAR_TAGS for tag in inside)

    @staticmethod
    def _is_admin(word: str) -> bool:
        return len(word) >= 3 and word.endswith(_ADMIN_SUFFIXES) and word not in _NOT_ADMIN

    @staticmethod
    def _adjacent(text: str, end: int, start: int) -> bool:
        gap = text[end:start]
        return len(gap) <= 1 and all(ch in _JOINERS for ch in gap)

    # ------------------------------------------------------------------ scoring

    def _finish(self, run: list[tuple[str, int, int]]) -> list[RecognizerResult]:
        kinds = {kind for kind, _, _ in run}
        if not kinds or kinds == {"road"}:
            return []
        # A road name without a number at the end of a run is where the address ends.
        while run[-1][0] == "road":
            run = run[:-1]
        if kinds == {"floor"}:
            return []  # "我家住五楼" says nothing about where
        if kinds & {"estate", "house", "gate", "group"}:
            score = 0.85
        elif len(kinds & {"building", "unit", "floor", "room", "dashroom", "household"}) >= 2:
            score = 0.8
        elif "room" in kinds:
            score = 0.6
        else:
            score = 0.4
        return [
            RecognizerResult(
                entity_type=CN_ADDRESS,
                start=run[0][1],
                end=run[-1][2],
                score=score,
                recognition_metadata={
                    RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                    RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                },
            )
        ]
