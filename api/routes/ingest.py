"""Documents and answer-script tables in: the upload side of ``hotline ingest`` / ``kb import``.

Uploads are written to a private temporary directory under their (sanitised) names and
handed to ingest/ — the same code the CLI runs, as the token's user, so kb decides unit
scope and the audit log names the user. The original bytes are kept by ingest under
HOTLINE_HOME/originals (``sha256`` in each outcome); the KB records the client's file name,
never the temporary path. A type ingest cannot read is refused before anything runs; a bad
file (an empty one too) is reported on its own line and the others are still ingested.
"""

from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from pydantic import BaseModel

from api.auth import Caller, editor
from api.schemas.common import AUTH_ERRORS, errors
from api.state import app_state
from api.uploads import check_suffix, safe_filename, saved_upload
from kb.errors import InvalidInput, PayloadTooLarge

router = APIRouter(prefix="/api", tags=["导入"], responses={**AUTH_ERRORS, **errors(404, 409)})

MAX_FILES = 20


class FileOutcome(BaseModel):
    """What happened to one uploaded file."""

    file: str
    kind: str
    action: str
    action_zh: str
    message: str
    entry_id: int | None = None
    version: int | None = None
    title: str | None = None
    doc_no: str | None = None
    missing: list[str] = []
    assumed: list[dict[str, str | None]] = []
    rows: dict[str, int] | None = None
    details: list[str] = []
    sha256: str | None = None


class IngestOut(BaseModel):
    """One upload run."""

    dry_run: bool
    seconds: float
    counts: dict[str, int]
    files: list[FileOutcome]


class RowOut(BaseModel):
    """One imported row."""

    row: int
    action: str
    title: str
    entry_id: int | None
    version: int | None
    reason: str


class ImportOut(BaseModel):
    """One imported table."""

    file: str
    dry_run: bool
    counts: dict[str, int]
    rows: list[RowOut]


def _accepted_types() -> tuple[str, ...]:
    from ingest.readers import DOCUMENT_TYPES, TABLE_TYPES

    return tuple(sorted({*DOCUMENT_TYPES, *TABLE_TYPES}))


@router.post("/ingest", response_model=IngestOut, summary="上传政策文件或答复口径表")
def ingest_upload(
    request: Request,
    files: list[UploadFile] = File(..., description="txt/md/html/docx/pdf 文件，或答复口径表"),
    unit: str | None = Form(None, max_length=120, description="责任单位（默认：本人单位）"),
    submit: bool = Form(False, description="写入后提交审核"),
    publish: bool = Form(False, description="直接发布（仅管理员，跳过审核并留痕）"),
    dry_run: bool = Form(False, description="只检查不写入"),
    caller: Caller = Depends(editor),
) -> dict:
    """每个文件单独成事务：有问题的文件被拒绝并说明原因，其他文件照常写入；全部被拒绝时返回 422。"""
    from ingest.pipeline import IngestOptions, run_ingest

    state = app_state(request)
    if len(files) > MAX_FILES:
        raise InvalidInput(f"一次最多上传 {MAX_FILES} 个文件，请分批上传。")
    accepted = _accepted_types()
    names = [safe_filename(f.filename) for f in files]
    for name in names:
        check_suffix(name, accepted, "文件上传")
    limit = int(state.settings.max_upload_mb * 1024 * 1024)
    with tempfile.TemporaryDirectory(prefix="hotline-ingest-") as tmp:
        paths, display = [], {}
        for upload, name in zip(files, names, strict=True):
            path = _unique(Path(tmp), name)
            _copy(upload, path, limit, state.settings.max_upload_mb)
            paths.append(path)  # an empty file is refused by ingest, on its own line
            display[path] = name
        options = IngestOptions(
            actor=caller.actor.name,
            unit=unit or caller.actor.unit_name,
            publish=publish,
            submit=submit,
            dry_run=dry_run,
        )
        report = run_ingest(state.db, state.settings, paths, options, display_names=display)
    outcomes = [
        {
            **{
                k: v
                for k, v in f.to_dict().items()
                if k not in ("path", "changes", "chunks", "original")
            },
            "file": f.path,
        }
        for f in report.files
    ]
    if outcomes and all(o["action"] == "rejected" for o in outcomes):
        raise InvalidInput(
            "上传的文件都未能导入，知识库没有变化。",
            details=[o["message"] for o in outcomes],  # each names its file
        )
    return {
        "dry_run": report.dry_run,
        "seconds": round(report.seconds, 3),
        "counts": report.counts(),
        "files": outcomes,
    }


def _unique(folder: Path, name: str) -> Path:
    path, n = folder / name, 1
    while path.exists():  # two uploads with the same name keep both
        path = folder / f"{Path(name).stem}-{n}{Path(name).suffix}"
        n += 1
    return path


def _copy(upload: UploadFile, path: Path, limit: int, limit_mb: float) -> int:
    size = 0
    upload.file.seek(0)
    with path.open("wb") as out:
        while chunk := upload.file.read(1024 * 1024):
            size += len(chunk)
            if size > limit:
                raise PayloadTooLarge(
                    f"“{path.name}”超过大小上限 {limit_mb:g} MB（HOTLINE_MAX_UPLOAD_MB）。"
                )
            out.write(chunk)
    return size


@router.post("/import", response_model=ImportOut, summary="导入答复口径表（CSV/XLSX/JSONL）")
def import_table(
    request: Request,
    file: UploadFile = File(..., description="列：kind, title, questions, answer, basis, …"),
    submit: bool = Form(False, description="导入后提交审核"),
    publish: bool = Form(False, description="直接发布（仅管理员）"),
    skip_invalid: bool = Form(False, description="只导入正确的行（默认有一行错就整表不导入）"),
    dry_run: bool = Form(False, description="只检查不写入"),
    caller: Caller = Depends(editor),
) -> dict:
    """整表原子导入：有一行错误就不导入任何内容，并逐行列出错误（行号同表格中所见）。"""
    from ingest.importer import run_import
    from ingest.readers import TABLE_TYPES
    from ingest.tables import read_table

    state = app_state(request)
    name = safe_filename(file.filename)
    check_suffix(name, tuple(sorted(TABLE_TYPES)), "答复口径导入")
    with saved_upload(file, state.settings.max_upload_mb) as path:
        table = read_table(path, max_mb=state.settings.max_upload_mb)
        result = run_import(
            state.db,
            caller.actor.name,
            table,
            publish=publish,
            submit=submit,
            skip_invalid=skip_invalid,
            dry_run=dry_run,
            rejects_path=path.with_name("rejects.csv"),  # rejected rows are in the answer
        )
    return {
        "file": name,
        "dry_run": result.dry_run,
        "counts": result.counts(),
        "rows": [dataclasses.asdict(r) for r in result.rows],
    }
