"""Dropping repeated passages: a page printed twice, a sentence a PDF extractor doubled.

Two shapes occur in captured documents:

* a run of whole lines that already appeared (a page whose body is rendered twice, a title
  repeated under the page title) — the later copy goes;
* a stretch of text immediately followed by itself inside one line
  (``…加强安全保密、“以包代管”。要指导…加强安全保密、服务运行…``) — one copy goes.

Short lines ("一、总体要求") are only dropped as part of a repeated run, never alone, since a
short line can legitimately recur.
"""

from __future__ import annotations

MIN_TANDEM = 12  # characters; shorter immediate repeats are ordinary Chinese (谁负责，谁负责)
MAX_TANDEM = 400
MAX_SCAN = 5000  # longer lines are left alone: the scan is quadratic
MIN_LONE_DUPLICATE = 20


def remove_tandem_repeats(line: str) -> tuple[str, list[str]]:
    """``line`` with every immediately repeated stretch kept once, and what was removed."""
    removed: list[str] = []
    if len(line) > MAX_SCAN:
        return line, removed
    changed = True
    while changed:
        changed = False
        n = len(line)
        for period in range(min(MAX_TANDEM, n // 2), MIN_TANDEM - 1, -1):
            run = 0
            for i in range(n - period):
                if line[i] == line[i + period]:
                    run += 1
                    if run == period:
                        start = i - period + 1
                        removed.append(line[start : start + period])
                        line = line[:start] + line[start + period :]
                        changed = True
                        break
                else:
                    run = 0
            if changed:
                break
    return line, removed


def duplicate_lines(lines: list[str], also_seen: set[str] | None = None) -> list[bool]:
    """For each line, whether it repeats earlier text and should be dropped."""
    seen: set[str] = set(also_seen or ())
    repeated = []
    for line in lines:
        repeated.append(line in seen)
        seen.add(line)
    drop = []
    for i, line in enumerate(lines):
        if not repeated[i]:
            drop.append(False)
            continue
        in_run = (i > 0 and repeated[i - 1]) or (i + 1 < len(lines) and repeated[i + 1])
        drop.append(len(line) >= MIN_LONE_DUPLICATE or in_run)
    return drop
