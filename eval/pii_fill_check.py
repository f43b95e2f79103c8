"""Cross-check the masking layer on another labelled set: the form-filling dev set.

    python -m eval.pii_fill_check

``eval/datasets/fill_dev.jsonl`` (written for form filling, not for masking) labels each
call transcript with the caller's name, phone, ID number and detailed address. This check
masks every transcript and counts how many of those values still appear in the masked
text (digits compared on the digit view, so "幺三八…" and "138…" are the same number).
Its address labels include public places (交叉口, 公园东门, 集市), which masking keeps on
purpose, so the address figure is a lower bound.
"""

from __future__ import annotations

import json
from pathlib import Path

from assistant.privacy.digits import digit_view

DATASET = Path(__file__).resolve().parent / "datasets" / "fill_dev.jsonl"
FIELDS = ("caller_name", "phone", "id_number", "address_detail")


def _flat(text: str) -> str:
    return digit_view(text).replace(" ", "").replace("-", "").upper()


def run_fill_check(path: Path = DATASET) -> dict[str, dict]:
    """Per field: labelled values, values masked away, and the ids of the ones left."""
    from assistant.privacy.masking import mask

    report = {field: {"labelled": 0, "masked": 0, "left": []} for field in FIELDS}
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        masked = mask(record["text"]).text
        for field in FIELDS:
            value = (record.get("expected") or {}).get(field)
            if not value:
                continue
            entry = report[field]
            entry["labelled"] += 1
            if _flat(value) in _flat(masked):
                entry["left"].append(record["id"])
            else:
                entry["masked"] += 1
    return report


if __name__ == "__main__":
    for field, entry in run_fill_check().items():
        share = entry["masked"] / entry["labelled"] if entry["labelled"] else 0.0
        print(
            f"{field}: {entry['masked']}/{entry['labelled']} masked ({share:.1%}); left: {entry['left']}"
        )
