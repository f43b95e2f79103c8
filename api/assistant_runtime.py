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
from kb.errors import HotlineError, ServiceUnavailable
from kb.settings import Settings

log = logging.getLogger("hotline.api")

PART_ZH = {
    "retrieval": "智能问答（知识库检索）",
    "triage": "紧急分流",
    "filler": "智能填单",
    "dispatcher": "智能派单",
    "duplicates": "重复诉求提示",
    "call_desk": "智能填单与派单",
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


def _load_retrieval(settings: Settings, db: Database) -> dict[str, Any]:
    from assistant.listener import enable_index_sync
    from assistant.runtime import get_runtime
    from assistant.sync import ensure_index

    runtime = get_runtime(settings)
    runtime.warm_up()
    with db.session() as session:
        ensure_index(session, runtime)  # first start: build the index from the KB
    runtime.index()  # open it now (Qdrant Edge: this process owns it from here on)
    enable_index_sync()  # approvals through the API reach the index in the same transaction
    return {"retrieval": runtime}


def _load_triage(_settings: Settings, _db: Database) -> dict[str, Any]:
    from assistant.triage import triage_report

    triage_report("预热")
    return {"triage": triage_report}


def _load_call_desk(_settings: Settings, db: Database) -> dict[str, Any]:
    # one CallDesk: form filling and dispatch share the catalog matcher (the caller's words
    # are embedded once per call) and dispatch learns from recorded outcomes
    from assistant.call_desk import CallDesk

    with db.session() as session:
        desk = CallDesk(session=session)
    desk.filler.fill("市民：你好，我想咨询一下。")
    return {"call_desk": desk, "filler": desk.filler, "dispatcher": desk.dispatcher}


def _load_duplicates(_settings: Settings, _db: Database) -> dict[str, Any]:
    from assistant.duplicates import find_duplicates
    from kb.sealing import get_sealer

    get_sealer()  # the keyed-hash key must be readable now, not during a call
    return {"duplicates": find_duplicates}


# loader → the parts it provides
LOADERS = {
    _load_retrieval: ("retrieval",),
    _load_triage: ("triage",),
    _load_call_desk: ("filler", "dispatcher"),
    _load_duplicates: ("duplicates",),
}


def load_assistant(
    settings: Settings, db: Database, parts: tuple[str, ...] | None = None
) -> Assistant:
    """Load every part (or only ``parts``); failures are recorded, not raised."""
    assistant = Assistant()
    for loader, names in LOADERS.items():
        if parts is not None and not set(names) & set(parts):
            assistant.missing.update(dict.fromkeys(names, "本服务未启用"))
            continue
        try:
            assistant.parts.update(loader(settings, db))
        except ImportError as exc:
            assistant.missing.update(dict.fromkeys(names, f"未安装（{exc.name or exc}）"))
            log.warning("assistant parts %s not installed: %s", names, exc)
        except HotlineError as exc:  # e.g. an index built differently: says what to run
            assistant.missing.update(dict.fromkeys(names, f"加载失败：{exc.message}"))
            log.error("assistant parts %s not loaded: %s", names, exc.message)
        except Exception as exc:
            assistant.missing.update(dict.fromkeys(names, f"加载失败（{type(exc).__name__}）"))
            log.exception("assistant parts %s failed to load", names)
    return assistant
