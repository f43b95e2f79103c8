"""Smart form filling: ``fill(transcript) -> WorkOrderDraft``."""

from assistant.form.draft import FIELD_LABELS, DueInfo, WorkOrderDraft
from assistant.form.filler import FillResult, FormFiller, default_filler, fill

__all__ = [
    "FIELD_LABELS",
    "DueInfo",
    "FillResult",
    "FormFiller",
    "WorkOrderDraft",
    "default_filler",
    "fill",
]
