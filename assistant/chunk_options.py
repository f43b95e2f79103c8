"""What gets indexed, as plain data (no llama-index import: the query path needs only this).

Point roles: a policy clause or a script's answer is a ``passage``; a script's title and
each 相似问法 is a ``question`` point showing the same answer.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

PASSAGE_ROLE = "passage"
QUESTION_ROLE = "question"
SHORT_KINDS = ("script", "faq")  # indexed whole, with question points
_POINT_NS = uuid.UUID("5b7f0d2e-6a34-4c1e-9b55-12345a0c0de5")


def point_id(entry_id: int, version_no: int, role: str, seq: int) -> str:
    """Stable id of one indexed node."""
    return str(uuid.uuid5(_POINT_NS, f"{entry_id}/{version_no}/{role}/{seq}"))


@dataclass(frozen=True)
class ChunkOptions:
    """Choices about what is indexed; part of the index manifest (changing them = reindex)."""

    # Measured on the dev set (BENCHMARKS.md, "Retrieval"), everything else as shipped:
    # prefixing clauses with their heading path and document title lowered hit@1 (0.901 vs
    # 0.925) and dense-only retrieval (every clause of a document then shares the same
    # words), so both are off; headings and titles still count in the lexical re-ranking
    # feature. Extra points for a script's title and 相似问法 lowered hit@1/hit@5 to
    # 0.863/0.957 and no-answer recall, for three times the points to embed — off too; a
    # script's passage is embedded with its title and 相似问法 in front of the answer.
    heading_in_passage: bool = False  # embed/BM25 a clause together with its heading path
    title_in_passage: bool = False  # ... and with its document title
    question_points: bool = False  # one extra point per script title / 相似问法

    @property
    def version(self) -> str:
        """Short description stored in the manifest."""
        return (
            f"chunks/v1:heading={int(self.heading_in_passage)}:title={int(self.title_in_passage)}"
            f":questions={int(self.question_points)}"
        )
