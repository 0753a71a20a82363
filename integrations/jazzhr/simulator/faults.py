"""Per-account fault injection and switches for JazzHR behaviour that is not known.

JazzHR's reference documentation was not available, so some behaviours are guesses.
Each guess is a switch here, with the most likely variant as its default.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

UNKNOWN_ID_RESPONSES = ("empty_list", "empty_object", "empty_body", "not_found")
EMPTY_COLLECTION_STYLES = ("empty_list", "omitted", "null", "empty_string")
UNKNOWN_FILTER_RESPONSES = ("empty_list", "ignore")


class InvalidSetting(ValueError):
    """A fault setting update named an unknown setting or carried a bad value."""


@dataclass
class FaultSettings:
    """Fault injection and guessed-behaviour switches of one account.

    A request with an unknown API key names no account, so its response follows the
    store's defaults (``invalid_key_status``, ``post_apikey_in_query``,
    ``unsupported_method_status``).
    """

    # Rate limit: a sliding window per API key. None disables the limit.
    rate_limit_per_minute: int | None = 80
    rate_limit_window_seconds: float = 60.0
    # Seconds sent in Retry-After with a 429. None sends no header.
    retry_after_seconds: int | None = None

    # Probabilities from 0 to 1, drawn per request. error_rate and non_json_rate
    # replace the response with a 5xx or a non-JSON body and skip any write.
    # ambiguous_write_rate applies to POST only: the write is applied, then the
    # reply is a 5xx or a non-JSON body. timeout_rate delays the reply by
    # timeout_seconds, but the request takes effect at once.
    error_rate: float = 0.0
    non_json_rate: float = 0.0
    timeout_rate: float = 0.0
    ambiguous_write_rate: float = 0.0
    timeout_seconds: float = 20.0

    # Delay added to every reply.
    latency_ms: float = 0.0
    require_email: bool = False
    # Applicants and applicants2jobs rows created by POST stay hidden from GET
    # requests for this long. Writes see them at once.
    visibility_delay_ms: float = 0.0
    # Seed for fault draws and generated ids. None seeds from the operating system.
    seed: int | None = None

    # Switches for guessed behaviour, defaulting to the most likely variant.
    single_item_as_object: bool = True
    post_apikey_in_query: bool = True
    # Reply to GET /{resource}/{id} for an unknown id: 200 with [], {} or no body,
    # or 404.
    unknown_id_response: str = "empty_list"
    invalid_key_status: int = 401
    # "ignore" drops unknown filter keys instead of returning [].
    unknown_filter_response: str = "empty_list"
    # How an empty collection inside a detail object is sent: [], left out, null
    # or "".
    empty_collection: str = "empty_list"
    # False lists each applicant once, with the first job only.
    one_row_per_job: bool = True
    name_matches_full_name: bool = True
    # NOTE: a guess from MySQL's default collations, which ignore accents in LIKE.
    name_ignores_accents: bool = True
    unsupported_method_status: int = 405
    # Send "/" as "\/", as PHP's json_encode does.
    escape_slashes: bool = True

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def updated(self, changes: dict[str, Any]) -> FaultSettings:
        """Return a copy with ``changes`` applied, raising InvalidSetting on any error.

        Nothing is applied unless every change is valid.
        """
        values = dataclasses.asdict(self)
        for name, value in changes.items():
            validator = VALIDATORS.get(name)
            if validator is None:
                raise InvalidSetting(f"unknown setting {name!r}")
            values[name] = validator(name, value)
        return FaultSettings(**values)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _probability(name: str, value: Any) -> float:
    if not _is_number(value) or not 0 <= value <= 1:
        raise InvalidSetting(f"{name} must be a number from 0 to 1, got {value!r}")
    return float(value)


def _non_negative_number(name: str, value: Any) -> float:
    if not _is_number(value) or value < 0:
        raise InvalidSetting(f"{name} must be a number >= 0, got {value!r}")
    return float(value)


def _positive_number(name: str, value: Any) -> float:
    if not _is_number(value) or value <= 0:
        raise InvalidSetting(f"{name} must be a number > 0, got {value!r}")
    return float(value)


def _optional_positive_int(name: str, value: Any) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise InvalidSetting(f"{name} must be an integer >= 1 or null, got {value!r}")
    return value


def _optional_non_negative_int(name: str, value: Any) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise InvalidSetting(f"{name} must be an integer >= 0 or null, got {value!r}")
    return value


def _optional_int(name: str, value: Any) -> int | None:
    if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
        raise InvalidSetting(f"{name} must be an integer or null, got {value!r}")
    return value


def _boolean(name: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise InvalidSetting(f"{name} must be true or false, got {value!r}")
    return value


def _one_of(*choices: Any) -> Callable[[str, Any], Any]:
    def validate(name: str, value: Any) -> Any:
        # bool is an int, so True would otherwise pass as the status 1.
        if isinstance(value, bool) or value not in choices:
            raise InvalidSetting(
                f"{name} must be one of {list(choices)}, got {value!r}"
            )
        return value

    return validate


VALIDATORS: dict[str, Callable[[str, Any], Any]] = {
    "rate_limit_per_minute": _optional_positive_int,
    "rate_limit_window_seconds": _positive_number,
    "retry_after_seconds": _optional_non_negative_int,
    "error_rate": _probability,
    "non_json_rate": _probability,
    "timeout_rate": _probability,
    "ambiguous_write_rate": _probability,
    "timeout_seconds": _positive_number,
    "latency_ms": _non_negative_number,
    "require_email": _boolean,
    "visibility_delay_ms": _non_negative_number,
    "seed": _optional_int,
    "single_item_as_object": _boolean,
    "post_apikey_in_query": _boolean,
    "unknown_id_response": _one_of(*UNKNOWN_ID_RESPONSES),
    "invalid_key_status": _one_of(401, 403),
    "unknown_filter_response": _one_of(*UNKNOWN_FILTER_RESPONSES),
    "empty_collection": _one_of(*EMPTY_COLLECTION_STYLES),
    "one_row_per_job": _boolean,
    "name_matches_full_name": _boolean,
    "name_ignores_accents": _boolean,
    "unsupported_method_status": _one_of(404, 405),
    "escape_slashes": _boolean,
}

assert set(VALIDATORS) == {item.name for item in dataclasses.fields(FaultSettings)}
