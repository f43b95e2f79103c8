"""The browser harness itself: skip without Chromium, but fail loudly where it is required."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser import conftest as harness


@pytest.mark.parametrize(
    ("required", "outcome"),
    [(None, pytest.skip.Exception), ("0", pytest.skip.Exception), ("1", pytest.fail.Exception)],
)
def test_missing_chromium(monkeypatch, required, outcome) -> None:
    monkeypatch.setattr(harness, "CHROMIUM", Path("/nonexistent/chromium"))
    if required is None:
        monkeypatch.delenv("HOTLINE_REQUIRE_BROWSER", raising=False)
    else:
        monkeypatch.setenv("HOTLINE_REQUIRE_BROWSER", required)
    with pytest.raises(outcome):
        harness._require_chromium()
