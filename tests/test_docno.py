"""kb.docno: every bracket shape of a 文号 typed into a field compares equal."""

from __future__ import annotations

import pytest

from kb.docno import normalize_doc_no


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("甘政办发〔2025〕69号", "甘政办发〔2025〕69号"),
        ("甘政办发 [2025] 69号", "甘政办发〔2025〕69号"),
        ("甘政办发［2025］69号", "甘政办发〔2025〕69号"),
        ("甘政办发（2025）69号", "甘政办发〔2025〕69号"),
        ("甘政办发(2025)069号", "甘政办发〔2025〕69号"),
        ("示政办发﹝2026﹞12号", "示政办发〔2026〕12号"),
        ("示政办发【2026】第12号", "示政办发〔2026〕12号"),
        ("示政办发〘2026〙12号", "示政办发〔2026〕12号"),
        ("国办函〔2025〕66号", "国办函〔2025〕66号"),
        ("  示 例 文 件  ", "示例文件"),  # no 文号 shape: stripped, kept as typed
        ("", None),
        (None, None),
    ],
)
def test_normalize_doc_no(text: str | None, canonical: str | None) -> None:
    assert normalize_doc_no(text) == canonical
