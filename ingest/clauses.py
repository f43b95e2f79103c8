"""Splitting a document body into clause chunks for retrieval.

This is a contract with the retrieval index (it imports :func:`split_clauses`): chunks are
derived from a version's body whenever the index is built, never stored.

* Headings nest ``第X章`` → ``第X节`` → ``第X条`` → ``一、`` → ``（一）`` → ``1.`` → ``（1）`` →
  ``①`` (:mod:`ingest.markers`). A clause line such as ``（五）强化诉求精准分办。要完善……``
  is both a heading (``（五）强化诉求精准分办``) and text.
* A chunk is a run of consecutive body lines. Its ``heading_path`` is the headings that
  contain the whole run; when short neighbours from different sections were merged, it is
  the path of the first clause in the run (a chunk that starts with the preamble takes the
  path of the first clause under a section heading — 第X章/第X条/一、 — after it), so every
  chunk that reaches a section names one.
  Headings not shared by the whole run stay in its text, so nothing is lost. Text is never
  prefixed with the path.
* Target size ``min_chars``–``max_chars`` (150–400). A paragraph longer than ``max_chars`` is
  cut at sentence ends (。！？；) into near-equal pieces, never mid-sentence (a single
  sentence longer than the limit stays whole). A chunk shorter than ``min_chars`` is merged
  with a neighbour when the result still fits.
* Lines broken in mid-sentence (PDF text) are joined first, so a broken line never starts a
  chunk of its own.
* Deterministic: the same body always gives the same chunks. A short answer script is one
  chunk with an empty heading path.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from ingest.lines import join_broken_lines
from ingest.markers import Marker, clause_marker, is_pure_heading

MAX_CHARS = 400
MIN_CHARS = 150
SECTION_LEVEL = 3  # 第X章 第X节 第X条 一、 open sections; （一） 1. （1） are items in them
_LABEL_MAX = 30
# merging that drops headings from the path (crossing into another section) is only worth it
# for a really small chunk; within one section, anything under min_chars merges
_CROSS_SECTION_FRACTION = 2 / 3
_SENTENCE = re.compile(r".+?(?:[。！？；!?;]+[”’」』）)\"']*|$)", re.S)


@dataclass(frozen=True)
class Clause:
    """One retrieval chunk of a document body."""

    seq: int  # 0-based order in the document
    heading_path: tuple[str, ...]  # e.g. ("三、提升12345热线接办质效", "（五）强化诉求精准分办")
    text: str  # the chunk text itself (150–400 chars target), no heading prefix


@dataclass
class _Heading:
    line: str
    path: tuple[str, ...]  # the heading path this heading opens


@dataclass
class _Block:
    """Headings that open here, then one piece of text under them."""

    headings: list[_Heading] = field(default_factory=list)
    text: str = ""
    path: tuple[str, ...] = ()
    in_section: bool = False  # under a 第X章/第X节/第X条/一、 heading, not only a list item

    def render(self, path: tuple[str, ...]) -> list[str]:
        """Lines of this block in a chunk with heading path ``path``."""
        lines = [h.line for h in self.headings if path[: len(h.path)] != h.path]
        if self.text:
            lines.append(self.text)
        return lines


def _marker(line: str) -> Marker | None:
    marker = clause_marker(line)
    if marker is not None and marker.level <= 1 and not is_pure_heading(line):
        return None  # "第一章总则，明确……" is a sentence about a chapter, not a heading
    return marker


def _is_heading_only(line: str, marker: Marker) -> bool:
    # an article (第X条) always carries text of its own, however short
    return marker.level != 2 and is_pure_heading(line)


def _label(line: str, marker: Marker) -> str:
    if marker.level == 2:  # 第X条: articles have no inline title
        return marker.text
    if is_pure_heading(line):
        return line.rstrip("：:")
    rest = line[len(marker.text) :].lstrip()
    match = re.match(rf"^(.{{1,{_LABEL_MAX}}}?)[。：；:;]", rest)
    if match:
        return marker.text + match.group(1)
    return marker.text + (rest[:20] + "…" if len(rest) > 20 else rest)


def _sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE.findall(text) if s]


def _cut(text: str, max_chars: int) -> list[str]:
    """A long paragraph as near-equal pieces of whole sentences."""
    if len(text) <= max_chars:
        return [text]
    target = len(text) / math.ceil(len(text) / max_chars)
    pieces: list[str] = []
    current = ""
    for sentence in _sentences(text):
        if current and (len(current) + len(sentence) > max_chars or len(current) >= target):
            pieces.append(current)
            current = sentence
        else:
            current += sentence
    if current:
        pieces.append(current)
    return pieces


def _blocks(lines: list[str], max_chars: int) -> list[_Block]:
    blocks: list[_Block] = []
    stack: list[tuple[int, str]] = []  # (level, label)
    pending: list[_Heading] = []
    for line in lines:
        marker = _marker(line)
        if marker is not None:
            stack = [(lvl, lab) for lvl, lab in stack if lvl < marker.level]
            stack.append((marker.level, _label(line, marker)))
            if _is_heading_only(line, marker):
                pending.append(_Heading(line, tuple(label for _, label in stack)))
                continue
        path = tuple(label for _, label in stack)
        in_section = bool(stack) and stack[0][0] <= SECTION_LEVEL
        for i, piece in enumerate(_cut(line, max_chars)):
            blocks.append(_Block(pending if i == 0 else [], piece, path, in_section))
        pending = []
    if pending:  # headings with nothing under them, at the very end
        blocks.append(_Block(pending, "", tuple(label for _, label in stack)))
    return blocks


def _common(paths: list[tuple[str, ...]]) -> tuple[str, ...]:
    common = paths[0]
    for path in paths[1:]:
        n = 0
        while n < min(len(common), len(path)) and common[n] == path[n]:
            n += 1
        common = common[:n]
    return common


@dataclass
class _Chunk:
    blocks: list[_Block]

    @property
    def common_path(self) -> tuple[str, ...]:
        """The headings that contain every block (what merging decisions compare)."""
        return _common([b.path for b in self.blocks])

    @property
    def path(self) -> tuple[str, ...]:
        """The path shown for the chunk: the common headings; when its blocks sit in
        different sections, the path of the first block; when it starts with the preamble,
        the path of the first block under a section heading (a short answer script whose
        lines are only numbered items "1. 2. 3." keeps an empty path)."""
        common = self.common_path
        if common:
            return common
        if self.blocks[0].path:
            return self.blocks[0].path
        return next((b.path for b in self.blocks if b.in_section), ())

    def text(self) -> str:
        # headings not shared by every block stay in the text, even the one the shown path
        # names: the text reads the same however the chunk's path is chosen
        path = self.common_path
        return "\n".join(line for b in self.blocks for line in b.render(path))

    def size_with(self, other: _Chunk) -> int:
        return len(_Chunk(self.blocks + other.blocks).text())

    def wants(self, other: _Chunk, min_chars: int, max_chars: int) -> bool:
        """Should ``other`` be merged into this short chunk?"""
        size = len(self.text())
        if size >= min_chars or self.size_with(other) > max_chars:
            return False
        mine = self.common_path
        joined = _common([mine, other.common_path])
        if len(joined) < len(mine) and len(other.common_path) >= len(mine):
            return size < min_chars * _CROSS_SECTION_FRACTION
        return True


def split_clauses(
    body: str, *, max_chars: int = MAX_CHARS, min_chars: int = MIN_CHARS
) -> list[Clause]:
    """The clause chunks of ``body`` in document order (see the module docstring)."""
    lines = join_broken_lines([line.strip() for line in body.splitlines() if line.strip()])
    chunks: list[_Chunk] = []
    for block in _blocks(lines, max_chars):
        piece = _Chunk([block])
        last = chunks[-1] if chunks else None
        if last is not None and (
            not last.blocks[-1].text or last.wants(piece, min_chars, max_chars)
        ):
            last.blocks.append(block)
        else:
            chunks.append(piece)
    # a short chunk left over (a short clause before a long one) joins its predecessor
    merged: list[_Chunk] = []
    for chunk in chunks:
        if (
            merged
            and chunk.wants(merged[-1], min_chars, max_chars)
            and (merged[-1].size_with(chunk) <= max_chars)
        ):
            merged[-1].blocks.extend(chunk.blocks)
        else:
            merged.append(chunk)
    return [Clause(i, c.path, c.text()) for i, c in enumerate(merged) if c.text()]


def clause_texts(body: str) -> list[str]:
    """The chunk texts of ``body``: the ``split`` for clause-level diffs (kb.diff)."""
    return [clause.text for clause in split_clauses(body)]
