"""API bearer tokens: each token acts as one user, with that user's role and unit.

A token is shown once when it is created; only its SHA-256 is stored. Tokens are 32 random
bytes, so a plain (unsalted) hash is enough: there is nothing to brute-force, and a hash
lookup keeps authentication one indexed query per request.

Authentication deliberately writes nothing (no "last used" stamp): a request that is refused
must leave the database exactly as it was, and the audit log already records every write
with the token's user.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import DateTime, ForeignKey, Integer, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from kb import audit
from kb.clock import utcnow
from kb.errors import Conflict, InvalidInput, NotFound, Unauthenticated
from kb.models import Base, User
from kb.units import get_user

TOKEN_PREFIX = "hd_"
MAX_EXPIRY_DAYS = 3650


class ApiToken(Base):
    """One issued token (its hash), whose user it acts as, and its validity."""

    __tablename__ = "api_tokens"
    __table_args__ = (UniqueConstraint("token_hash", name="uq_api_tokens_token_hash"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64))
    # the first characters, so people can tell their tokens apart in `token list`
    hint: Mapped[str] = mapped_column(String(16))
    label: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(80))
    expires_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_by: Mapped[str | None] = mapped_column(String(80))

    user: Mapped[User] = relationship()

    def state(self, now: dt.datetime) -> str:
        """``active``, ``revoked`` or ``expired`` at ``now``."""
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and _aware(self.expires_at) <= now:
            return "expired"
        return "active"


STATE_ZH = {"active": "有效", "revoked": "已吊销", "expired": "已过期"}


def _aware(ts: dt.datetime) -> dt.datetime:
    # SQLite hands timestamps back naive (they were stored as UTC)
    return ts if ts.tzinfo is not None else ts.replace(tzinfo=dt.UTC)


def hash_token(raw: str) -> str:
    """The stored form of a token."""
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def create_token(
    session: Session,
    actor: str,
    user_name: str,
    *,
    expires_days: int | None = None,
    label: str = "",
) -> tuple[ApiToken, str]:
    """Issue a token for ``user_name``; returns the row and the raw token (shown once)."""
    user = get_user(session, user_name)
    if expires_days is not None and not 1 <= expires_days <= MAX_EXPIRY_DAYS:
        raise InvalidInput(f"有效天数应在 1 到 {MAX_EXPIRY_DAYS} 之间（不填则长期有效）。")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = utcnow()
    token = ApiToken(
        user_id=user.id,
        user=user,
        token_hash=hash_token(raw),
        hint=raw[:10],
        label=(label or "").strip()[:120],
        created_at=now,
        created_by=actor,
        expires_at=now + dt.timedelta(days=expires_days) if expires_days else None,
    )
    session.add(token)
    session.flush()
    audit.record(
        session,
        actor,
        "token.create",
        token_id=token.id,
        user=user.name,
        role=user.role.value,
        expires_at=token.expires_at.isoformat() if token.expires_at else None,
    )
    return token, raw


def authenticate(session: Session, raw: str | None) -> tuple[ApiToken, User]:
    """The token and its user, or :class:`Unauthenticated` saying what is wrong."""
    if not raw or not raw.strip():
        raise Unauthenticated("缺少访问令牌：请在请求头中携带 Authorization: Bearer <令牌>。")
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(raw.strip())))
    if token is None:
        raise Unauthenticated(
            "访问令牌无效，请核对后重试，或请管理员用 `hotline token create` 重新签发。"
        )
    state = token.state(utcnow())
    if state == "revoked":
        raise Unauthenticated("访问令牌已被吊销，请向管理员申请新的令牌。")
    if state == "expired":
        raise Unauthenticated("访问令牌已过期，请向管理员申请新的令牌。")
    user = token.user
    if user is None or not user.active:
        raise Unauthenticated("令牌对应的用户已停用，请联系管理员。")
    return token, user


def list_tokens(session: Session, user_name: str | None = None) -> list[ApiToken]:
    """Every token (optionally of one user), newest first."""
    stmt = select(ApiToken).order_by(ApiToken.id.desc())
    if user_name:
        stmt = stmt.where(ApiToken.user_id == get_user(session, user_name).id)
    return list(session.scalars(stmt))


def revoke_token(session: Session, actor: str, token_id: int) -> ApiToken:
    """Revoke a token for good; it stops working on the next request."""
    token = session.get(ApiToken, token_id)
    if token is None:
        raise NotFound(f"没有编号为 {token_id} 的令牌，可用 `hotline token list` 查看。")
    if token.revoked_at is not None:
        raise Conflict(f"令牌 {token_id} 已于 {_aware(token.revoked_at):%Y-%m-%d %H:%M} 吊销。")
    token.revoked_at = utcnow()
    token.revoked_by = actor
    audit.record(session, actor, "token.revoke", token_id=token.id, user=token.user.name)
    return token


def token_dict(token: ApiToken, now: dt.datetime | None = None) -> dict:
    """JSON form of a token (never the secret)."""
    state = token.state(now or utcnow())
    return {
        "id": token.id,
        "user": token.user.name,
        "role": token.user.role.value,
        "unit": token.user.unit.name if token.user.unit else None,
        "hint": token.hint + "…",
        "label": token.label,
        "created_at": token.created_at,
        "created_by": token.created_by,
        "expires_at": token.expires_at,
        "revoked_at": token.revoked_at,
        "state": state,
        "state_zh": STATE_ZH[state],
    }
