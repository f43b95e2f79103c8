"""Triage of a call: emergencies to transfer, legal channels to name, requests to explain.

``triage(text) -> list[Alert]`` is the entry point; the rules are data in ``rules.yaml``.
"""

from assistant.triage.engine import (
    Alert,
    Ignored,
    TriageResult,
    alert_dicts,
    triage,
    triage_report,
)
from assistant.triage.rules import EMERGENCY, EXPLAIN, LEGAL_CHANNEL

__all__ = [
    "EMERGENCY",
    "EXPLAIN",
    "LEGAL_CHANNEL",
    "Alert",
    "Ignored",
    "TriageResult",
    "alert_dicts",
    "triage",
    "triage_report",
]
