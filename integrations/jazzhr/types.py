"""Typed JazzHR API response objects and the helpers that normalise raw JSON.

JazzHR sends every scalar as a string, uses ``""`` or ``"0000-00-00"`` for missing
values, and serialises a collection holding exactly one item as that bare object
instead of a one-element array, both at the top level and inside detail objects.
Each ``from_json`` accepts a decoded JSON object, tolerates missing fields and does
not raise on odd field values.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# Values JazzHR shows in place of data the applicant never gave, for example an
# address of "Unavailable" or a location of
# "(No City Provided) (No State Provided) (No Postal Code Provided)".
_PLACEHOLDER_TEXT = re.compile(
    r"^(?:unavailable|(?:\(no [a-z ]+ provided\)\s*)+)$", re.IGNORECASE
)


def as_list(value: Any) -> list[Any]:
    """Return a JSON collection as a list.

    A bare object becomes a one-item list, and None, ``""`` and ``{}`` become an
    empty list. Any other scalar also becomes an empty list.
    """
    if isinstance(value, list):
        return value
    if isinstance(value, Mapping):
        return [value] if value else []
    return []


def as_records(value: Any) -> list[Mapping[str, Any]]:
    """Return the JSON objects of a collection, dropping items that are not objects."""
    return [item for item in as_list(value) if isinstance(item, Mapping)]


def text(value: Any) -> str:
    """Return a scalar as stripped text, with placeholders and non-scalars as ``""``."""
    if value is None or isinstance(value, (bool, Mapping, list)):
        return ""
    result = str(value).strip()
    if _PLACEHOLDER_TEXT.match(result):
        return ""
    return result


def name_text(value: Any) -> str:
    """Return a first or last name without the stray quotes JazzHR sometimes keeps.

    Placeholders are not removed, because "Null" or "None" can be a real surname.
    """
    if value is None or isinstance(value, (bool, Mapping, list)):
        return ""
    return str(value).strip().strip('"').strip()


def parse_date(value: Any) -> datetime.date | None:
    """Parse a ``YYYY-MM-DD`` date, returning None for ``""``, zero or invalid dates.

    A longer value such as ``2012-10-30 15:10:55`` is cut to its date part.
    """
    raw = text(value)[:10]
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        return None


def parse_count(value: Any) -> int | None:
    """Parse a non-negative integer sent as a string, or return None."""
    raw = text(value)
    if not raw.isdigit():
        return None
    return int(raw)


@dataclass(frozen=True)
class ApplicantSummary:
    """One row of ``GET /applicants``.

    The list carries only these seven fields. JazzHR may send one row per applicant
    and job, so the same ``id`` can appear more than once.
    """

    id: str
    first_name: str
    last_name: str
    phone: str
    apply_date: datetime.date | None
    job_id: str
    job_title: str

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ApplicantSummary:
        return cls(
            id=text(data.get("id")),
            first_name=name_text(data.get("first_name")),
            last_name=name_text(data.get("last_name")),
            phone=text(data.get("prospect_phone")),
            apply_date=parse_date(data.get("apply_date")),
            job_id=text(data.get("job_id")),
            job_title=text(data.get("job_title")),
        )


@dataclass(frozen=True)
class ApplicantJob:
    """One item of an applicant detail's ``jobs`` collection."""

    job_id: str
    job_title: str
    workflow_step_id: str
    applicant_progress: str

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ApplicantJob:
        return cls(
            job_id=text(data.get("job_id")),
            job_title=text(data.get("job_title")),
            workflow_step_id=text(data.get("workflow_step_id")),
            applicant_progress=text(data.get("applicant_progress")),
        )


@dataclass(frozen=True)
class ApplicantDetail:
    """The fields of ``GET /applicants/{id}`` that the integration uses.

    ``jobs`` contains one item per job the applicant is on, with the per-job status
    name in ``applicant_progress`` (for example "New").
    """

    id: str
    first_name: str
    last_name: str
    email: str
    phone: str
    linkedin_url: str
    apply_date: datetime.date | None
    source: str
    jobs: tuple[ApplicantJob, ...]
    comments_count: int

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ApplicantDetail:
        return cls(
            id=text(data.get("id")),
            first_name=name_text(data.get("first_name")),
            last_name=name_text(data.get("last_name")),
            email=text(data.get("email")),
            phone=text(data.get("phone")),
            linkedin_url=text(data.get("linkedin_url")),
            apply_date=parse_date(data.get("apply_date")),
            source=text(data.get("source")),
            jobs=tuple(ApplicantJob.from_json(item) for item in _jobs_of(data)),
            comments_count=_comments_count_of(data),
        )


def _jobs_of(data: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return [item for item in as_records(data.get("jobs")) if text(item.get("job_id"))]


def _comments_count_of(data: Mapping[str, Any]) -> int:
    count = parse_count(data.get("comments_count"))
    if count is not None:
        return count
    return len(as_records(data.get("comments")))


@dataclass(frozen=True)
class Job:
    """A job from ``GET /jobs`` or ``GET /jobs/{id}``.

    ``status`` keeps JazzHR's spelling ("Open", "On Hold", ...). ``applicant_ids``
    comes from the detail's ``job_applicants`` collection and is empty for list rows.
    """

    id: str
    title: str
    status: str
    city: str
    state: str
    department: str
    original_open_date: datetime.date | None
    board_code: str
    applicant_ids: tuple[str, ...] = ()

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Job:
        applicants = as_records(data.get("job_applicants"))
        return cls(
            id=text(data.get("id")),
            title=text(data.get("title")),
            status=text(data.get("status")),
            city=text(data.get("city")),
            state=text(data.get("state")),
            department=text(data.get("department")),
            original_open_date=parse_date(data.get("original_open_date")),
            board_code=text(data.get("board_code")),
            applicant_ids=tuple(
                text(item.get("prospect_id"))
                for item in applicants
                if text(item.get("prospect_id"))
            ),
        )


@dataclass(frozen=True)
class User:
    """A JazzHR user (a recruiter or hiring manager, not an applicant)."""

    id: str
    type: str
    first_name: str
    last_name: str
    email: str
    date_created: datetime.date | None

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> User:
        return cls(
            id=text(data.get("id")),
            type=text(data.get("type")),
            first_name=name_text(data.get("first_name")),
            last_name=name_text(data.get("last_name")),
            email=text(data.get("email")),
            date_created=parse_date(data.get("date_created")),
        )


@dataclass(frozen=True)
class ApplicantJobLink:
    """A row of ``GET /applicants2jobs``: one applicant on one job.

    ``date`` is often ``""`` or ``"0000-00-00"`` and then None.
    """

    id: str
    applicant_id: str
    job_id: str
    workflow_step_id: str
    rating: str
    date: datetime.date | None

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ApplicantJobLink:
        return cls(
            id=text(data.get("id")),
            applicant_id=text(data.get("applicant_id")),
            job_id=text(data.get("job_id")),
            workflow_step_id=text(data.get("workflow_step_id")),
            rating=text(data.get("rating")),
            date=parse_date(data.get("date")),
        )
