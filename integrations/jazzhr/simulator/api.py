"""The JazzHR API v1 under /v1: authentication, rate limit, faults and dispatch."""

from __future__ import annotations

import json
import random
import time
from dataclasses import dataclass
from typing import Any

from integrations.jazzhr.simulator import queries, shapes
from integrations.jazzhr.simulator.faults import FaultSettings
from integrations.jazzhr.simulator.responses import (
    Response,
    json_response,
    non_json_response,
    server_error_response,
)
from integrations.jazzhr.simulator.state import Account, SimulatorStore
from integrations.jazzhr.simulator.writes import WRITERS, WriteRejected, as_text

NOT_FOUND = {"error": "Not Found"}


@dataclass(frozen=True)
class ApiRequest:
    method: str
    # URL-decoded path segments after "/v1", without a trailing empty segment.
    segments: list[str]
    query: dict[str, str]
    body: bytes
    # The path and query string with the apikey parameter removed.
    log_path: str


def parse_json_object(body: bytes) -> dict[str, Any]:
    """Return the JSON object in ``body``, or {} for a form body or anything else."""
    try:
        payload = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return {}
    return payload if isinstance(payload, dict) else {}


def handle_api_request(store: SimulatorStore, request: ApiRequest) -> Response:
    now = time.monotonic()
    with store.lock:
        if request.method == "GET":
            account = authenticate_get(store, request)
        elif request.method == "POST":
            account = authenticate_post(store, request)
        else:
            return reject_method(store, request)
        if isinstance(account, Response):
            return account

        response, fault = answer(account, request, now)
        account.record_request(request.method, request.log_path, response.status, fault)
        return response


def authenticate_get(store: SimulatorStore, request: ApiRequest) -> Account | Response:
    """Return the account named by the apikey parameter, or the rejection to send."""
    account = store.accounts.get(request.query.get("apikey", ""))
    if account is not None:
        return account

    status = store.default_settings.invalid_key_status
    return json_response(status, {"error": "Invalid API Key"})


def authenticate_post(store: SimulatorStore, request: ApiRequest) -> Account | Response:
    """Return the account named by the body's apikey, or the rejection to send.

    The apikey parameter of the query string counts when the body has none and the
    post_apikey_in_query switch is on. JazzHR replies to a bad key on a write with
    HTTP 200 and an ``_error`` body.
    """
    body_key = as_text(parse_json_object(request.body).get("apikey"))
    query_key = request.query.get("apikey", "")
    if body_key:
        account = store.accounts.get(body_key)
    elif query_key:
        account = store.accounts.get(query_key)
        settings = account.settings if account else store.default_settings
        if not settings.post_apikey_in_query:
            return json_response(200, {"_error": "apikey not set"})
    else:
        return json_response(200, {"_error": "apikey not set"})

    if account is None:
        return json_response(200, {"_error": "Invalid API Key"})
    return account


def reject_method(store: SimulatorStore, request: ApiRequest) -> Response:
    """Reject PUT, PATCH and DELETE, which JazzHR supports for no resource."""
    account = store.accounts.get(request.query.get("apikey", ""))
    settings = account.settings if account else store.default_settings
    status = settings.unsupported_method_status
    message = "Method Not Allowed" if status == 405 else "Not Found"
    response = json_response(status, {"error": message}, Allow="GET, POST")
    if account is not None:
        account.record_request(request.method, request.log_path, status, None)
    return response


def _draw(rng: random.Random, rate: float) -> bool:
    # No draw at rate 0, so seeded ids stay the same whether faults are off or absent.
    return rate > 0 and rng.random() < rate


def answer(
    account: Account, request: ApiRequest, now: float
) -> tuple[Response, str | None]:
    """Apply the rate limit and the account's faults around the real response.

    Returns the response and the name of the injected fault, if any.
    """
    settings = account.settings
    if not account.admit_request(now):
        return rate_limited_response(settings), None

    rng = account.rng
    if _draw(rng, settings.error_rate):
        return server_error_response(rng), "error"
    if _draw(rng, settings.non_json_rate):
        return non_json_response(rng), "non_json"

    fault = None
    if request.method == "GET":
        response = answer_get(account, request, now)
    else:
        response = answer_post(account, request, now)
        # The write is already applied, but the client cannot tell from the reply.
        if _draw(rng, settings.ambiguous_write_rate):
            response = _ambiguous_reply(rng)
            fault = "ambiguous_write"

    response.delay_seconds = settings.latency_ms / 1000
    if _draw(rng, settings.timeout_rate):
        response.delay_seconds += settings.timeout_seconds
        fault = "timeout"
    return response, fault


def _ambiguous_reply(rng: random.Random) -> Response:
    if rng.random() < 0.5:
        return server_error_response(rng)
    return non_json_response(rng)


def rate_limited_response(settings: FaultSettings) -> Response:
    headers = {}
    if settings.retry_after_seconds is not None:
        headers["Retry-After"] = str(settings.retry_after_seconds)
    return json_response(429, {"error": "Too Many Requests"}, **headers)


def answer_get(account: Account, request: ApiRequest, now: float) -> Response:
    settings = account.settings
    resources = queries.build_resources(account)
    if not request.segments or request.segments[0] not in resources:
        return json_response(404, NOT_FOUND)

    resource = resources[request.segments[0]]
    arguments = request.segments[1:]
    if len(arguments) == 1:
        return answer_detail(account, resource, arguments[0], now)

    # An odd number of segments after the resource cannot be read as key/value pairs.
    if len(arguments) % 2:
        return json_response(200, [])
    filters = dict(zip(arguments[::2], arguments[1::2], strict=True))
    page = _parse_page(filters.pop("page", "1"))
    if page is None:
        return json_response(200, [])
    if settings.unknown_filter_response == "ignore":
        filters = {
            key: value for key, value in filters.items() if key in resource.filters
        }

    try:
        items = queries.list_page(account, resource, filters, page, now)
    except queries.UnknownFilter:
        items = []
    payload = shapes.shape_list(items, settings)
    return json_response(200, payload, settings.escape_slashes)


def _parse_page(value: str) -> int | None:
    if not value.isdigit() or int(value) < 1:
        return None
    return int(value)


def answer_detail(
    account: Account, resource: queries.Resource, record_id: str, now: float
) -> Response:
    settings = account.settings
    detail = resource.detail(account, record_id, now) if resource.detail else None
    if detail is not None:
        return json_response(200, detail, settings.escape_slashes)

    unknown = settings.unknown_id_response
    if unknown == "not_found":
        return json_response(404, NOT_FOUND)
    if unknown == "empty_body":
        return Response(200, b"")
    return json_response(200, {} if unknown == "empty_object" else [])


def answer_post(account: Account, request: ApiRequest, now: float) -> Response:
    writer = WRITERS.get(request.segments[0]) if len(request.segments) == 1 else None
    if writer is None:
        return json_response(404, NOT_FOUND)

    body = parse_json_object(request.body)
    try:
        payload = writer(account, body, now)
    except WriteRejected as error:
        payload = {"_error": str(error)}
    return json_response(200, payload, account.settings.escape_slashes)
