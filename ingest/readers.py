"""Reading a file into plain text: .txt .md .html/.htm .docx .pdf.

Every refusal is an :class:`~kb.errors.InvalidInput` whose Chinese message names the file and
the reason (empty, too large, binary, undecodable, corrupt, no text). Readers only extract
text; cleaning is :mod:`ingest.cleaner`'s job, the same for every format.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ingest.docx_numbering import ListNumbering
from kb.errors import InvalidInput

DOCUMENT_TYPES = {
    ".txt": "纯文本",
    ".md": "Markdown",
    ".markdown": "Markdown",
    ".html": "网页",
    ".htm": "网页",
    ".docx": "Word 文档",
    ".pdf": "PDF",
}
TABLE_TYPES = {".csv": "CSV", ".xlsx": "Excel", ".jsonl": "JSON Lines"}

# encodings a Chinese government text file is realistically in
_ENCODINGS = ["utf_8", "gb18030", "gbk", "gb2312", "big5", "utf_16", "utf_32"]
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class SourceFile:
    """A file as given: its bytes and their SHA-256.

    ``display`` is how the file is named to people and in the KB when ``path`` is not what
    they gave (an upload saved under a temporary directory keeps the client's file name).
    """

    path: Path
    data: bytes
    sha256: str
    display: str | None = None

    @property
    def suffix(self) -> str:
        """Lower-case extension, with the dot."""
        return self.path.suffix.lower()

    @property
    def label(self) -> str:
        """How messages and the KB name the file."""
        return self.display or str(self.path)

    @property
    def name(self) -> str:
        """The file name without folders, as given."""
        return Path(self.label).name


@dataclass
class Extracted:
    """Text pulled out of a file, plus hints a format carries (HTML meta tags)."""

    text: str
    reader: str
    hints: dict[str, str] = field(default_factory=dict)


def refuse(source: SourceFile | Path | str, reason: str) -> InvalidInput:
    """The error for a file that cannot be ingested."""
    label = source.label if isinstance(source, SourceFile) else str(source)
    return InvalidInput(f"文件 {label}：{reason}")


def load_file(path: Path, max_mb: float, *, display: str | None = None) -> SourceFile:
    """Read a file's bytes after checking it exists, is not empty and is within the limit;
    ``display`` names the file in messages instead of ``path``."""
    label = display or path
    if not path.exists():
        raise refuse(label, "文件不存在。")
    if not path.is_file():
        raise refuse(label, "不是文件。")
    size = path.stat().st_size
    if size == 0:
        raise refuse(label, "文件为空（0 字节）。")
    limit = max_mb * 1024 * 1024
    if size > limit:
        raise refuse(
            label,
            f"文件过大（{size / 1024 / 1024:.1f} MB，上限 {max_mb:g} MB，可用 HOTLINE_MAX_FILE_MB 调整）。",
        )
    data = path.read_bytes()
    return SourceFile(path, data, hashlib.sha256(data).hexdigest(), display)


DOCUMENT_HINT = "txt、docx、pdf 或网页文件"


def decode_text(source: SourceFile, expected: str = DOCUMENT_HINT) -> str:
    """Bytes to text: UTF-8 (with or without BOM), GB18030/GBK, Big5, UTF-16/32.

    ``expected`` ends the refusal of a binary file: what the caller reads (documents by
    default; a table reader says tables)."""
    data = source.data
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if b"\x00" in data[:8192]:
        raise refuse(source, f"不是文本文件（含二进制内容），请提供 {expected}。")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = _guess(source)
    if len(_CONTROL.findall(text[:20000])) > max(5, len(text[:20000]) // 100):
        raise refuse(source, "不是文本文件（含大量控制字符）。")
    return text


def _guess(source: SourceFile) -> str:
    from charset_normalizer import from_bytes

    best = from_bytes(source.data, cp_isolation=_ENCODINGS).best()
    if best is None:
        raise refuse(
            source, "无法识别文本编码（支持 UTF-8、GBK/GB18030、Big5），请另存为 UTF-8 后重试。"
        )
    encoding = best.encoding
    if encoding in ("gbk", "gb2312"):
        encoding = "gb18030"  # the superset: decodes every GBK file and more
    try:
        return source.data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return str(best)


def _read_text(source: SourceFile) -> Extracted:
    return Extracted(decode_text(source), "text")


_MD_RULES = (
    (re.compile(r"^\s{0,3}#{1,6}\s*", re.M), ""),
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),
    (re.compile(r"^\s{0,3}>\s?", re.M), ""),
    (re.compile(r"^\s*(```|~~~).*$", re.M), ""),
    (re.compile(r"^\s*[-*_]{3,}\s*$", re.M), ""),
)


def _read_markdown(source: SourceFile) -> Extracted:
    text = decode_text(source)
    for pattern, replacement in _MD_RULES:
        text = pattern.sub(replacement, text)
    return Extracted(text, "markdown")


def _numbering(document) -> ListNumbering:
    part = document.part
    # python-docx creates an empty numbering part on access when there is none; look first
    has_numbering = any(
        rel.reltype.endswith("/numbering") for rel in part.rels.values() if not rel.is_external
    )
    return ListNumbering(
        part.numbering_part.element if has_numbering else None, document.styles.element
    )


def _read_docx(source: SourceFile) -> Extracted:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(source.data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise refuse(
            source, f"无法打开 Word 文档（文件损坏或不是 .docx 格式：{type(exc).__name__}）。"
        ) from None
    except Exception as exc:  # python-docx raises assorted lxml/package errors on junk
        raise refuse(source, f"无法打开 Word 文档（文件损坏：{type(exc).__name__}）。") from None
    try:
        numbering = _numbering(document)
    except Exception:  # a damaged numbering part: the text is still worth reading
        numbering = ListNumbering(None, None)
    lines: list[str] = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            # Word draws list numbers (一、 （一） 1.) itself; they are not in the runs
            label = numbering.label(child)
            text = Paragraph(child, document).text
            lines.append(label + text if text.strip() else text)
        elif tag == "tbl":
            for row in Table(child, document).rows:
                cells: list[str] = []
                for cell in row.cells:
                    text = cell.text.strip()
                    if text and text not in cells:  # merged cells repeat their text
                        cells.append(text)
                lines.append(" ".join(cells))
    return Extracted("\n".join(lines), "docx")


def _read_pdf(source: SourceFile) -> Extracted:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(source.data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise refuse(source, "PDF 已加密，请提供未加密的文件。")
        pages = [page.extract_text() or "" for page in reader.pages]
    except InvalidInput:
        raise
    except PyPdfError as exc:
        raise refuse(source, f"无法读取 PDF（文件损坏：{type(exc).__name__}）。") from None
    except Exception as exc:  # damaged PDFs surface as assorted errors deep inside pypdf
        raise refuse(source, f"无法读取 PDF（文件损坏：{type(exc).__name__}）。") from None
    text = "\n".join(pages)
    if not text.strip():
        raise refuse(source, "PDF 中没有可提取的文字（可能是扫描件，请先做文字识别）。")
    return Extracted(text, "pdf")


# <form> is not dropped: ASP.NET pages wrap the whole body in <form id="form1">; only the
# controls inside a form are furniture
_DROP_TAGS = "script, style, noscript, template, svg, iframe, nav, footer, aside, button, select, input, textarea, object, embed, canvas"
_BLOCK_TAGS = {
    "p", "div", "section", "article", "main", "header", "h1", "h2", "h3", "h4", "h5", "h6",
    "li", "ul", "ol", "dl", "dt", "dd", "tr", "table", "tbody", "thead", "blockquote", "pre",
    "br", "hr", "td", "th", "figure", "figcaption", "center", "address", "title", "body",
}  # fmt: skip
_META_HINTS = {
    "title": ("ArticleTitle", "og:title", "title"),
    "published": (
        "PubDate",
        "publishdate",
        "article:published_time",
        "pubdate",
        "firstpublishedtime",
    ),
    "source": ("ContentSource", "source"),
}


def _html_text(root) -> str:
    parts: list[str] = []
    stack = [(root, False)]
    while stack:
        node, closing = stack.pop()
        if closing:
            parts.append("\n")
            continue
        if node.tag == "-text":
            parts.append(node.text_content or "")
            continue
        block = node.tag in _BLOCK_TAGS
        if block:
            parts.append("\n")
            stack.append((node, True))
        children = []
        child = node.child
        while child is not None:
            children.append(child)
            child = child.next
        stack.extend((c, False) for c in reversed(children))
    return "".join(parts)


def _read_html(source: SourceFile) -> Extracted:
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(decode_text(source))
    hints: dict[str, str] = {}
    for key, names in _META_HINTS.items():
        for name in names:
            node = tree.css_first(f'meta[name="{name}"], meta[property="{name}"]')
            if node is not None and (node.attributes.get("content") or "").strip():
                hints[key] = node.attributes["content"].strip()
                break
    title = tree.css_first("title")
    if "title" not in hints and title is not None and title.text(strip=True):
        hints["title"] = title.text(strip=True)
    for node in tree.css(_DROP_TAGS):
        node.decompose()
    body = tree.body
    text = _html_text(body) if body is not None else ""
    if not re.search(r"[\u4e00-\u9fffA-Za-z]", text):
        raise refuse(source, "网页中没有正文文字。")
    return Extracted(text, "html", hints)


READERS: dict[str, Callable[[SourceFile], Extracted]] = {
    ".txt": _read_text,
    ".md": _read_markdown,
    ".markdown": _read_markdown,
    ".html": _read_html,
    ".htm": _read_html,
    ".docx": _read_docx,
    ".pdf": _read_pdf,
}


def extract_text(source: SourceFile) -> Extracted:
    """The text of a document file; a clear refusal for anything unreadable."""
    reader = READERS.get(source.suffix)
    if reader is None:
        hint = "（旧版 .doc 请另存为 .docx）" if source.suffix == ".doc" else ""
        kinds = "、".join(sorted(set(READERS)))
        raise refuse(
            source, f"不支持的文件类型“{source.suffix or '无扩展名'}”{hint}，支持 {kinds}。"
        )
    extracted = reader(source)
    if not re.search(r"[\u4e00-\u9fffA-Za-z]", extracted.text):
        raise refuse(source, "文件中没有文字内容。")
    return extracted
