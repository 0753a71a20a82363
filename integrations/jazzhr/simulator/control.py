"""Control API under /_simulator/, used by tests, demos and benchmarks.

It needs no API key and takes and returns JSON. Account routes name the account by its
current API key: /_simulator/accounts/{api_key}/...
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from integrations.jazzhr.simulator import loading
from integrations.jazzhr.simulator.faults import InvalidSetting
from integrations.jazzhr.simulator.records import WORKFLOW_STEPS
from integrations.jazzhr.simulator.responses import Response, json_response
from integrations.jazzhr.simulator.state import (
    Account,
    AccountExists,
    SimulatorStore,
)

logger = logging.getLogger(__name__)


class ControlError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def handle_control_request(
    store: SimulatorStore, method: str, segments: list[str], body: bytes
) -> Response:
    """Handle a request whose path is /_simulator/ followed by ``segments``."""
    try:
        with store.lock:
            status, payload = route(store, method, segments, body)
    except ControlError as error:
        return json_response(error.status, {"error": str(error)})
    return json_response(status, payload)


def parse_body(body: bytes, expected_type: type, default: Any = None) -> Any:
    if not body.strip() and default is not None:
        return default
    try:
        payload = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise ControlError(400, f"request body is not valid JSON: {error}") from error
    if not isinstance(payload, expected_type):
        name = "a list" if expected_type is list else "an object"
        raise ControlError(400, f"request body must be {name}")
    return payload


def _check_method(method: str, *allowed: str) -> None:
    if method not in allowed:
        raise ControlError(
            405, f"{method} is not allowed here, use {' or '.join(allowed)}"
        )


def route(
    store: SimulatorStore, method: str, segments: list[str], body: bytes
) -> tuple[int, Any]:
    if segments == ["health"]:
        _check_method(method, "GET")
        return 200, {"ok": True}
    if segments == ["defaults"]:
        _check_method(method, "GET", "PUT")
        return 200, update_defaults(store, method, body)
    if segments == ["accounts"]:
        _check_method(method, "POST")
        return 201, create_account(store, body)
    if len(segments) >= 2 and segments[0] == "accounts":
        account = store.accounts.get(segments[1])
        if account is None:
            raise ControlError(404, "account not found, check the API key in the path")
        return route_account(store, account, method, segments[2:], body)
    raise ControlError(404, "unknown control path")


def update_defaults(store: SimulatorStore, method: str, body: bytes) -> dict:
    if method == "PUT":
        changes = parse_body(body, dict)
        try:
            store.default_settings = store.default_settings.updated(changes)
        except InvalidSetting as error:
            raise ControlError(400, str(error)) from error
    return store.default_settings.to_json()


def create_account(store: SimulatorStore, body: bytes) -> dict:
    payload = parse_body(body, dict, default={})
    api_key = payload.get("api_key")
    if api_key is not None and (not isinstance(api_key, str) or not api_key.strip()):
        raise ControlError(400, "api_key must be a non-empty string")
    try:
        account = store.create_account(api_key)
    except AccountExists as error:
        raise ControlError(
            409, "an account with this api_key already exists"
        ) from error
    logger.info("Created simulator account, owner %s", account.owner.id)
    return {"api_key": account.api_key}


# Account routes. Each takes the store, the account and the request body.

AccountRoute = Callable[[SimulatorStore, Account, bytes], tuple[int, Any]]


def describe_account(store: SimulatorStore, account: Account, body: bytes) -> tuple:
    return 200, {
        "api_key": account.api_key,
        "owner_id": account.owner.id,
        "applicants": len(account.applicants),
        "jobs": len(account.jobs),
        "users": len(account.users),
        "applicants2jobs": len(account.links),
    }


def _bulk_loader(
    load: Callable[[Account, list[Any]], list[str]],
) -> AccountRoute:
    def load_items(store: SimulatorStore, account: Account, body: bytes) -> tuple:
        items = parse_body(body, list)
        try:
            ids = load(account, items)
        except loading.LoadError as error:
            raise ControlError(400, str(error)) from error
        return 201, {"created": len(ids), "ids": ids}

    return load_items


def get_faults(store: SimulatorStore, account: Account, body: bytes) -> tuple:
    return 200, account.settings.to_json()


def update_faults(store: SimulatorStore, account: Account, body: bytes) -> tuple:
    try:
        settings = account.update_settings(parse_body(body, dict))
    except InvalidSetting as error:
        raise ControlError(400, str(error)) from error
    return 200, settings.to_json()


def rotate_key(store: SimulatorStore, account: Account, body: bytes) -> tuple:
    new_key = store.rotate_key(account)
    logger.info("Rotated the API key of the account owned by %s", account.owner.id)
    return 200, {"api_key": new_key}


def list_requests(store: SimulatorStore, account: Account, body: bytes) -> tuple:
    return 200, list(account.request_log)


def clear_requests(store: SimulatorStore, account: Account, body: bytes) -> tuple:
    account.clear_request_log()
    return 200, []


def request_stats(store: SimulatorStore, account: Account, body: bytes) -> tuple:
    counts = account.status_counts
    return 200, {
        "requests": sum(counts.values()),
        "rate_limited": counts[429],
        "by_status": {str(status): count for status, count in sorted(counts.items())},
    }


ACCOUNT_ROUTES: dict[str, dict[str, AccountRoute]] = {
    "": {"GET": describe_account},
    "applicants": {"POST": _bulk_loader(loading.load_applicants)},
    "jobs": {"POST": _bulk_loader(loading.load_jobs)},
    "users": {"POST": _bulk_loader(loading.load_users)},
    "faults": {"GET": get_faults, "PUT": update_faults},
    "rotate": {"POST": rotate_key},
    "requests": {"GET": list_requests, "DELETE": clear_requests},
    "stats": {"GET": request_stats},
}


def route_account(
    store: SimulatorStore,
    account: Account,
    method: str,
    segments: list[str],
    body: bytes,
) -> tuple[int, Any]:
    if len(segments) == 3 and segments[0] == "applicants" and segments[2] == "status":
        _check_method(method, "POST")
        return change_status(account, segments[1], body)
    if len(segments) > 1 or (segments and segments[0] not in ACCOUNT_ROUTES):
        raise ControlError(404, "unknown control path")

    handlers = ACCOUNT_ROUTES[segments[0] if segments else ""]
    _check_method(method, *handlers)
    return handlers[method](store, account, body)


def change_status(account: Account, applicant_id: str, body: bytes) -> tuple:
    """Move an applicant to a workflow step of one job, as a recruiter would.

    The body is {"job_id": ..., "workflow_step_id": ...}, where "applicant_progress"
    with a step name may replace workflow_step_id.
    """
    payload = parse_body(body, dict)
    link = account.find_link(applicant_id, str(payload.get("job_id", "")))
    if link is None:
        raise ControlError(404, "this applicant is not on the job given as job_id")

    step_id = str(payload.get("workflow_step_id", ""))
    progress = str(payload.get("applicant_progress", ""))
    if progress:
        step_id = loading.STEP_IDS_BY_NAME.get(progress.casefold(), "")
    if step_id not in WORKFLOW_STEPS:
        raise ControlError(400, f"unknown workflow step, use one of {WORKFLOW_STEPS}")

    activity = account.change_status(link, step_id)
    return 200, {"activity_id": activity.id, "applicants2jobs_id": link.id}
