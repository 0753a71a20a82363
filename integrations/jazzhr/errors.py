"""Exceptions raised by the JazzHR API client.

Every exception derives from JazzHRError and carries ``transient``: True when the same
request may succeed later (timeouts, rate limits, 5xx, garbled bodies), False when
repeating it cannot help (invalid key, rejected write). Messages name the HTTP method
and the endpoint path, never the full URL, and never contain the API key.
"""

from __future__ import annotations


class JazzHRError(Exception):
    """A JazzHR API request failed."""

    transient: bool = False

    def __init__(self, message: str, *, method: str = "", path: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.method = method
        self.path = path


class InvalidApiKey(JazzHRError):
    """JazzHR rejected the API key, or no key was configured."""


class RateLimited(JazzHRError):
    """JazzHR returned HTTP 429 because the per-key request budget is spent.

    ``retry_after`` is the Retry-After header in seconds, or None when JazzHR sent
    none. Third-party clients report a window of about 60 seconds (JazzHR does not
    document it), so callers without a value should back off for about a minute.
    """

    transient = True

    def __init__(
        self,
        retry_after: float | None = None,
        message: str = "",
        *,
        method: str = "",
        path: str = "",
    ) -> None:
        if not message:
            message = "JazzHR rate limit reached (HTTP 429). Retry later."
        super().__init__(message, method=method, path=path)
        self.retry_after = retry_after


class TransientError(JazzHRError):
    """The request failed in a way that may succeed when repeated later.

    ``request_may_have_been_applied`` is True when a write may have reached JazzHR
    before the failure, so repeating it could create a duplicate. It is always False
    for GET requests and for writes that certainly never reached the server.
    """

    transient = True

    def __init__(
        self,
        message: str,
        *,
        request_may_have_been_applied: bool = False,
        method: str = "",
        path: str = "",
    ) -> None:
        super().__init__(message, method=method, path=path)
        self.request_may_have_been_applied = request_may_have_been_applied


class RejectedWrite(JazzHRError):
    """JazzHR refused a write and explained why in an ``_error`` member.

    ``reason`` contains JazzHR's own text, for example "email was not set". It defaults
    to the message.
    """

    def __init__(
        self,
        message: str,
        *,
        reason: str | None = None,
        method: str = "",
        path: str = "",
    ) -> None:
        super().__init__(message, method=method, path=path)
        self.reason = message if reason is None else reason


class UnexpectedResponse(JazzHRError):
    """JazzHR returned a status or an error body that no retry can fix."""
