"""Loading the assistant once per process (embedder, vector index, rules) at start-up."""

from __future__ import annotations

from typing import Any

from kb.db import Database
from kb.settings import Settings


def load_components(settings: Settings, db: Database) -> dict[str, Any]:
    """The assistant parts this installation has, loaded and warmed up."""
    return {}
