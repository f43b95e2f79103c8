"""From a KB version to the llama-index nodes that get indexed.

The KB stores each policy as one entry whose body is the cleaned full text; chunks are
derived here, at index time, with the ingest clause splitter (``ingest.clauses``) — exactly
like the vectors, they can always be rebuilt from the body.

* policy / notice: one node per clause; the operator is shown the clause text;
* script / faq: one ``passage`` node (title + 相似问法 + answer are matched, the whole answer
  is shown); optionally (``ChunkOptions.question_points``, off — see there) one ``question``
  node per title and alternative question showing the same answer.

What is embedded and BM25-indexed is ``node.get_content(MetadataMode.EMBED)``: the single
metadata key ``embed_prefix`` followed by the node text; every other metadata key is payload.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from llama_index.core.schema import (
    BaseNode,
    Document,
    MetadataMode,
    NodeRelationship,
    TextNode,
    TransformComponent,
)

from assistant.chunk_options import (
    PASSAGE_ROLE,
    QUESTION_ROLE,
    SHORT_KINDS,
    ChunkOptions,
    point_id,
)
from assistant.index.base import OPEN_END, OPEN_START, day_int
from kb.models import Entry, EntryVersion

EMBED_KEY = "embed_prefix"
ANSWER_KEY = "answer"


def version_metadata(entry: Entry, version: EntryVersion) -> dict[str, Any]:
    """Payload fields every node of this version carries."""
    unit = entry.owner_unit
    return {
        "entry_id": entry.id,
        "version": version.version_no,
        "kind": entry.kind.value,
        "region": entry.region,
        "unit": unit.code,
        "unit_name": unit.name,
        "category": version.category or "",
        "valid_from": day_int(version.effective_from, OPEN_START),
        "valid_to": day_int(version.expires_on, OPEN_END),
        "effective_from": version.effective_from.isoformat() if version.effective_from else None,
        "expires_on": version.expires_on.isoformat() if version.expires_on else None,
        "title": version.title,
        "doc_no": version.doc_no,
        "basis_title": version.basis_title,
        "basis_clause": version.basis_clause,
        "content_hash": version.content_hash,
    }


def document_for(entry: Entry, version: EntryVersion) -> Document:
    """The llama-index Document of one live version (its body, metadata as payload)."""
    metadata = version_metadata(entry, version)
    metadata["questions"] = list(version.questions or [])
    return Document(
        text=version.body, id_=f"entry-{entry.id}-v{version.version_no}", metadata=metadata
    )


def _node(
    doc: Document, role: str, seq: int, text: str, prefix: str, extra: dict[str, Any]
) -> TextNode:
    meta = {k: v for k, v in doc.metadata.items() if k != "questions"}
    meta.update(extra)
    meta.update({"role": role, "seq": seq, EMBED_KEY: prefix})
    node = TextNode(
        id_=point_id(meta["entry_id"], meta["version"], role, seq),
        text=text,
        metadata=meta,
        excluded_embed_metadata_keys=[k for k in meta if k != EMBED_KEY],
        excluded_llm_metadata_keys=[EMBED_KEY],
        metadata_template="{value}",
        metadata_seperator="\n",
        text_template="{metadata_str}\n{content}",
    )
    node.relationships[NodeRelationship.SOURCE] = doc.as_related_node_info()
    return node


class ClauseSplitter(TransformComponent):
    """llama-index transformation: Documents of KB versions → indexable TextNodes."""

    heading_in_passage: bool = False
    title_in_passage: bool = False
    question_points: bool = False

    @classmethod
    def from_options(cls, options: ChunkOptions) -> ClauseSplitter:
        """A splitter configured by ``options``."""
        return cls(
            heading_in_passage=options.heading_in_passage,
            title_in_passage=options.title_in_passage,
            question_points=options.question_points,
        )

    def __call__(self, nodes: Sequence[BaseNode], **kwargs: Any) -> list[BaseNode]:
        out: list[BaseNode] = []
        for doc in nodes:
            assert isinstance(doc, Document)
            if doc.metadata["kind"] in SHORT_KINDS:
                out.extend(self._script_nodes(doc))
            else:
                out.extend(self._clause_nodes(doc))
        return out

    def _script_nodes(self, doc: Document) -> list[TextNode]:
        title, questions, body = doc.metadata["title"], doc.metadata["questions"], doc.text
        nodes = [
            _node(
                doc,
                PASSAGE_ROLE,
                0,
                body,
                "\n".join([title, *questions]),
                # the 相似问法 ride along in the payload: the answer decision checks the
                # caller's words against them (assistant.answerability)
                {"heading_path": [], "questions": list(questions)},
            )
        ]
        if self.question_points:
            for seq, question in enumerate(dict.fromkeys([title, *questions]), start=1):
                nodes.append(
                    _node(
                        doc,
                        QUESTION_ROLE,
                        seq,
                        question,
                        "",
                        {
                            "heading_path": [],
                            "questions": list(questions),
                            ANSWER_KEY: body,
                            "question": question,
                        },
                    )
                )
        return nodes

    def _clause_nodes(self, doc: Document) -> list[TextNode]:
        from ingest.clauses import split_clauses

        nodes = []
        for clause in split_clauses(doc.text):
            parts = []
            if self.title_in_passage:
                parts.append(doc.metadata["title"])
            if self.heading_in_passage:
                parts.extend(clause.heading_path)
            nodes.append(
                _node(
                    doc,
                    PASSAGE_ROLE,
                    clause.seq,
                    clause.text,
                    " ".join(parts),
                    {"heading_path": list(clause.heading_path)},
                )
            )
        return nodes


def embed_text(node: BaseNode) -> str:
    """What is embedded and BM25-indexed for a node."""
    return node.get_content(metadata_mode=MetadataMode.EMBED).strip()


def display_text(node: BaseNode) -> str:
    """What the operator is shown for a node (a script's whole answer, or the clause)."""
    return node.metadata.get(ANSWER_KEY) or node.get_content(metadata_mode=MetadataMode.NONE)


def node_payload(node: BaseNode) -> dict[str, Any]:
    """The stored payload of a node: its metadata (minus embedding helpers) and its text."""
    payload = {k: v for k, v in node.metadata.items() if k not in (EMBED_KEY, ANSWER_KEY)}
    payload["text"] = display_text(node)
    return payload


def nodes_for(pairs: Iterable[tuple[Entry, EntryVersion]], options: ChunkOptions) -> list[TextNode]:
    """Split without embedding (what ``hotline check`` compares the index with)."""
    splitter = ClauseSplitter.from_options(options)
    return splitter([document_for(e, v) for e, v in pairs])  # type: ignore[return-value]
