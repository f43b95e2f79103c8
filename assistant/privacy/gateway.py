"""The one way out to a language model: mask → check twice → send → log masked → unmask.

Every outbound model call in this project goes through :func:`chat`. The HTTP client that
speaks the OpenAI-compatible chat-completions API is the private :class:`_ChatClient` in
this module; nothing else in the code base talks to a model endpoint (a test greps for it),
so there is no path to the model that skips masking.

Configuration: ``HOTLINE_LLM_URL`` (base URL, e.g. ``http://127.0.0.1:8000/v1``),
``HOTLINE_LLM_MODEL`` and optionally ``HOTLINE_LLM_KEY`` and ``HOTLINE_LLM_TIMEOUT_S``.
Nothing needs a model by default; without a URL and model :func:`chat` raises
:class:`~kb.errors.ServiceUnavailable`.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import httpx

from assistant.privacy.entities import ENTITY_NAMES_ZH
from assistant.privacy.masking import mask, scan, unmask
from assistant.privacy.outgoing import residual_personal_data
from assistant.privacy.vault import Vault
from kb.errors import InvalidInput, PrivacyViolation, ServiceUnavailable
from kb.settings import Settings, get_settings

log = logging.getLogger("hotline.privacy.gateway")

ROLES = ("system", "user", "assistant")


@dataclass(frozen=True)
class ChatReply:
    """The model's answer: restored for the operator, and as the model wrote it."""

    text: str
    masked_text: str
    vault: Vault
    model: str


class _ChatClient:
    """OpenAI-compatible ``/chat/completions`` over httpx. Private: use :func:`chat`."""

    def __init__(self, base_url: str, api_key: str | None, timeout: float) -> None:
        url = base_url.rstrip("/")
        self._url = url if url.endswith("/chat/completions") else url + "/chat/completions"
        self._headers = {"Content-Type": "application/json"}
        if api_key:
            self._headers["Authorization"] = f"Bearer {api_key}"
        self._timeout = timeout

    def complete(self, payload: dict) -> str:
        """POST one request; the first choice's message content."""
        try:
            with httpx.Client(timeout=self._timeout, trust_env=False) as client:
                response = client.post(self._url, headers=self._headers, json=payload)
        except httpx.HTTPError as exc:
            raise ServiceUnavailable(
                f"无法连接大模型服务（{type(exc).__name__}）：请检查 HOTLINE_LLM_URL 与网络后重试。"
            ) from None
        if response.status_code != 200:
            raise ServiceUnavailable(
                f"大模型服务返回错误（HTTP {response.status_code}）：请检查模型名称与密钥后重试。"
            )
        try:
            content = response.json()["choices"][0]["message"]["content"]
        except (ValueError, KeyError, IndexError, TypeError):
            raise ServiceUnavailable(
                "大模型服务的应答格式不符合 OpenAI 接口：请检查服务地址。"
            ) from None
        if not isinstance(content, str):
            raise ServiceUnavailable("大模型服务的应答没有文本内容。")
        return content


def _checked_messages(messages: Sequence[Mapping[str, str]]) -> list[tuple[str, str]]:
    if not messages:
        raise InvalidInput("没有要发送给大模型的消息。")
    checked = []
    for message in messages:
        role, content = message.get("role"), message.get("content")
        if role not in ROLES or not isinstance(content, str):
            raise InvalidInput(
                "消息格式错误：每条消息需要 role（system/user/assistant）和文本 content。"
            )
        checked.append((role, content))
    return checked


def _refuse_if_personal(payload: dict) -> None:
    """Check every outgoing message twice; refuse the call if either check finds anything.

    First the recognizers again (masking can expose a new reading of the text around a
    placeholder), then :func:`~assistant.privacy.outgoing.residual_personal_data`, an
    independent and deliberately cruder check that does not share masking's blind spots.
    """
    leftover: set[str] = set()
    for message in payload["messages"]:
        content = message["content"]
        leftover.update(ENTITY_NAMES_ZH.get(d.entity_type, d.entity_type) for d in scan(content))
        leftover.update(residual_personal_data(content))
    if leftover:
        kinds = sorted(leftover)
        log.warning("llm request refused: personal data left after masking: %s", kinds)
        raise PrivacyViolation(
            f"外发内容脱敏后仍检出疑似个人信息（{'、'.join(kinds)}），已拒绝发送给大模型。"
            "请删除这些信息后重试，并向管理员报告以完善脱敏规则。"
        )


def chat(
    messages: Sequence[Mapping[str, str]],
    *,
    vault: Vault | None = None,
    temperature: float = 0.2,
    max_tokens: int | None = None,
    settings: Settings | None = None,
) -> ChatReply:
    """Send a chat to the configured model with every message masked; unmask the answer.

    Pass the conversation's ``vault`` to keep placeholders stable across turns.
    """
    settings = settings or get_settings()
    if not settings.llm_url or not settings.llm_model:
        raise ServiceUnavailable(
            "未配置大模型服务：请设置 HOTLINE_LLM_URL 和 HOTLINE_LLM_MODEL 后重试（默认不需要大模型）。"
        )
    checked = _checked_messages(messages)
    vault = vault if vault is not None else Vault()
    payload: dict = {
        "model": settings.llm_model,
        "messages": [
            {"role": role, "content": mask(content, vault).text} for role, content in checked
        ],
        "temperature": temperature,
    }
    if max_tokens is not None:
        payload["max_tokens"] = max_tokens
    _refuse_if_personal(payload)
    log.info("llm request: %s", json.dumps(payload, ensure_ascii=False))
    client = _ChatClient(settings.llm_url, settings.llm_key, settings.llm_timeout_s)
    masked_reply = client.complete(payload)
    log.info("llm reply: %s", masked_reply)
    return ChatReply(
        text=unmask(masked_reply, vault),
        masked_text=masked_reply,
        vault=vault,
        model=settings.llm_model,
    )
