"""HTTP layer of the JazzHR client: builds paths, sends requests, classifies replies.

JazzHR API v1 takes filters as path segments (``/applicants/name/{x}/page/{n}``),
the API key as the ``apikey`` query parameter on GET and as an ``"apikey"`` member of
the JSON body on POST. Writes return HTTP 200 even when they fail, with the reason in
an ``_error`` member.
"""

from __future__ import annotations

import datetime
import email.utils
import json
import logging
import math
import re
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import requests
from urllib3.exceptions import ConnectTimeoutError, MaxRetryError, NewConnectionError

from integrations.jazzhr.errors import (
    InvalidApiKey,
    JazzHRError,
    RateLimited,
    RejectedWrite,
    TransientError,
    UnexpectedResponse,
)
from integrations.jazzhr.redaction import REDACTED, redact

logger = logging.getLogger(__name__)

BODY_EXCERPT_LENGTH = 200

# Filter values that hold a person's name or email are left out of logs and messages.
_PERSONAL_FILTERS = frozenset({"name", "email"})
_HIDDEN_VALUE = "[hidden]"
_API_KEY_MESSAGE = re.compile(r"api[\s_-]?key", re.IGNORECASE)

Timeout = float | tuple[float, float]
FilterValue = str | int | bool | datetime.date


@dataclass(frozen=True)
class Endpoint:
    """A request path, URL-encoded, and the same path safe to log."""

    path: str
    log_path: str


def build_endpoint(
    resource: str,
    record_id: str | None = None,
    filters: Iterable[tuple[str, FilterValue]] = (),
) -> Endpoint:
    """Build ``/{resource}/{id}`` or ``/{resource}/{key}/{value}/...``.

    Each value is encoded as one path segment, so a ``/`` in a name cannot add a
    segment. Dates become ``YYYY-MM-DD`` and booleans ``true``/``false``.
    """
    path = [resource]
    log_path = [resource]
    if record_id is not None:
        segment = _segment(record_id, "id")
        path.append(segment)
        log_path.append(segment)
    for key, value in filters:
        segment = _segment(value, key)
        path += [key, segment]
        log_path += [key, _HIDDEN_VALUE if key in _PERSONAL_FILTERS else segment]
    return Endpoint("/" + "/".join(path), "/" + "/".join(log_path))


def _segment(value: FilterValue, key: str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime):
        raise TypeError(f"Filter {key!r} takes a date, not a datetime: {value!r}")
    if isinstance(value, datetime.date):
        return value.isoformat()
    raw = str(value).strip()
    if not raw:
        raise ValueError(f"Filter {key!r} must not be empty.")
    return quote(raw, safe="")


class Transport:
    """Sends one HTTP request per call and turns every failure into a JazzHRError."""

    def __init__(
        self,
        api_key: str,
        base_url: str,
        timeout: Timeout,
        session: requests.Session,
        before_request: Callable[[], object] | None,
        on_response: Callable[[str, str, int], object] | None,
    ) -> None:
        self._api_key = api_key
        self.base_url = base_url
        self.timeout = timeout
        self.session = session
        self.before_request = before_request
        self.on_response = on_response

    def get(self, endpoint: Endpoint, *, allow_not_found: bool = False) -> Any:
        """Return the decoded JSON body, or None for an empty body.

        With ``allow_not_found``, HTTP 404 also returns None.
        """
        response = self._send("GET", endpoint, params={"apikey": self._api_key})
        if allow_not_found and response.status_code == 404:
            return None
        return self._decode(response, "GET", endpoint)

    def post(self, endpoint: Endpoint, fields: Mapping[str, str]) -> Any:
        """Send ``fields`` and the key as a JSON body and return the decoded reply."""
        body = {**fields, "apikey": self._api_key}
        response = self._send("POST", endpoint, json_body=body)
        return self._decode(response, "POST", endpoint)

    def _send(
        self,
        method: str,
        endpoint: Endpoint,
        *,
        params: Mapping[str, str] | None = None,
        json_body: Mapping[str, str] | None = None,
    ) -> requests.Response:
        if self.before_request is not None:
            self.before_request()
        started = time.monotonic()
        response, failure = self._call_session(method, endpoint, params, json_body)
        elapsed_ms = (time.monotonic() - started) * 1000
        # Raised outside the except block, so the requests exception, whose text holds
        # the full URL and key, is not chained to the error.
        if failure is not None:
            logger.debug("JazzHR request failed after %.0f ms: %s", elapsed_ms, failure)
            raise failure
        logger.debug(
            "JazzHR %s %s returned HTTP %s in %.0f ms",
            method,
            endpoint.log_path,
            response.status_code,
            elapsed_ms,
        )
        if self.on_response is not None:
            self.on_response(method, endpoint.log_path, response.status_code)
        return response

    def _call_session(
        self,
        method: str,
        endpoint: Endpoint,
        params: Mapping[str, str] | None,
        json_body: Mapping[str, str] | None,
    ) -> tuple[requests.Response, None] | tuple[None, JazzHRError]:
        try:
            response = self.session.request(
                method,
                self.base_url + endpoint.path,
                params=params,
                json=json_body,
                headers={"Accept": "application/json"},
                timeout=self.timeout,
                # A redirect would turn a POST into a GET and could carry the key to
                # another host.
                allow_redirects=False,
            )
        except requests.RequestException as error:
            return None, self._transport_error(error, method, endpoint)
        return response, None

    def _transport_error(
        self, error: requests.RequestException, method: str, endpoint: Endpoint
    ) -> TransientError:
        where = f"{method} {endpoint.log_path}"
        kind = type(error).__name__
        is_write = method != "GET"
        if _was_never_sent(error):
            message = (
                f"Could not connect to JazzHR for {where} ({kind}), "
                "so nothing was sent."
            )
            may_have_been_applied = False
        elif isinstance(error, requests.ReadTimeout):
            message = f"Timed out waiting for the JazzHR response to {where}."
            may_have_been_applied = is_write
        else:
            message = f"The connection to JazzHR failed during {where} ({kind})."
            may_have_been_applied = is_write
        if may_have_been_applied:
            message += " JazzHR may have applied the write; check before repeating it."
        return TransientError(
            message,
            request_may_have_been_applied=may_have_been_applied,
            method=method,
            path=endpoint.log_path,
        )

    def _decode(
        self, response: requests.Response, method: str, endpoint: Endpoint
    ) -> Any:
        self._raise_for_status(response, method, endpoint)
        content = response.content.strip()
        if not content:
            return None
        try:
            data = json.loads(content)
        except ValueError:
            self.log_odd_reply("a body that is not JSON", method, endpoint, response)
            raise TransientError(
                f"JazzHR returned a body that is not JSON for {method} "
                f"{endpoint.log_path} (HTTP {response.status_code}).",
                request_may_have_been_applied=method != "GET",
                method=method,
                path=endpoint.log_path,
            ) from None
        self._raise_for_error_member(data, method, endpoint)
        return data

    def _raise_for_status(
        self, response: requests.Response, method: str, endpoint: Endpoint
    ) -> None:
        status = response.status_code
        where = f"{method} {endpoint.log_path}"
        if 200 <= status < 300:
            return
        if status == 429:
            raise RateLimited(
                parse_retry_after(response.headers.get("Retry-After")),
                f"JazzHR rate limit reached (HTTP 429) on {where}. Retry later.",
                method=method,
                path=endpoint.log_path,
            )
        if status in (401, 403):
            raise InvalidApiKey(
                f"JazzHR rejected the API key (HTTP {status}) on {where}. "
                "Check the key under Settings > Integrations in JazzHR.",
                method=method,
                path=endpoint.log_path,
            )
        if status >= 500:
            raise TransientError(
                f"JazzHR returned server error HTTP {status} for {where}.",
                request_may_have_been_applied=method != "GET",
                method=method,
                path=endpoint.log_path,
            )
        detail = self._error_text(response)
        raise UnexpectedResponse(
            f"JazzHR returned HTTP {status} for {where}{detail}.",
            method=method,
            path=endpoint.log_path,
        )

    def _error_text(self, response: requests.Response) -> str:
        try:
            data = json.loads(response.content)
        except ValueError:
            return ""
        if isinstance(data, Mapping):
            message = data.get("_error") or data.get("error")
            if isinstance(message, str) and message.strip():
                return f": {self.scrub(message.strip())}"
        return ""

    def _raise_for_error_member(
        self, data: Any, method: str, endpoint: Endpoint
    ) -> None:
        message = _error_member(data)
        if message is None:
            return
        message = self.scrub(message)
        where = f"{method} {endpoint.log_path}"
        if _API_KEY_MESSAGE.search(message):
            raise InvalidApiKey(
                f"JazzHR rejected the API key on {where}: {message}. "
                "Check the key under Settings > Integrations in JazzHR.",
                method=method,
                path=endpoint.log_path,
            )
        if method == "GET":
            raise UnexpectedResponse(
                f"JazzHR returned an error for {where}: {message}",
                method=method,
                path=endpoint.log_path,
            )
        raise RejectedWrite(
            f"JazzHR rejected {where}: {message}",
            reason=message,
            method=method,
            path=endpoint.log_path,
        )

    def scrub(self, value: str) -> str:
        """Return ``value`` with the API key removed, wherever it appears."""
        value = redact(value)
        if self._api_key:
            value = value.replace(self._api_key, REDACTED)
        return value

    def log_odd_reply(
        self,
        problem: str,
        method: str,
        endpoint: Endpoint,
        response: requests.Response | None = None,
        body: Any = None,
    ) -> None:
        """Log a WARNING with the start of the reply body, the key removed."""
        if response is not None:
            raw = response.content.decode("utf-8", errors="replace")
            status = response.status_code
        else:
            raw = json.dumps(body)
            status = 200
        excerpt = self.scrub(raw)[:BODY_EXCERPT_LENGTH]
        logger.warning(
            "JazzHR returned %s for %s %s (HTTP %s): %r",
            problem,
            method,
            endpoint.log_path,
            status,
            excerpt,
        )


def _error_member(data: Any) -> str | None:
    """Return the text of an ``_error`` or ``error`` member, or None if there is none.

    A record that happens to contain ``error`` next to its ``id`` is not an error.
    """
    if not isinstance(data, Mapping):
        return None
    if "_error" in data:
        value = data["_error"]
    elif "error" in data and "id" not in data:
        value = data["error"]
    else:
        return None
    return str(value).strip() or "no reason given"


def _was_never_sent(error: requests.RequestException) -> bool:
    """Return whether the request certainly never reached JazzHR.

    That holds for a connect timeout and for a connection that was never opened
    (refused, unreachable, DNS failure). A connection that broke later, a TLS error
    or a read timeout may come after JazzHR received the request.
    """
    if isinstance(error, requests.ConnectTimeout):
        return True
    if not isinstance(error, requests.ConnectionError):
        return False
    if isinstance(error, requests.exceptions.SSLError):
        return False
    reason = error.args[0] if error.args else None
    if isinstance(reason, MaxRetryError):
        reason = reason.reason
    return isinstance(reason, (NewConnectionError, ConnectTimeoutError))


def parse_retry_after(value: str | None) -> float | None:
    """Parse a Retry-After header given in seconds or as an HTTP date.

    Returns the delay in seconds, never negative, or None when the header is missing
    or unreadable.
    """
    if value is None or not value.strip():
        return None
    try:
        seconds = float(value)
    except ValueError:
        seconds = None
    if seconds is not None:
        return max(0.0, seconds) if math.isfinite(seconds) else None
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    now = datetime.datetime.now(datetime.UTC)
    return max(0.0, (moment - now).total_seconds())
