"""Metadata of a cleaned document: title, 文号, issuer, dates, validity, what it abolishes.

Rules, in the order they are tried (the first that finds something wins):

* **title** — the title line the cleaner found; a ``机构：标题`` page headline gives both the
  issuer and the title (``省政务服务和资源交易服务中心：《…管理办法》解读``); else the HTML
  ``<title>``; else the file name (reported as assumed).
* **文号** — a line of the page head that is nothing but a 文号 (``甘政办发 [2025] 69号``,
  normalised by :mod:`kb.docno`). A 文号 quoted inside the body (``（国办函〔2025〕66号）``) is
  a *cited* document, never this document's own number.
* **issuer** — ``X关于…`` in the title; a ``X：`` headline prefix; a ``X文件`` banner; the
  signature line before the closing date.
* **published_on** — a labelled 发布日期/发文日期; the date line under the headline; the
  ``…印发`` line of the 版记; the closing dateline (``甘肃省人民政府办公厅 2025年11月18日``);
  an HTML ``PubDate`` meta tag.
* **validity** — :mod:`ingest.validity` (``自X起施行``, ``自发布之日起30日后施行``,
  ``有效期N年``, ``试行期N年``, ``至X止``); an assumed start is recorded as an assumption.
* **abolishes** — ``《X》同步/同时废止``, ``《X》（文号）自本办法施行之日起废止``, ``废止《X》``,
  ``《X》不再执行``, ``示政发〔2020〕5号文件同时废止`` (by 文号 alone); a short name is
  resolved through ``《全称》（以下简称《简称》）``.
* **region** — from the issuer, else the title, else the policy the page is about.

Whatever is not found stays empty and is listed in ``missing``; nothing is guessed.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from ingest.cleaner import DATE_META, CleanDocument, is_date_meta
from ingest.dates import DATE, date_from_match, first_date
from ingest.markers import ends_with_date, is_title_like
from ingest.regions import region_of
from ingest.validity import read_validity
from kb.docno import DOC_NO, normalize_doc_no

ORG_END = (
    r"(?:办公厅|办公室|人民政府|政府|委员会|管委会|管理委员会|服务中心|中心|总局|局|厅|部|院|委|办|"
    r"署|会|室|公司|集团|处|站|所|队|支队|大队)"
)
_ORG = re.compile(rf"^[\u4e00-\u9fff\d（）、]{{2,60}}?{ORG_END}$")
_ORG_HEADLINE = re.compile(rf"^(?P<org>[\u4e00-\u9fff\d]{{2,40}}?{ORG_END})[：:](?P<title>.+)$")
_ABOUT = re.compile(r"^(?P<org>.{2,80}?)关于")
_BANNER = re.compile(rf"^(?P<org>.{{2,40}}?{ORG_END})文件$")
_LABELLED_DATE = re.compile(r"(?:发布|发文|公开|成文)(?:日期|时间)[：:]?\s*")
_ISSUED_LINE = re.compile(r"(?:印发|发布)$")
_SOURCE = re.compile(r"(?:来源|稿源|出处)[：:]\s*(?P<src>[^\s：:]{2,40}?)(?:作者|编辑|$|\s)")

_BOOK = r"《(?P<name>[^《》]{2,100})》"
_SHORT_NAME = re.compile(
    r"《(?P<full>[^《》]{2,100})》\s*(?:[（(](?P<no>[^（）()]{0,40}?号)[）)])?\s*"
    r"[（(]\s*以下简称\s*[《“\"](?P<short>[^》”\"]{1,30})[》”\"]\s*[）)]"
)
# "自本办法施行之日起" / "自2026年1月1日起" between the document and the verb
_FROM_WHEN = r"(?:自[^。；，《》]{1,20}?起)?"
_ABOLISH_VERB = (
    r"\s*" + _FROM_WHEN + r"\s*(?:同步|同时|即行|予以|一并|随之)?\s*(?:废止|停止执行|不再执行|失效)"
)
_ABOLISH = re.compile(_BOOK + r"\s*(?:[（(](?P<no>[^（）()]{0,40}?号)[）)])?" + _ABOLISH_VERB)
# a document named only by its 文号: "示政发〔2020〕5号文件同时废止"
# its prefix starts after a non-ideograph or a function word, and never with one (原示政发…)
_ABOLISH_DOC_NO = re.compile(
    r"(?:(?<![\u4e00-\u9fff])|(?<=[原将和及与对把后的]))(?![原将和及与对把])"
    r"(?P<no>[\u4e00-\u9fff]{2,8}?\s*[〔\[［(（【〖]\s*(?:19|20)\d{2}\s*[〕\]］)）】〗]\s*第?\s*\d{1,5}\s*号)"
    r"\s*(?:文件|文)?" + _ABOLISH_VERB
)
_ABOLISH_VERB_FIRST = re.compile(r"(?:废止|替代|取代|代替)\s*" + _BOOK)


@dataclass(frozen=True)
class PolicyRef:
    """A document this one abolishes or replaces."""

    relation: str  # abolishes | replaces
    title: str | None
    doc_no: str | None
    evidence: str  # the sentence it was read from


@dataclass
class DocumentMeta:
    """What was read off a document; empty fields were not found."""

    title: str | None = None
    doc_no: str | None = None
    issuer: str | None = None
    published_on: dt.date | None = None
    effective_from: dt.date | None = None
    expires_on: dt.date | None = None
    validity: str | None = None  # the words that set the validity, e.g. "有效期5年"
    basis_title: str | None = None
    region: str | None = None
    source: str | None = None  # 来源 of a web page (a publisher, not the issuer)
    refs: list[PolicyRef] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    assumed: dict[str, str] = field(default_factory=dict)

    def as_meta(self) -> dict:
        """JSON-ready form for ``EntryVersion.meta``."""
        return {
            "missing": list(self.missing),
            "assumed": dict(self.assumed),
            "validity": self.validity,
            "source": self.source,
            "abolishes": [
                {
                    "relation": r.relation,
                    "title": r.title,
                    "doc_no": r.doc_no,
                    "evidence": r.evidence,
                }
                for r in self.refs
            ],
        }


def _strip_book(title: str) -> str:
    return title[1:-1] if title.startswith("《") and title.endswith("》") else title


def _issuer_from_title(title: str) -> str | None:
    match = _ABOUT.match(title)
    if match and re.search(ORG_END + "$", match["org"]):
        return match["org"]
    return None


def _date_in(line: str) -> dt.date | None:
    return first_date(line)


def _published(doc: CleanDocument, hints: dict[str, str]) -> dt.date | None:
    head = doc.head + doc.page_info
    for line in head:
        match = _LABELLED_DATE.search(line)
        if match:
            day = _date_in(line[match.end() :])
            if day:
                return day
    for line in doc.head:
        if is_date_meta(line):
            match = DATE_META.match(line)
            if match:
                day = _date_in(line)
                if day:
                    return day
    for line in doc.trailer:
        if _ISSUED_LINE.search(line):
            day = _date_in(line)
            if day:
                return day
    for line in doc.lines[-5:]:
        if ends_with_date(line) and len(line) <= 60:
            day = _date_in(line)
            if day:
                return day
    if hints.get("published"):
        return _date_in(hints["published"])
    return None


def _signature_issuer(doc: CleanDocument) -> str | None:
    """The issuer signed above the closing date: on the date's line
    (``示例市教育局 2026年1月20日``) or alone on the line before it (the standard layout)."""
    tail = doc.lines[-5:]
    for at in range(len(tail) - 1, -1, -1):
        line = tail[at]
        if not ends_with_date(line):
            continue
        match = DATE.search(line)
        org = line[: match.start()].strip() if match else ""
        if not org and at > 0:
            org = tail[at - 1].strip()
        if org and _ORG.match(org):
            return org
    return None


def _short_names(text: str) -> dict[str, tuple[str, str | None]]:
    names: dict[str, tuple[str, str | None]] = {}
    for match in _SHORT_NAME.finditer(text):
        names[match["short"]] = (
            match["full"],
            normalize_doc_no(match["no"]) if match["no"] else None,
        )
    return names


def _sentence_around(text: str, start: int, end: int) -> str:
    left = max(text.rfind(ch, 0, start) for ch in "。；\n") + 1
    rights = [i for i in (text.find(ch, end) for ch in "。；\n") if i != -1]
    right = min(rights) + 1 if rights else len(text)
    return text[left:right].strip()


def _refs(text: str, own_title: str | None) -> list[PolicyRef]:
    names = _short_names(text)
    found: list[PolicyRef] = []
    seen: set[str] = set()

    def add(relation: str, name: str, no: str | None, start: int, end: int) -> None:
        full, full_no = names.get(name, (name, None))
        if own_title and full in own_title:
            return  # "《本办法》…" or the document talking about itself
        doc_no = normalize_doc_no(no) if no else full_no
        key = f"{relation}|{full}"
        if key in seen:
            return
        seen.add(key)
        found.append(PolicyRef(relation, full, doc_no, _sentence_around(text, start, end)))

    for match in _ABOLISH.finditer(text):
        add("abolishes", match["name"], match["no"], match.start(), match.end())
    for match in _ABOLISH_DOC_NO.finditer(text):
        no = normalize_doc_no(match["no"])
        if any(ref.doc_no == no for ref in found):
            continue
        found.append(PolicyRef("abolishes", None, no, _sentence_around(text, *match.span())))
    for match in _ABOLISH_VERB_FIRST.finditer(text):
        relation = "abolishes" if match.group(0).startswith("废止") else "replaces"
        add(relation, match["name"], None, match.start(), match.end())
    return found


def _basis_title(title: str | None, issuer: str | None, lines: list[str]) -> str | None:
    """The policy a page is about: 《X》 in its title, or, for a page with no issuer of its
    own (a news story), the first official document its opening paragraph names."""
    if title:
        match = re.search(_BOOK, title)
        if match:
            return match["name"]
    if issuer is None:
        for line in lines[:2]:
            for match in re.finditer(_BOOK, line):
                if is_title_like(match["name"]) or "关于" in match["name"]:
                    return match["name"]
    return None


def extract_metadata(
    doc: CleanDocument, *, fallback_title: str | None = None, hints: dict[str, str] | None = None
) -> DocumentMeta:
    """Read the metadata of a cleaned document (see the module docstring for the rules)."""
    hints = hints or {}
    meta = DocumentMeta()
    title = doc.title
    if title:
        headline = _ORG_HEADLINE.match(title)
        if headline:
            meta.issuer = headline["org"]
            title = headline["title"].strip()
    if not title and hints.get("title"):
        title = re.split(r"\s*[_|｜—–-]{1,2}\s*", hints["title"])[0].strip() or None
        if title:
            meta.assumed["title"] = "取自网页标题"
    if not title and fallback_title:
        title = fallback_title
        meta.assumed["title"] = "文中未找到标题，取文件名"
    meta.title = title

    for line in doc.head:
        candidate = re.sub(r"^文号[：:]\s*", "", line)
        if DOC_NO.fullmatch(candidate.strip()):
            meta.doc_no = normalize_doc_no(candidate)
            break

    if title and meta.issuer is None:
        meta.issuer = _issuer_from_title(title)
    if meta.issuer is None:
        for line in doc.head:
            banner = _BANNER.match(line)
            if banner:
                meta.issuer = banner["org"]
                break
    if meta.issuer is None:
        meta.issuer = _signature_issuer(doc)

    meta.published_on = _published(doc, hints)
    for line in doc.page_info:
        source = _SOURCE.search(line)
        if source:
            meta.source = source["src"]
            break
    if meta.source is None and hints.get("source"):
        meta.source = hints["source"]

    text = "\n".join(doc.lines)
    validity = read_validity(text, meta.published_on)
    meta.effective_from, meta.expires_on = validity.effective_from, validity.expires_on
    meta.validity = validity.words
    meta.assumed.update(validity.assumed)
    meta.refs = _refs(text, _strip_book(title) if title else None)
    meta.basis_title = _basis_title(title, meta.issuer, doc.lines)
    meta.region = region_of(meta.issuer) or region_of(title) or region_of(meta.basis_title)

    for name, value in (
        ("title", meta.title),
        ("doc_no", meta.doc_no),
        ("issuer", meta.issuer),
        ("published_on", meta.published_on),
        ("expires_on", meta.expires_on),
        ("region", meta.region),
    ):
        if value is None:
            meta.missing.append(name)
    if "title" in meta.assumed and "title" not in meta.missing:
        meta.missing.append("title")
    return meta


__all__ = ["DocumentMeta", "PolicyRef", "date_from_match", "extract_metadata"]
