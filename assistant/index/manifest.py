"""How an index was built, kept next to it and checked on every open.

An index built with one embedding model (or dimension, or tokenizer dictionary) and queried
with another returns garbage without any error; the manifest turns that into a clear refusal
telling the user to rebuild.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from kb.errors import Conflict

#: bump when the payload layout or point-id scheme changes
#: (2: scripts carry their 相似问法 as ``questions``, read by the answer decision)
SCHEMA_VERSION = 2


@dataclass(frozen=True)
class IndexManifest:
    """Everything the stored vectors depend on."""

    embed_model: str
    dim: int
    sparse_version: str
    chunking: str = ""
    schema_version: int = SCHEMA_VERSION
    created_at: str = field(default_factory=lambda: dt.datetime.now(dt.UTC).isoformat())

    def to_dict(self) -> dict:
        """JSON form."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> IndexManifest:
        """Parse the stored form (unknown keys ignored)."""
        names = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in data.items() if k in names})

    def differences(self, wanted: IndexManifest) -> list[str]:
        """What differs from ``wanted`` (Chinese, one line each); empty when compatible."""
        out = []
        if self.schema_version != wanted.schema_version:
            out.append(f"索引结构版本 {self.schema_version}，程序需要 {wanted.schema_version}")
        if self.embed_model != wanted.embed_model:
            out.append(f"嵌入模型为 {self.embed_model}，当前配置为 {wanted.embed_model}")
        if self.dim != wanted.dim:
            out.append(f"向量维度为 {self.dim}，当前模型为 {wanted.dim}")
        if self.sparse_version != wanted.sparse_version:
            out.append(
                f"分词词典/BM25 参数为 {self.sparse_version}，当前为 {wanted.sparse_version}"
            )
        if self.chunking != wanted.chunking:
            out.append(f"分块方式为 {self.chunking}，当前为 {wanted.chunking}")
        return out

    def require_compatible(self, wanted: IndexManifest, where: str) -> None:
        """Refuse to use an index built differently."""
        diffs = self.differences(wanted)
        if diffs:
            raise Conflict(
                f"检索索引（{where}）的建立方式与当前配置不一致，不能混用；"
                "请运行 `hotline reindex` 按当前配置重建索引。",
                details=diffs,
            )

    def write(self, path: Path) -> None:
        """Save as JSON (atomically)."""
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.to_dict(), ensure_ascii=False, indent=2), "utf-8")
        tmp.replace(path)

    @classmethod
    def read(cls, path: Path) -> IndexManifest | None:
        """Load from JSON, None if absent."""
        if not path.exists():
            return None
        return cls.from_dict(json.loads(path.read_text("utf-8")))
