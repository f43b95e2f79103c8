"""The vault: which placeholder stands for which value, for one call or conversation.

It lives in this process's memory only (or, serialised by its owner, in the work order it
belongs to). It never prints its values: ``repr(vault)`` and ``str(vault)`` show counts per
type, so a vault that ends up in a log line or a traceback leaks nothing.
"""

from __future__ import annotations

import threading
from collections import Counter


class Vault:
    """Value ↔ placeholder map: the same value always gets the same placeholder."""

    __slots__ = ("_by_placeholder", "_by_value", "_counters", "_lock")

    def __init__(self) -> None:
        self._by_value: dict[tuple[str, str], str] = {}
        self._by_placeholder: dict[str, str] = {}
        self._counters: Counter[str] = Counter()
        self._lock = threading.Lock()

    def placeholder_for(self, label: str, value: str) -> str:
        """The placeholder of ``value`` under ``label`` (〔姓名1〕), created when new."""
        key = (label, value)
        with self._lock:
            existing = self._by_value.get(key)
            if existing is not None:
                return existing
            self._counters[label] += 1
            placeholder = f"〔{label}{self._counters[label]}〕"
            self._by_value[key] = placeholder
            self._by_placeholder[placeholder] = value
            return placeholder

    def reserve(self, label: str, number: int) -> None:
        """Never issue ``〔{label}{number}〕`` or lower: the text already uses it (text masked
        earlier with another vault must not get colliding placeholders)."""
        with self._lock:
            self._counters[label] = max(self._counters[label], number)

    def value_of(self, placeholder: str) -> str | None:
        """The original value behind ``placeholder``, or None if this vault never made it."""
        return self._by_placeholder.get(placeholder)

    def values(self) -> list[tuple[str, str]]:
        """``(label, value)`` pairs known to this vault, in the order they were added."""
        return list(self._by_value)

    def placeholders(self) -> list[str]:
        """Every placeholder this vault has issued."""
        return list(self._by_placeholder)

    def export(self) -> dict[str, str]:
        """placeholder → value, for the owner that stores the vault with its work order.

        Only ever persist this next to the record it belongs to; never log it.
        """
        return dict(self._by_placeholder)

    @classmethod
    def restore(cls, mapping: dict[str, str]) -> Vault:
        """A vault from :meth:`export` output (numbering continues after the highest)."""
        vault = cls()
        for placeholder, value in mapping.items():
            body = placeholder.strip("〔〕")
            label = body.rstrip("0123456789")
            number = int(body[len(label) :] or 0)
            vault._by_value[(label, value)] = placeholder
            vault._by_placeholder[placeholder] = value
            vault._counters[label] = max(vault._counters[label], number)
        return vault

    def __len__(self) -> int:
        return len(self._by_placeholder)

    def __bool__(self) -> bool:
        return True

    def __repr__(self) -> str:
        counts = "，".join(f"{label}×{n}" for label, n in sorted(self._counters.items()))
        return f"<Vault {len(self)} 项{('：' + counts) if counts else ''}>"

    __str__ = __repr__

    def __getstate__(self) -> None:
        # Refuse pickling: a pickled vault would carry citizens' data into caches and queues.
        raise TypeError("Vault 不可序列化：如需随工单保存，请使用 export() 并只存入该工单")
