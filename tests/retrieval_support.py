"""Helpers for the retrieval tests: entries published through the real lifecycle."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from assistant.runtime import Runtime, get_runtime
from kb import lifecycle
from kb.actors import Actor
from kb.content import VersionContent
from kb.entries import create_entry, edit_entry
from kb.models import Entry
from kb.settings import get_settings

DAY = dt.date(2026, 11, 22)

NEWBORN = (
    "新生儿出生后，由父亲或母亲持出生医学证明、父母身份证和户口簿到户籍所在地派出所办理出生登记，"
    "请在出生后一个月内申报。（示例口径）"
)
NOISE = "夜间22时至次日6时禁止产生噪声的建筑施工作业，市民可向生态环境部门投诉夜间施工噪音。（示例口径）"
POLICY = """一、总则
（一）知识库建设。热线知识库内容应准确规范，承办单位按照谁录入、谁负责的原则维护。
（二）录入时限。新政策发布后，相关单位应在3个工作日内将政策内容录入热线知识库。
二、巡检
（三）季度巡检。热线管理机构每季度对知识库内容开展全覆盖巡检，及时清理过期失效内容。"""

# long enough for the clause splitter to make several chunks
LONG_POLICY = """一、总则
（一）适用范围。本办法适用于示例市12345政务服务便民热线知识库的建设、维护、使用和管理，各承办单位、热线管理机构及话务人员在知识库采编、审核、录入、更新、归档等环节均应遵守本办法，未尽事宜按照上级有关规定执行。
（二）录入时限。新政策发布后，相关单位应在3个工作日内将政策内容及答复口径录入热线知识库，重大突发事件应即时提供答复口径，由热线管理机构审核后发布使用，确保话务人员答复口径统一。
二、巡检
（三）季度巡检。热线管理机构每季度对知识库内容开展全覆盖巡检，对过期失效、表述不准的内容及时清理和修订，并将巡检结果通报各承办单位，督促落实整改，巡检情况纳入年度考核。"""


def add_entry(
    session: Session,
    *,
    title: str,
    body: str,
    kind: str = "script",
    questions: list[str] | None = None,
    region: str = "示例市",
    unit: str = "SL-GA",
    effective_from: dt.date | None = None,
    expires_on: dt.date | None = None,
    doc_no: str | None = None,
    publish: bool = True,
) -> Entry:
    """Create an entry as admin and (by default) publish it through the lifecycle."""
    admin = Actor.load(session, "admin")
    content = VersionContent.build(
        title=title,
        body=body,
        questions=questions or [],
        basis_title=f"《{title}依据（示例）》",
        doc_no=doc_no,
        effective_from=effective_from,
        expires_on=expires_on,
    )
    entry = create_entry(session, admin, kind=kind, region=region, owner_unit=unit, content=content)
    if publish:
        lifecycle.publish_trusted(session, admin, entry.id, "测试数据")
    return entry


def republish(session: Session, entry_id: int, body: str, note: str = "更新口径") -> None:
    """Edit an entry and publish the new version."""
    from kb.entries import get_version

    admin = Actor.load(session, "admin")
    latest = get_version(session, entry_id)
    content = VersionContent.of_version(latest).with_changes(body=body)
    edit_entry(session, admin, entry_id, content, note)
    lifecycle.publish_trusted(session, admin, entry_id, "测试数据")


def runtime() -> Runtime:
    """The runtime for the current settings."""
    get_settings.cache_clear()
    return get_runtime()


def entry_ids(result) -> list[int]:
    """Entry ids of a Retrieval's candidates, in order, without repeats."""
    out: list[int] = []
    for cand in result.candidates:
        entry_id = int(cand.payload["entry_id"])
        if entry_id not in out:
            out.append(entry_id)
    return out
