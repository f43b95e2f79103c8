"""Keeping every ingested file byte for byte, addressed by its SHA-256.

``HOME/originals/ab/abcdef….pdf``: the same bytes are stored once however often they are
ingested, and a version's ``source_sha256`` always leads back to exactly what was given.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ingest.readers import SourceFile


def original_path(originals_dir: Path, sha256: str, suffix: str) -> Path:
    """Where the original with this hash is (or will be) kept."""
    return originals_dir / sha256[:2] / f"{sha256}{suffix.lower()}"


def keep_original(source: SourceFile, originals_dir: Path) -> Path:
    """Store ``source`` under ``originals_dir`` unless already there; returns the path."""
    target = original_path(originals_dir, source.sha256, source.suffix)
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    # write then rename, so a crash never leaves a truncated "original"
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(source.data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target
