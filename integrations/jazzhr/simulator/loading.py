"""Bulk loading of users, jobs and applicants given in JazzHR's read shape.

Each loader checks every item before it stores any, so a bad item leaves the account
unchanged. The caller holds the store lock.
"""

from __future__ import annotations

import re
import string
from datetime import datetime
from typing import Any

from integrations.jazzhr.simulator.ids import format_id_timestamp, make_record_id
from integrations.jazzhr.simulator.records import (
    APPLICANT_DETAIL_FIELDS,
    JOB_FIELDS,
    JOB_STATUSES,
    NEW_STEP_ID,
    USER_FIELDS,
    WORKFLOW_STEPS,
    Applicant,
    Job,
    User,
)
from integrations.jazzhr.simulator.state import Account, local_date_and_time

DATE_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}")
BOARD_CODE_ALPHABET = string.ascii_letters + string.digits

APPLICANT_ATTRIBUTES = frozenset(
    (
        "id",
        "first_name",
        "last_name",
        "apply_date",
        "email",
        "phone",
        "address",
        "city",
        "state",
        "postal",
        "linkedin_url",
        "source",
        "recruiter_id",
        "rating",
    )
)
APPLICANT_LOAD_FIELDS = (APPLICANT_ATTRIBUTES | set(APPLICANT_DETAIL_FIELDS)) - {
    "comments_count"
}

JOB_DEFAULTS = {
    "country_id": "United States",
    "type": "Full Time",
    "status": "Open",
    "send_to_job_boards": "Yes",
    "questionnaire": "0",
}
STEP_IDS_BY_NAME = {
    name.casefold(): step_id for step_id, name in WORKFLOW_STEPS.items()
}
STATUSES_BY_NAME = {status.casefold(): status for status in JOB_STATUSES}


class LoadError(ValueError):
    """An item of a bulk load is invalid. The message names the item and field."""


def _text(value: Any, where: str) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise LoadError(f"{where} must be a string, got {value!r}")


def _flag(value: Any, where: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise LoadError(f"{where} must be true or false, got {value!r}")


def _check_date(value: str, where: str) -> None:
    if value and not DATE_PATTERN.fullmatch(value):
        raise LoadError(f"{where} must be a YYYY-MM-DD date, got {value!r}")


def _check_object(item: Any, where: str) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise LoadError(f"{where} must be an object")
    return item


def _check_new_id(record_id: str, existing: dict, seen: set[str], where: str) -> None:
    if record_id in existing or record_id in seen:
        raise LoadError(f"{where}.id {record_id!r} already exists")
    seen.add(record_id)


# Users


def load_users(account: Account, items: list[Any]) -> list[str]:
    timestamp = format_id_timestamp(datetime.now())
    today, _ = local_date_and_time()
    users: list[User] = []
    seen: set[str] = set()
    for index, item in enumerate(items):
        where = f"users[{index}]"
        values = dict.fromkeys(USER_FIELDS, "") | {
            "type": "User",
            "date_created": today,
        }
        for name, value in _check_object(item, where).items():
            if name not in USER_FIELDS:
                raise LoadError(f"{where} has unknown field {name!r}")
            values[name] = _text(value, f"{where}.{name}")
        values["id"] = values["id"] or make_record_id("usr", account.rng, timestamp)
        _check_new_id(values["id"], account.users, seen, where)
        users.append(User(**values))

    for user in users:
        account.add_user(user)
    return [user.id for user in users]


# Jobs


def make_board_code(account: Account) -> str:
    return "".join(account.rng.choices(BOARD_CODE_ALPHABET, k=10))


def build_job(account: Account, fields: dict[str, str], timestamp: str) -> Job:
    """Fill JazzHR's defaults into ``fields`` and return the job. Raise LoadError."""
    status = STATUSES_BY_NAME.get(fields.get("status", "Open").casefold())
    if status is None:
        raise LoadError(f"status must be one of {list(JOB_STATUSES)}")
    _check_date(fields.get("original_open_date", ""), "original_open_date")

    values = dict.fromkeys(JOB_FIELDS, "") | JOB_DEFAULTS
    values |= {name: value for name, value in fields.items() if value}
    values["status"] = status
    values["id"] = values["id"] or make_record_id("job", account.rng, timestamp)
    values["hiring_lead"] = values["hiring_lead"] or account.owner.id
    values["board_code"] = values["board_code"] or make_board_code(account)
    values["original_open_date"] = (
        values["original_open_date"] or local_date_and_time()[0]
    )
    return Job(id=values["id"], fields=values)


def _parse_job(account: Account, item: Any, where: str, timestamp: str) -> Job:
    fields: dict[str, str] = {}
    flags = {"confidential": False, "private": False}
    recruiter = ""
    for name, value in _check_object(item, where).items():
        if name in flags:
            flags[name] = _flag(value, f"{where}.{name}")
        elif name == "recruiter":
            recruiter = _text(value, f"{where}.{name}")
        elif name in JOB_FIELDS:
            fields[name] = _text(value, f"{where}.{name}")
        else:
            raise LoadError(f"{where} has unknown field {name!r}")
    try:
        job = build_job(account, fields, timestamp)
    except LoadError as error:
        raise LoadError(f"{where}: {error}") from error

    job.confidential = flags["confidential"]
    job.private = flags["private"]
    job.recruiter = recruiter
    return job


def load_jobs(account: Account, items: list[Any]) -> list[str]:
    timestamp = format_id_timestamp(datetime.now())
    jobs: list[Job] = []
    seen: set[str] = set()
    for index, item in enumerate(items):
        where = f"jobs[{index}]"
        job = _parse_job(account, item, where, timestamp)
        _check_new_id(job.id, account.jobs, seen, where)
        jobs.append(job)

    for job in jobs:
        account.add_job(job)
    return [job.id for job in jobs]


# Applicants

JobReference = tuple[str, str, str]


def _parse_job_reference(account: Account, item: Any, where: str) -> JobReference:
    """Return (job_id, workflow_step_id, rating) for one entry of ``jobs``."""
    if isinstance(item, str):
        item = {"job_id": item}
    item = _check_object(item, where)
    job_id = _text(item.get("job_id", ""), f"{where}.job_id")
    if job_id not in account.jobs:
        raise LoadError(f"{where}.job_id {job_id!r} is not a job of this account")

    step_id = _text(item.get("workflow_step_id", ""), f"{where}.workflow_step_id")
    progress = _text(item.get("applicant_progress", ""), f"{where}.applicant_progress")
    if progress:
        step_id = STEP_IDS_BY_NAME.get(progress.casefold(), "")
        if not step_id:
            raise LoadError(
                f"{where}.applicant_progress must be one of "
                f"{list(WORKFLOW_STEPS.values())}, got {progress!r}"
            )
    step_id = step_id or NEW_STEP_ID
    if step_id not in WORKFLOW_STEPS:
        raise LoadError(f"{where}.workflow_step_id {step_id!r} is unknown")
    return job_id, step_id, _text(item.get("rating", ""), f"{where}.rating")


def _parse_job_references(
    account: Account, value: Any, where: str
) -> list[JobReference]:
    if value is None:
        return []
    if not isinstance(value, list):
        value = [value]
    references = [
        _parse_job_reference(account, item, f"{where}.jobs[{index}]")
        for index, item in enumerate(value)
    ]
    job_ids = [job_id for job_id, _, _ in references]
    if len(set(job_ids)) != len(job_ids):
        raise LoadError(f"{where}.jobs names the same job twice")
    return references


def _parse_applicant(
    account: Account, item: Any, where: str, timestamp: str, today: str
) -> tuple[Applicant, list[JobReference]]:
    applicant = Applicant(id="", first_name="", last_name="", apply_date=today)
    job_references: Any = None
    for name, value in _check_object(item, where).items():
        if name == "jobs":
            job_references = value
        elif name in APPLICANT_ATTRIBUTES:
            setattr(applicant, name, _text(value, f"{where}.{name}"))
        elif name in APPLICANT_LOAD_FIELDS:
            applicant.profile[name] = _text(value, f"{where}.{name}")
        else:
            raise LoadError(f"{where} has unknown field {name!r}")

    _check_date(applicant.apply_date, f"{where}.apply_date")
    if not applicant.id:
        applicant.id = make_record_id("prospect", account.rng, timestamp)
    return applicant, _parse_job_references(account, job_references, where)


def load_applicants(account: Account, items: list[Any]) -> list[str]:
    timestamp = format_id_timestamp(datetime.now())
    today, _ = local_date_and_time()
    parsed = []
    seen: set[str] = set()
    for index, item in enumerate(items):
        where = f"applicants[{index}]"
        applicant, references = _parse_applicant(account, item, where, timestamp, today)
        _check_new_id(applicant.id, account.applicants, seen, where)
        parsed.append((applicant, references))

    for applicant, references in parsed:
        account.add_applicant(applicant)
        for job_id, step_id, rating in references:
            account.link_applicant(
                applicant.id, job_id, step_id, rating, date=applicant.apply_date
            )
    return [applicant.id for applicant, _ in parsed]
