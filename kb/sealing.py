"""Personal data at rest on work orders: encrypted callback data and keyed hashes.

A work order's text is stored masked. What is needed to call the citizen back (the masking
vault: placeholder → name, phone, address …) is stored *encrypted* (Fernet: AES-128-CBC with
HMAC-SHA256), and phone numbers, ID numbers and addresses are also stored as keyed hashes
(HMAC-SHA256) so duplicate detection can compare them without ever holding them in clear.

The key is ``HOTLINE_SECRET_KEY`` when set (any string of ≥ 32 characters; the Fernet and
HMAC keys are derived from it with distinct labels); otherwise a random key is generated once
into ``HOTLINE_HOME/secret.key`` (mode 0600). Whoever holds the database but not the key
sees only masked text and hashes. Losing the key loses the callback data, never the orders:
back the key up separately from the database.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
from functools import lru_cache
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

from kb.errors import HotlineError, InvalidInput
from kb.settings import Settings, get_settings

KEY_FILE = "secret.key"


def _key_file(settings: Settings) -> Path:
    return settings.home / KEY_FILE


def _load_or_create_key(path: Path) -> str:
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    try:
        # O_EXCL: when two processes race, one writes and the other reads the winner's key
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="utf-8").strip()
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key + "\n")
    return key


def master_key(settings: Settings | None = None) -> str:
    """The configured secret key, or the one kept in HOTLINE_HOME (created if absent)."""
    settings = settings or get_settings()
    if settings.secret_key is not None:
        return settings.secret_key.get_secret_value()
    key = _load_or_create_key(_key_file(settings))
    if len(key) < 32:
        raise InvalidInput(f"密钥文件 {_key_file(settings)} 内容过短（至少 32 个字符）。")
    return key


def _derive(master: str, label: str) -> bytes:
    return hmac.new(master.encode("utf-8"), label.encode("utf-8"), hashlib.sha256).digest()


class Sealer:
    """Encrypts and decrypts callback data and computes keyed hashes with one master key."""

    def __init__(self, master: str) -> None:
        self._fernet = Fernet(base64.urlsafe_b64encode(_derive(master, "hotline/fernet/v1")))
        self._hmac_key = _derive(master, "hotline/hmac/v1")

    def __repr__(self) -> str:  # never show key material
        return "Sealer(<key hidden>)"

    def seal(self, data: dict[str, str]) -> str:
        """Encrypt a small mapping (placeholder → value) to a text token."""
        raw = json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8")
        return self._fernet.encrypt(raw).decode("ascii")

    def unseal(self, token: str) -> dict[str, str]:
        """The mapping sealed in ``token``; a clear error if the key is not the one used."""
        try:
            raw = self._fernet.decrypt(token.encode("ascii"))
        except (InvalidToken, ValueError):
            raise HotlineError(
                "无法解密工单的回访信息：密钥与加密时不一致（请检查 HOTLINE_SECRET_KEY "
                "或 HOTLINE_HOME/secret.key 是否被更换）。"
            ) from None
        return json.loads(raw.decode("utf-8"))

    def keyed_hash(self, kind: str, value: str) -> str:
        """HMAC-SHA256 of a normalised value, namespaced by ``kind`` (phone, id, address)."""
        normal = "".join(value.split()).upper()
        message = f"{kind}:{normal}".encode()
        return hmac.new(self._hmac_key, message, hashlib.sha256).hexdigest()


@lru_cache(maxsize=4)
def _sealer_for(master: str) -> Sealer:
    return Sealer(master)


def get_sealer(settings: Settings | None = None) -> Sealer:
    """The process-wide sealer for the configured key."""
    return _sealer_for(master_key(settings))
