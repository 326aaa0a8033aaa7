"""Domain errors raised by services; the API and dashboard turn them into responses.

Each error carries a stable `code` (used as the problem `type` slug) and a human `detail`.
Only `app/api/errors.py` and the dashboard decide which HTTP status each one becomes.
"""

from collections.abc import Mapping, Sequence


class StockroomError(Exception):
    """Base class of every error a service may raise on purpose."""

    code = "error"
    title = "Error"

    def __init__(self, detail: str | None = None) -> None:
        super().__init__(detail or self.title)
        self.detail = detail or self.title


class BadRequestError(StockroomError):
    """The request cannot be read (an unreadable cursor, a malformed value)."""

    code = "bad-request"
    title = "Bad request"


class ValidationError(StockroomError):
    """Well-formed input that breaks a rule; `errors` maps a field to its messages."""

    code = "validation-error"
    title = "Validation failed"

    def __init__(
        self, detail: str | None = None, errors: Mapping[str, Sequence[str]] | None = None
    ) -> None:
        super().__init__(detail)
        self.errors: dict[str, list[str]] = {k: list(v) for k, v in (errors or {}).items()}


class AuthenticationError(StockroomError):
    """The caller is not signed in, or their credentials are wrong or spent."""

    code = "unauthorized"
    title = "Authentication required"


class PermissionDeniedError(StockroomError):
    """The caller may see the resource but may not do this to it."""

    code = "forbidden"
    title = "Permission denied"


class NotFoundError(StockroomError):
    """The resource does not exist, or the caller may not see it."""

    code = "not-found"
    title = "Not found"


class ConflictError(StockroomError):
    """The change clashes with what is stored (a duplicate, a quantity below zero)."""

    code = "conflict"
    title = "Conflict"


class PreconditionFailedError(StockroomError):
    """An `If-Match` precondition did not hold: the resource changed meanwhile."""

    code = "precondition-failed"
    title = "Precondition failed"


class PreconditionRequiredError(StockroomError):
    """The change needs an `If-Match` header and none was sent."""

    code = "precondition-required"
    title = "Precondition required"


class ServiceUnavailableError(StockroomError):
    """A backing service (database, broker) does not answer; retry later."""

    code = "service-unavailable"
    title = "Service unavailable"

    def __init__(self, detail: str | None = None, retry_after: int = 5) -> None:
        super().__init__(detail)
        self.retry_after = retry_after
