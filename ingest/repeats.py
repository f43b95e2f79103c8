"""Dropping repeated passages: a page printed twice, a sentence a PDF extractor doubled.

Three shapes occur in captured documents:

* a second copy of a passage: two or more consecutive lines that already appeared one after
  the other (the Sichuan page whose body is rendered twice) — the later copy goes;
* a line printed twice in a row, or a body line that repeats a line of the page head (the
  page title again above the body) — the repeat goes;
* a stretch of text immediately followed by itself inside one line (Gansu's
  ``…加强安全保密、“以包代管”。要指导…加强安全保密、服务运行…``) — one copy goes.

A single line that recurs somewhere else in the body is kept, however long: documents
legitimately end several sections with the same sentence ("如有疑问，请拨打12345……咨询。"),
and dropping it would silently cut a clause.
"""

from __future__ import annotations

MIN_TANDEM = 12  # characters; shorter immediate repeats are ordinary Chinese (谁负责，谁负责)
MAX_TANDEM = 400
MAX_SCAN = 5000  # longer lines are left alone: the scan is quadratic
MIN_HEAD_REPEAT = 8  # a head line this long repeated in the body is a copy, not a label


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


def duplicate_lines(lines: list[str], also_seen: list[str] | None = None) -> list[bool]:
    """For each of ``lines``, whether it repeats earlier text and should be dropped.

    ``also_seen`` are the lines before ``lines`` (the page head), in order: a copy of the
    head is a repeat too.
    """
    head = list(also_seen or ())
    sequence = head + list(lines)
    first_at: dict[str, list[int]] = {}
    for at, line in enumerate(sequence):
        first_at.setdefault(line, []).append(at)

    def earlier(at: int) -> list[int]:
        return [i for i in first_at[sequence[at]] if i < at]

    def follows_copy(at: int) -> bool:
        # sequence[at-1], sequence[at] also stood one after the other before
        return any(i - 1 in earlier(at - 1) for i in earlier(at)) if at > 0 else False

    offset = len(head)
    repeated = [bool(earlier(offset + i)) for i in range(len(lines))]
    drop = [False] * len(lines)
    i = 0
    while i < len(lines):
        if not repeated[i]:
            i += 1
            continue
        j = i
        while j + 1 < len(lines) and repeated[j + 1]:
            j += 1
        run = range(i, j + 1)
        copied = len(run) >= 2 and any(follows_copy(offset + k) for k in run if k > i)
        for k in run:
            at = offset + k
            if copied:
                drop[k] = True
            elif sequence[at - 1] == sequence[at]:
                drop[k] = True  # the same line twice in a row
            elif len(lines[k]) >= MIN_HEAD_REPEAT and any(e < offset for e in earlier(at)):
                drop[k] = True  # the page head (its title) again in the body
        i = j + 1
    return drop
