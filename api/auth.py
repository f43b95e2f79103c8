"""Bearer-token authentication and role checks.

A token acts as its user (kb.tokens). Who may do what *to an entry* is decided by kb
(kb.actors: unit scope, not reviewing one's own version) — the API only turns the token
into a :class:`kb.actors.Actor` and refuses whole endpoints to roles that never use them
(403), so every rule lives in one place.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.state import app_state
from kb.actors import ROLE_ZH, Actor
from kb.errors import PermissionDenied
from kb.models import Role
from kb.tokens import authenticate

bearer = HTTPBearer(
    auto_error=False,
    scheme_name="token",
    description="`hotline token create --user NAME` 签发的访问令牌",
)


@dataclass(frozen=True)
class Caller:
    """The user behind a request's token."""

    actor: Actor
    token_id: int
    display_name: str


def current_caller(
    request: Request, credentials: HTTPAuthorizationCredentials | None = Depends(bearer)
) -> Caller:
    """Resolve the bearer token; 401 when it is missing, unknown, revoked or expired."""
    with app_state(request).db.session() as session:
        token, user = authenticate(session, credentials.credentials if credentials else None)
        actor = Actor(user.name, user.role, user.unit_id, user.unit.name if user.unit else None)
        return Caller(actor, token.id, user.display_name or user.name)


def require_roles(*roles: Role) -> Callable[..., Caller]:
    """A dependency admitting only callers with one of ``roles`` (403 otherwise)."""
    allowed = frozenset(roles)
    names = "、".join(ROLE_ZH[r] for r in roles)

    def dependency(caller: Caller = Depends(current_caller)) -> Caller:
        if caller.actor.role not in allowed:
            raise PermissionDenied(
                f"此操作仅限{names}；当前令牌属于{ROLE_ZH[caller.actor.role]}{caller.actor.name}。"
            )
        return caller

    return dependency


ALL_ROLES = tuple(Role)
EDITORS = (Role.ADMIN, Role.MAINTAINER, Role.REVIEWER)
DESK = (Role.ADMIN, Role.OPERATOR)
QA_ROLES = (Role.ADMIN, Role.QA)

any_user = require_roles(*ALL_ROLES)
editor = require_roles(*EDITORS)
desk_user = require_roles(*DESK)
qa_user = require_roles(*QA_ROLES)
