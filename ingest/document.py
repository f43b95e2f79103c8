"""One document file → cleaned body, metadata and the version content to store.

Pure: reads the file and nothing else (no database, no writes), so ``--dry-run`` and tests
can use it freely.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ingest.clauses import split_clauses
from ingest.cleaner import CleanDocument, clean_text
from ingest.metadata import DocumentMeta, extract_metadata
from ingest.readers import SourceFile, extract_text, load_file, refuse
from kb.content import VersionContent
from kb.docno import normalize_doc_no


@dataclass
class ParsedDocument:
    """Everything read off one document file."""

    source: SourceFile
    reader: str
    clean: CleanDocument
    meta: DocumentMeta

    @property
    def body(self) -> str:
        """The cleaned body, one paragraph / clause per line."""
        return self.clean.body

    @property
    def source_key(self) -> str | None:
        """Identity for re-ingest by 文号 (normalised); None when the document has none."""
        return f"文号:{normalize_doc_no(self.meta.doc_no)}" if self.meta.doc_no else None

    def file_key(self, unit_code: str) -> str:
        """Identity for re-ingest by source file name (documents without a 文号).

        Scoped by the owner unit: two units' "通知.docx" are different documents, while one
        unit sending the same file name again is sending a new version of it.
        """
        return f"文件:{unit_code}/{self.source.name}"

    def chunk_count(self) -> int:
        """How many clause chunks the body splits into."""
        return len(split_clauses(self.body))

    def content(self) -> VersionContent:
        """The version content this document becomes (validated)."""
        meta = self.meta
        extra = meta.as_meta()
        extra["reader"] = self.reader
        extra["removed_lines"] = self.clean.removed_counts()
        extra["original_name"] = self.source.name
        return VersionContent.build(
            title=meta.title or Path(self.source.name).stem,
            body=self.body,
            basis_title=meta.basis_title,
            doc_no=meta.doc_no,
            issuer=meta.issuer,
            published_on=meta.published_on,
            effective_from=meta.effective_from,
            expires_on=meta.expires_on,
            meta=extra,
        )


def parse_document(path: Path, *, max_mb: float, display: str | None = None) -> ParsedDocument:
    """Read, clean and extract metadata from one document file; ``display`` is the name the
    file was given under when ``path`` is a temporary copy (an upload)."""
    source = load_file(path, max_mb, display=display)
    extracted = extract_text(source)
    clean = clean_text(extracted.text, title_hint=extracted.hints.get("title"))
    if not clean.lines:
        raise refuse(source, "清理网页框架和无关内容后没有剩下正文。")
    meta = extract_metadata(clean, fallback_title=Path(source.name).stem, hints=extracted.hints)
    return ParsedDocument(source, extracted.reader, clean, meta)
