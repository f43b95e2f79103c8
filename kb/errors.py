"""The project's few exception types.

Every error a user can cause is a :class:`HotlineError` whose message is Chinese and says
what to do. The CLI maps these to exit code 1, the API to the ``http_status`` below.
Anything else escaping is a bug: exit code 2 / HTTP 500.
"""

from __future__ import annotations


class HotlineError(Exception):
    """Base class: a problem the user can fix. ``message`` is shown as is."""

    http_status = 400
    code = "bad_request"

    def __init__(self, message: str, *, details: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or []

    def to_dict(self) -> dict:
        """JSON form used by the API and ``--json`` output."""
        out: dict = {"error": self.code, "message": self.message}
        if self.details:
            out["details"] = self.details
        return out


class Unauthenticated(HotlineError):
    """No credentials, or credentials that are unknown, revoked or expired (HTTP 401)."""

    http_status = 401
    code = "unauthenticated"


class InvalidInput(HotlineError):
    """A value, date, file or row that cannot be accepted."""

    http_status = 422
    code = "invalid_input"


class NotFound(HotlineError):
    """An entry, unit, version, order or token that does not exist."""

    http_status = 404
    code = "not_found"


class Conflict(HotlineError):
    """The request contradicts what is stored (duplicate title, illegal transition)."""

    http_status = 409
    code = "conflict"


class PermissionDenied(HotlineError):
    """The actor may not do this (wrong unit, own draft, wrong role)."""

    http_status = 403
    code = "forbidden"


class PayloadTooLarge(HotlineError):
    """An upload or request body over the configured size limit (HTTP 413)."""

    http_status = 413
    code = "payload_too_large"


class CalendarRangeError(HotlineError):
    """A date outside the years the holiday data covers, with no fallback allowed."""

    http_status = 422
    code = "calendar_range"


class PrivacyViolation(HotlineError):
    """Personal data would have left the process; the call was refused."""

    http_status = 502
    code = "privacy_violation"


class ServiceUnavailable(HotlineError):
    """An optional backend (LLM, Qdrant server) is not configured or not reachable."""

    http_status = 503
    code = "unavailable"
