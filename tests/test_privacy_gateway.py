"""The gateway against a real local HTTP server speaking the OpenAI chat-completions API."""

from __future__ import annotations

import json
import logging
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from assistant.privacy import gateway, mask
from assistant.privacy.gateway import chat
from assistant.privacy.outgoing import ACCOUNT, DIGITS, EMAIL, NAME, PLATE, residual_personal_data
from kb.errors import InvalidInput, PrivacyViolation, ServiceUnavailable
from kb.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
DATASETS = ROOT / "eval" / "datasets"
DATASET = DATASETS / "pii_dev.jsonl"
# Texts the outgoing check refuses although masking left nothing labelled in them: an
# unexplained 18-digit number and a student number that embeds an ID number. Refusing
# them is the check doing its job (BENCHMARKS.md gives the rate); the list is exact so
# that any new refusal — or a text that stops being refused — shows up here.
EXPECTED_REFUSALS = {
    "pii_dev.jsonl": {"hard-012"},
    "pii_holdout.jsonl": set(),
    "pii_holdout2.jsonl": {"holdout2-015"},
    "pii_holdout3.jsonl": set(),
}


@dataclass
class FakeModel:
    """What the fake OpenAI server received, and how it should answer."""

    url: str
    bodies: list[bytes] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)
    status: int = 200


@pytest.fixture
def fake_model() -> Iterator[FakeModel]:
    """A chat-completions server on 127.0.0.1 that echoes the last user message."""
    state = FakeModel(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            state.bodies.append(body)
            state.headers.append(dict(self.headers))
            if self.path != "/v1/chat/completions":
                self.send_error(404)
                return
            if state.status != 200:
                self.send_error(state.status)
                return
            request = json.loads(body)
            last = [m["content"] for m in request["messages"] if m["role"] == "user"][-1]
            reply = {
                "id": "chatcmpl-test",
                "object": "chat.completion",
                "model": request["model"],
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": last},
                        "finish_reason": "stop",
                    }
                ],
            }
            data = json.dumps(reply, ensure_ascii=False).encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:  # keep test output quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def _appears(value: str, haystack: str) -> bool:
    """``value`` in ``haystack``; a number only as a whole number (a 23-digit bank
    transaction id that is no PII contains many 8-digit runs)."""
    if value.isdigit():
        return re.search(rf"(?<!\d){value}(?!\d)", haystack) is not None
    return value in haystack


def settings_for(model: FakeModel, key: str | None = "sk-test") -> Settings:
    return Settings(llm_url=model.url, llm_model="qwen-test", llm_key=key)


@pytest.mark.parametrize("dataset", sorted(EXPECTED_REFUSALS))
def test_every_dataset_text_leaves_masked_and_comes_back_restored(
    fake_model: FakeModel, caplog: pytest.LogCaptureFixture, dataset: str
) -> None:
    records = [
        json.loads(line) for line in (DATASETS / dataset).read_text(encoding="utf-8").splitlines()
    ]
    settings = settings_for(fake_model)
    caplog.set_level(logging.INFO, logger="hotline.privacy.gateway")
    sent_records, refused = [], set()
    for record in records:
        try:
            reply = chat([{"role": "user", "content": record["text"]}], settings=settings)
        except PrivacyViolation:
            refused.add(record["id"])
            continue
        sent_records.append(record)
        assert reply.text == record["text"]  # the operator sees the caller's own words
        assert reply.masked_text == mask(record["text"]).text
    assert refused == EXPECTED_REFUSALS[dataset]
    assert len(fake_model.bodies) == len(sent_records)
    received = "\n".join(body.decode("utf-8") for body in fake_model.bodies)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    values = {e["value"] for r in records for e in r["entities"] if len(e["value"]) >= 2}
    assert len(values) > (500 if dataset == "pii_dev.jsonl" else 30)
    assert sorted(v for v in values if _appears(v, received)) == []
    assert sorted(v for v in values if _appears(v, logged)) == []
    # One-character values (a surname after 姓) cannot be searched for: every labelled
    # span must have been replaced by a placeholder in what was sent.
    for record, body in zip(sent_records, fake_model.bodies, strict=True):
        sent = json.loads(body)["messages"][0]["content"]
        covered = {i for e in mask(record["text"]).entities for i in range(e.start, e.end)}
        for entity in record["entities"]:
            assert set(range(entity["start"], entity["end"])) <= covered, record["id"]
        assert sent == mask(record["text"]).text


def test_conversation_vault_keeps_placeholders_stable(fake_model: FakeModel) -> None:
    settings = settings_for(fake_model)
    first = chat([{"role": "user", "content": "我叫张伟，电话13812345678"}], settings=settings)
    second = chat(
        [
            {"role": "system", "content": "你是12345热线的助手。"},
            {"role": "user", "content": "张伟想问公积金怎么提取"},
        ],
        vault=first.vault,
        settings=settings,
    )
    assert second.masked_text == "〔姓名1〕想问公积金怎么提取"
    assert second.text == "张伟想问公积金怎么提取"
    request = json.loads(fake_model.bodies[-1])
    assert request["model"] == "qwen-test"
    assert request["messages"][0] == {"role": "system", "content": "你是12345热线的助手。"}
    assert fake_model.headers[-1]["Authorization"] == "Bearer sk-test"


def test_refuses_when_masking_left_personal_data(
    fake_model: FakeModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Simulate a masking bug: nothing is masked. The re-scan must stop the call.
    class Unmasked:
        def __init__(self, text: str) -> None:
            self.text = text

    monkeypatch.setattr(gateway, "mask", lambda text, vault=None: Unmasked(text))
    with pytest.raises(PrivacyViolation) as refused:
        chat(
            [{"role": "user", "content": "我叫张伟，电话13812345678"}],
            settings=settings_for(fake_model),
        )
    assert fake_model.bodies == []
    assert "手机号" in refused.value.message and "13812345678" not in refused.value.message


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        # What masking might miss, in the shapes the outgoing check looks for.
        ("电话13812345678", [DIGITS]),
        ("我手机是幺三九，幺二八七，六五四三零", [DIGITS]),
        ("身份证６２０１０２１９８５０３１７４５２１", [DIGITS]),
        ("号码是E12345678", [DIGITS]),
        ("车牌甘 A12345", [PLATE]),
        ("发到zhangsan 艾特 qq 点 com", [EMAIL]),
        ("wechat id: zhangwei_88", [ACCOUNT]),
        ("请转告刘主任", [NAME]),
        ("王建国昨天来过", [NAME]),
        # Masked text and look-alikes pass.
        ("我叫〔姓名1〕，电话〔手机号1〕，身份证〔身份证1〕", []),
        ("工单号20251201000123已于2025-12-01办结，请拨打0931-12345", []),
        ("根据国办函〔2025〕66号，15个工作日内答复，补贴1,250.00元", []),
        ("统一社会信用代码91350100M000100Y43", []),
        ("银行流水号62220212345678901234567", []),  # 23 digits: no phone, ID or card
        ("班主任和物业经理都说维修师傅没来", []),
        ("我是白银区的，华亭市东华镇，东方红广场", []),
        ("银行卡尾号8832的那张卡被冻结了", []),  # 那张卡: 张 counts a card
    ],
)
def test_outgoing_check_shapes(text: str, kinds: list[str]) -> None:
    assert residual_personal_data(text) == kinds


def test_outgoing_check_is_independent_of_the_recognizers(
    fake_model: FakeModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A masking bug that the recognizers share: they see nothing at all. The independent
    # check must still stop the call, and say only what kind of data it saw.
    monkeypatch.setattr(gateway, "scan", lambda text: [])
    monkeypatch.setattr(gateway, "mask", lambda text, vault=None: type("M", (), {"text": text}))
    with pytest.raises(PrivacyViolation) as refused:
        chat(
            [{"role": "user", "content": "刘主任的手机13812345678"}],
            settings=settings_for(fake_model),
        )
    assert fake_model.bodies == []
    assert "姓名" in refused.value.message and "13812345678" not in refused.value.message


def test_not_configured_is_service_unavailable() -> None:
    with pytest.raises(ServiceUnavailable) as missing:
        chat([{"role": "user", "content": "你好"}], settings=Settings(llm_url=None, llm_model=None))
    assert "HOTLINE_LLM_URL" in missing.value.message


def test_configured_from_environment(
    fake_model: FakeModel, monkeypatch: pytest.MonkeyPatch, hotline_home: Path
) -> None:
    from kb.settings import get_settings

    monkeypatch.setenv("HOTLINE_LLM_URL", fake_model.url)
    monkeypatch.setenv("HOTLINE_LLM_MODEL", "env-model")
    monkeypatch.delenv("HOTLINE_LLM_KEY", raising=False)
    get_settings.cache_clear()
    reply = chat([{"role": "user", "content": "我姓王，电话13912345678"}])
    assert reply.model == "env-model"
    assert "Authorization" not in fake_model.headers[-1]
    assert reply.text == "我姓王，电话13912345678"


@pytest.mark.parametrize("status", [401, 500])
def test_server_errors_are_service_unavailable(fake_model: FakeModel, status: int) -> None:
    fake_model.status = status
    with pytest.raises(ServiceUnavailable) as failed:
        chat([{"role": "user", "content": "你好"}], settings=settings_for(fake_model))
    assert str(status) in failed.value.message


def test_unreachable_server_is_service_unavailable() -> None:
    settings = Settings(llm_url="http://127.0.0.1:9/v1", llm_model="m", llm_timeout_s=2)
    with pytest.raises(ServiceUnavailable):
        chat([{"role": "user", "content": "你好"}], settings=settings)


@pytest.mark.parametrize(
    "messages",
    [[], [{"role": "robot", "content": "x"}], [{"role": "user", "content": None}]],
)
def test_bad_messages_are_invalid_input(fake_model: FakeModel, messages: list) -> None:
    with pytest.raises(InvalidInput):
        chat(messages, settings=settings_for(fake_model))
    assert fake_model.bodies == []


# Anything that talks to a chat-completions endpoint, or builds an LLM client, outside the
# gateway would be a way around masking.
_FORBIDDEN = re.compile(
    r"chat/completions|import openai|from openai|_ChatClient|llama_index\.llms\.openai|\.llm_key"
)


def test_no_other_code_reaches_a_model() -> None:
    offenders = []
    for folder in ("kb", "ingest", "assistant", "api", "eval"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if path == ROOT / "assistant" / "privacy" / "gateway.py":
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if _FORBIDDEN.search(line):
                    offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == []
