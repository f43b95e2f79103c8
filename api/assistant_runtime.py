"""Loading the assistant once per process (embedder, vector index, rules, catalog) at start-up.

Each part is optional: one that is not installed or fails to load is recorded with the
reason, the API answers 503 with that reason for the endpoints that need it, and the rest
keep working (an operator still gets triage alarms if dispatch is down).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from kb.db import Database
from kb.errors import ServiceUnavailable
from kb.settings import Settings

log = logging.getLogger("hotline.api")

PART_ZH = {
    "retrieval": "智能问答（知识库检索）",
    "triage": "紧急分流",
    "filler": "智能填单",
    "dispatcher": "智能派单",
    "duplicates": "重复诉求提示",
}


@dataclass
class Assistant:
    """The loaded parts; ``missing`` says why a part is not there."""

    parts: dict[str, Any] = field(default_factory=dict)
    missing: dict[str, str] = field(default_factory=dict)

    def get(self, name: str) -> Any:
        """A loaded part, or 503 naming it and the reason."""
        if name not in self.parts:
            reason = self.missing.get(name, "未加载")
            raise ServiceUnavailable(f"{PART_ZH[name]}不可用：{reason}")
        return self.parts[name]

    def has(self, name: str) -> bool:
        """True when the part is loaded."""
        return name in self.parts

    def close(self) -> None:
        """Stop following KB events and release the index (the process is shutting down)."""
        if "retrieval" in self.parts:
            from assistant.index.store import close_indexes
            from assistant.listener import disable_index_sync

            disable_index_sync()
            close_indexes()
        self.parts.clear()


def _load_retrieval(settings: Settings, db: Database) -> Any:
    from assistant.listener import enable_index_sync
    from assistant.runtime import get_runtime
    from assistant.sync import ensure_index

    runtime = get_runtime(settings)
    runtime.warm_up()
    with db.session() as session:
        ensure_index(session, runtime)  # first start: build the index from the KB
    runtime.index()  # open it now (Qdrant Edge: this process owns it from here on)
    enable_index_sync()  # approvals through the API reach the index in the same transaction
    return runtime


def _load_triage(_settings: Settings, _db: Database) -> Any:
    from assistant.triage import triage_report

    triage_report("预热")
    return triage_report


def _load_filler(_settings: Settings, _db: Database) -> Any:
    from assistant.form import default_filler

    filler = default_filler()
    filler.fill("市民：你好，我想咨询一下。")
    return filler


def _load_dispatcher(_settings: Settings, db: Database) -> Any:
    from assistant.dispatch import default_dispatcher

    with db.session() as session:
        return default_dispatcher(session)


def _load_duplicates(_settings: Settings, _db: Database) -> Any:
    from assistant.duplicates import find_duplicates

    return find_duplicates


LOADERS = {
    "retrieval": _load_retrieval,
    "triage": _load_triage,
    "filler": _load_filler,
    "dispatcher": _load_dispatcher,
    "duplicates": _load_duplicates,
}


def load_assistant(
    settings: Settings, db: Database, parts: tuple[str, ...] | None = None
) -> Assistant:
    """Load every part (or only ``parts``); failures are recorded, not raised."""
    assistant = Assistant()
    for name, loader in LOADERS.items():
        if parts is not None and name not in parts:
            assistant.missing[name] = "本服务未启用"
            continue
        try:
            assistant.parts[name] = loader(settings, db)
        except ImportError as exc:
            assistant.missing[name] = f"未安装（{exc.name or exc}）"
            log.warning("assistant part %s not installed: %s", name, exc)
        except Exception as exc:
            assistant.missing[name] = f"加载失败（{type(exc).__name__}）"
            log.exception("assistant part %s failed to load", name)
    return assistant
