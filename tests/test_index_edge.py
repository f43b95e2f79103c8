"""Qdrant Edge specifics: one owner process at a time, clear errors, safe rebuilds."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from assistant.index import edge
from assistant.index.base import IndexPoint
from assistant.index.edge import EdgeIndex
from assistant.index.manifest import IndexManifest
from assistant.index.store import close_indexes, open_index, rebuild_index
from assistant.sparse import SparseVec
from kb.errors import Conflict, ServiceUnavailable
from kb.settings import Settings

MANIFEST = IndexManifest(embed_model="m", dim=4, sparse_version="s", chunking="c")


def point(i: int) -> IndexPoint:
    return IndexPoint(
        f"00000000-0000-0000-0000-{i:012d}",
        np.array([1.0, i, 0, 0], dtype=np.float32),
        SparseVec((i,), (1.0,)),
        {"entry_id": i, "valid_from": 0, "valid_to": 99991231},
    )


@pytest.fixture(autouse=True)
def short_lock_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(edge, "LOCK_WAIT_SECONDS", 0.3)


def test_second_opener_gets_a_clear_error(tmp_path: Path) -> None:
    owner = EdgeIndex.create(tmp_path / "idx", MANIFEST)
    with pytest.raises(ServiceUnavailable, match="正被另一个进程使用"):
        EdgeIndex.open(tmp_path / "idx", MANIFEST)
    owner.close()
    again = EdgeIndex.open(tmp_path / "idx", MANIFEST)  # free once the owner closed it
    again.close()


def test_missing_index_says_how_to_build_it(tmp_path: Path) -> None:
    with pytest.raises(Conflict, match="hotline reindex"):
        EdgeIndex.open(tmp_path / "nothing", MANIFEST)


def test_rebuild_swaps_in_a_complete_index_only(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path / "home")
    try:
        first = rebuild_index(MANIFEST, lambda idx: idx.upsert([point(1), point(2)]), settings)
        assert first.count() == 2

        def failing(idx) -> None:
            idx.upsert([point(3)])
            raise RuntimeError("embedding failed half way")

        with pytest.raises(RuntimeError):
            rebuild_index(MANIFEST, failing, settings)
        # the previous, complete index is still the one in place
        assert open_index(MANIFEST, settings).count() == 2
        rebuilt = rebuild_index(MANIFEST, lambda idx: idx.upsert([point(5)]), settings)
        assert {p["entry_id"] for _, p in rebuilt.iter_payloads()} == {5}
    finally:
        close_indexes()


def test_writes_survive_a_crash_through_the_wal(tmp_path: Path) -> None:
    import subprocess
    import sys

    code = f"""
import os, numpy as np
from assistant.index.edge import EdgeIndex
from assistant.index.manifest import IndexManifest
from assistant.index.base import IndexPoint
from assistant.sparse import SparseVec
idx = EdgeIndex.create({str(tmp_path / "idx")!r}, IndexManifest(embed_model="m", dim=4, sparse_version="s", chunking="c"))
idx.upsert([IndexPoint("00000000-0000-0000-0000-000000000007", np.ones(4, np.float32), SparseVec((), ()), {{"entry_id": 7}})])
os._exit(0)  # no flush, no close
"""
    subprocess.run([sys.executable, "-c", code], check=True)
    index = EdgeIndex.open(tmp_path / "idx", MANIFEST)
    assert [p["entry_id"] for _, p in index.iter_payloads()] == [7]
    index.close()
