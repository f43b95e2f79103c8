"""Word lists the name recognizer needs: surnames (incl. compound) and the blacklist.

Kept as text files under ``data/`` so that people who know the region can extend them
without touching code; loaded once per process.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


def _words(name: str) -> frozenset[str]:
    words: set[str] = set()
    for line in (DATA_DIR / name).read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            words.update(line.split())
    return frozenset(words)


@dataclass(frozen=True)
class NameLexicon:
    """Single-character surnames, compound surnames, and words that are never names."""

    single: frozenset[str]
    compound: frozenset[str]
    blacklist: frozenset[str]

    def surname_at(self, text: str, pos: int) -> str | None:
        """The surname starting at ``text[pos]`` (compound first), or None."""
        pair = text[pos : pos + 2]
        if pair in self.compound:
            return pair
        if text[pos : pos + 1] in self.single:
            return text[pos]
        return None


@lru_cache(maxsize=1)
def name_lexicon() -> NameLexicon:
    """The lexicon shipped in ``data/`` (loaded once)."""
    surnames = _words("surnames.txt")
    return NameLexicon(
        single=frozenset(s for s in surnames if len(s) == 1),
        compound=frozenset(s for s in surnames if len(s) == 2),
        blacklist=_words("name_blacklist.txt"),
    )
