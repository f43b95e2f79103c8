"""Normalising 文号 (document numbers) so that variants compare equal.

``甘政办发 [2025] 69号``, ``甘政办发（2025）69号``, ``甘政办发﹝2025﹞69号`` and ``甘政办发〔2025〕69号`` are the same
document; the canonical form uses 〔〕 and no spaces: ``甘政办发〔2025〕69号``.
"""

from __future__ import annotations

import re

# issuer prefix (Chinese characters), year in any bracket, serial number, 号
DOC_NO = re.compile(
    r"(?P<prefix>[\u4e00-\u9fff]{1,12})\s*"
    r"[〔\[［(（【〖﹝〘﹙｛]\s*(?P<year>(?:19|20)\d{2})\s*[〕\]］)）】〗﹞〙﹚｝]\s*"
    r"第?\s*(?P<serial>\d{1,5})\s*号"
)


def normalize_doc_no(text: str | None) -> str | None:
    """The canonical form of the first 文号 in ``text``; the text stripped if none is found."""
    if text is None:
        return None
    match = DOC_NO.search(text)
    if match is None:
        cleaned = re.sub(r"\s+", "", text)
        return cleaned or None
    return f"{match['prefix']}〔{match['year']}〕{int(match['serial'])}号"
