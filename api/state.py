"""What every request handler shares: settings, the database, the loaded assistant.

Built once in the app's lifespan (the embedder and vector index are loaded there, not per
request) and kept on ``app.state.hotline``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from fastapi import Request
from sqlalchemy.orm import Session

from api.assistant_runtime import Assistant
from kb.db import Database
from kb.settings import Settings


@dataclass
class AppState:
    """Process-wide resources of one running app."""

    settings: Settings
    db: Database
    assistant: Assistant = field(default_factory=Assistant)


def app_state(request: Request) -> AppState:
    """The state of the app serving ``request``."""
    return request.app.state.hotline


@contextmanager
def unit_of_work(request: Request) -> Iterator[Session]:
    """A session committed when the block succeeds and rolled back when it raises."""
    with app_state(request).db.session() as session:
        yield session
