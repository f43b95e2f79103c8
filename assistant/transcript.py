"""A call transcript split into who said what.

Transcripts come in two shapes: free text (what the caller said, or an ASR dump of the call)
and multi-turn text with speaker labels (``坐席：请问您贵姓？`` / ``市民：姓王``), one turn per
line or several turns on one line. Triage and form filling only take *facts* from the caller;
the operator's turns are questions and scripted sentences, used at most to read the caller's
short answers ("有" after "有没有人受伤？").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

OPERATOR = "operator"
CALLER = "caller"

# Speaker labels seen in 12345 call records and ASR exports.
_OPERATOR_LABELS = ("坐席", "话务员", "接线员", "客服", "工作人员", "热线", "接听员")
_CALLER_LABELS = ("市民", "来电人", "来电者", "群众", "诉求人", "用户", "居民")
_LABEL_RE = re.compile(
    r"(?:^|(?<=[\s。！？!?；;，,]))("
    + "|".join(sorted(_OPERATOR_LABELS + _CALLER_LABELS, key=len, reverse=True))
    + r")\s*[:：]\s*"
)


@dataclass(frozen=True)
class Turn:
    """One stretch of speech by one side; ``start`` is its offset in the original text."""

    speaker: str  # OPERATOR | CALLER
    text: str
    start: int


@dataclass(frozen=True)
class Transcript:
    """The turns of one call, in order."""

    turns: tuple[Turn, ...]
    labelled: bool  # False when the text had no speaker labels (all of it is the caller's)

    @property
    def caller_text(self) -> str:
        """Everything the caller said, turns joined by a newline."""
        return "\n".join(t.text for t in self.turns if t.speaker == CALLER)

    def caller_turns(self) -> list[Turn]:
        """The caller's turns only."""
        return [t for t in self.turns if t.speaker == CALLER]

    def pairs(self) -> list[tuple[Turn, Turn]]:
        """(operator turn, the caller turn answering it) for every question-answer pair."""
        out = []
        for prev, cur in zip(self.turns, self.turns[1:], strict=False):
            if prev.speaker == OPERATOR and cur.speaker == CALLER:
                out.append((prev, cur))
        return out


def parse_transcript(text: str) -> Transcript:
    """Split ``text`` into turns by speaker label; unlabelled text is all the caller's."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    matches = list(_LABEL_RE.finditer(text))
    if not matches:
        if not text.strip():
            return Transcript((), labelled=False)
        return Transcript((_turn(CALLER, text, 0),), labelled=False)
    turns: list[Turn] = []
    head = text[: matches[0].start()]
    if head.strip():  # text before the first label: treat as the caller's (ASR lead-in)
        turns.append(_turn(CALLER, head, 0))
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        body = text[match.end() : end]
        if not body.strip():
            continue
        speaker = OPERATOR if match.group(1) in _OPERATOR_LABELS else CALLER
        turns.append(_turn(speaker, body, match.end()))
    return Transcript(tuple(turns), labelled=True)


def _turn(speaker: str, raw: str, offset: int) -> Turn:
    """A turn whose ``start`` is the offset of its first non-blank character."""
    lead = len(raw) - len(raw.lstrip())
    return Turn(speaker, raw.strip(), offset + lead)
