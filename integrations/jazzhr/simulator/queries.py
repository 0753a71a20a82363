"""GET list and detail lookups for each JazzHR resource, with their path filters."""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from integrations.jazzhr.simulator import shapes
from integrations.jazzhr.simulator.faults import FaultSettings
from integrations.jazzhr.simulator.records import HIRED_STEP_ID, Applicant, ApplicantJob
from integrations.jazzhr.simulator.state import Account

PAGE_SIZE = 100
DATE_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}")

Predicate = Callable[[Any, str, FaultSettings], bool]
ApplicantRow = tuple[Applicant, ApplicantJob | None]


class UnknownFilter(Exception):
    pass


@dataclass(frozen=True)
class Resource:
    """Listing, filtering, rendering and lookup functions of one resource."""

    rows: Callable[[Account, float], Iterable[Any]]
    render: Callable[[Account, Any], dict[str, Any]]
    filters: dict[str, Predicate] = field(default_factory=dict)
    detail: Callable[[Account, str, float], dict[str, Any] | None] | None = None


def list_page(
    account: Account,
    resource: Resource,
    filters: dict[str, str],
    page: int,
    now: float,
) -> list[dict[str, Any]]:
    """Return one page of records matching every filter. Raise UnknownFilter."""
    predicates = []
    for name, value in filters.items():
        predicate = resource.filters.get(name)
        if predicate is None:
            raise UnknownFilter(name)
        predicates.append((predicate, value))

    settings = account.settings
    matches = (
        row
        for row in resource.rows(account, now)
        if all(predicate(row, value, settings) for predicate, value in predicates)
    )
    start = (page - 1) * PAGE_SIZE
    selected = itertools.islice(matches, start, start + PAGE_SIZE)
    return [resource.render(account, row) for row in selected]


# Filter helpers. Text comparisons ignore case, as JazzHR's name search does.


def _contains(text: str, value: str) -> bool:
    return value.casefold() in text.casefold()


def _same_text(text: str, value: str) -> bool:
    return text.casefold() == value.casefold()


def _on_or_after(date: str, value: str) -> bool:
    return bool(DATE_PATTERN.fullmatch(value)) and date >= value


def _on_or_before(date: str, value: str) -> bool:
    return bool(DATE_PATTERN.fullmatch(value)) and date <= value


def _flag_matches(flag: bool, value: str) -> bool:
    return value.lower() in ("true", "false") and flag == (value.lower() == "true")


def fold_accents(text: str) -> str:
    """Return ``text`` case-folded and without accents: "José" becomes "jose"."""
    if text.isascii():
        return text.casefold()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _name_matches(first: str, last: str, value: str, settings: FaultSettings) -> bool:
    fold = fold_accents if settings.name_ignores_accents else str.casefold
    value = fold(value)
    if value in fold(first) or value in fold(last):
        return True
    return settings.name_matches_full_name and value in fold(f"{first} {last}")


# Applicants: one row per applicant and job, or one per applicant without a job.


def applicant_rows(account: Account, now: float) -> Iterator[ApplicantRow]:
    one_row_per_job = account.settings.one_row_per_job
    for applicant in account.sorted_applicants():
        if applicant.visible_at > now:
            continue
        links = [
            link
            for link in account.links_by_applicant.get(applicant.id, ())
            if link.visible_at <= now
        ]
        if not links:
            yield applicant, None
        elif one_row_per_job:
            for link in links:
                yield applicant, link
        else:
            yield applicant, links[0]


def _row_job_title(row: ApplicantRow, account_jobs: dict[str, Any]) -> str:
    _, link = row
    return account_jobs[link.job_id].fields["title"] if link else ""


def _row_rating(row: ApplicantRow) -> str:
    applicant, link = row
    return link.rating if link else applicant.rating


def applicant_filters(account: Account) -> dict[str, Predicate]:
    jobs = account.jobs
    return {
        "name": lambda row, value, settings: _name_matches(
            row[0].first_name, row[0].last_name, value, settings
        ),
        "city": lambda row, value, _: _same_text(row[0].city, value),
        "job_id": lambda row, value, _: row[1] is not None and row[1].job_id == value,
        "job_title": lambda row, value, _: _contains(_row_job_title(row, jobs), value),
        "recruiter_id": lambda row, value, _: row[0].recruiter_id == value,
        "apply_date": lambda row, value, _: row[0].apply_date == value,
        "from_apply_date": lambda row, value, _: _on_or_after(row[0].apply_date, value),
        "to_apply_date": lambda row, value, _: _on_or_before(row[0].apply_date, value),
        # Matches the workflow step id of the row's job.
        "status": lambda row, value, _: (
            row[1] is not None and row[1].workflow_step_id == value
        ),
        "rating": lambda row, value, _: _row_rating(row) == value,
    }


def applicant_detail(account: Account, record_id: str, now: float) -> Any:
    applicant = account.applicants.get(record_id)
    if applicant is None or applicant.visible_at > now:
        return None
    return shapes.applicant_detail(account, applicant, now)


# Jobs. `confidential`, `private` and `recruiter` filter on attributes that job
# objects never contain.


def _job_field(name: str, compare: Callable[[str, str], bool]) -> Predicate:
    return lambda job, value, _: compare(job.fields.get(name, ""), value)


def _exact(text: str, value: str) -> bool:
    return text == value


JOB_FILTERS: dict[str, Predicate] = {
    "title": _job_field("title", _contains),
    "recruiter": lambda job, value, _: job.recruiter == value,
    "board_code": _job_field("board_code", _exact),
    "department": _job_field("department", _same_text),
    "hiring_lead": _job_field("hiring_lead", _exact),
    "team_id": _job_field("team_id", _exact),
    "state": _job_field("state", _same_text),
    "city": _job_field("city", _same_text),
    "from_open_date": _job_field("original_open_date", _on_or_after),
    "to_open_date": _job_field("original_open_date", _on_or_before),
    "status": _job_field("status", _same_text),
    "confidential": lambda job, value, _: _flag_matches(job.confidential, value),
    "private": lambda job, value, _: _flag_matches(job.private, value),
}


def job_rows(account: Account, now: float) -> list[Any]:
    by_id = sorted(account.jobs.values(), key=lambda job: job.id)
    by_id.sort(key=lambda job: job.fields.get("original_open_date", ""), reverse=True)
    return by_id


def job_detail(account: Account, record_id: str, now: float) -> Any:
    job = account.jobs.get(record_id)
    return shapes.job_detail(account, job, now) if job else None


# Users


USER_FILTERS: dict[str, Predicate] = {
    "name": lambda user, value, settings: _name_matches(
        user.first_name, user.last_name, value, settings
    ),
    "email": lambda user, value, _: _same_text(user.email, value),
    "type": lambda user, value, _: _same_text(user.type, value),
}


def user_rows(account: Account, now: float) -> list[Any]:
    return sorted(account.users.values(), key=lambda user: (user.date_created, user.id))


def user_detail(account: Account, record_id: str, now: float) -> Any:
    user = account.users.get(record_id)
    return shapes.user_detail(account, user) if user else None


# Applicants to jobs, and hires derived from them


def _attribute_equals(name: str) -> Predicate:
    return lambda record, value, _: getattr(record, name) == value


LINK_FILTERS: dict[str, Predicate] = {
    name: _attribute_equals(name)
    for name in ("applicant_id", "job_id", "rating", "workflow_step_id")
}


def _visible_links(account: Account, now: float) -> list[ApplicantJob]:
    links = [link for link in account.links.values() if link.visible_at <= now]
    links.sort(key=lambda link: int(link.id))
    return links


def link_detail(account: Account, record_id: str, now: float) -> Any:
    link = account.links.get(record_id)
    if link is None or link.visible_at > now:
        return None
    return shapes.link_fields(link)


def hire_rows(account: Account, now: float) -> list[ApplicantJob]:
    return [
        link
        for link in _visible_links(account, now)
        if link.workflow_step_id == HIRED_STEP_ID
    ]


# Activities, newest first


ACTIVITY_FILTERS: dict[str, Predicate] = {
    name: _attribute_equals(name)
    for name in ("user_id", "team_id", "object_id", "category")
}


def activity_rows(account: Account, now: float) -> list[Any]:
    activities = sorted(account.activities.values(), key=lambda item: item.id)
    activities.sort(key=lambda item: (item.date, item.time), reverse=True)
    return activities


def activity_detail(account: Account, record_id: str, now: float) -> Any:
    activity = account.activities.get(record_id)
    return shapes.activity_fields(activity) if activity else None


# Files


def file_rows(account: Account, now: float) -> list[Any]:
    return sorted(account.files.values(), key=lambda item: int(item.id))


def file_detail(account: Account, record_id: str, now: float) -> Any:
    stored_file = account.files.get(record_id)
    return shapes.file_fields(stored_file) if stored_file else None


def _no_rows(account: Account, now: float) -> list[Any]:
    return []


def _accept_filter(record: Any, value: str, settings: FaultSettings) -> bool:
    return True


def _empty_resource(*filter_names: str) -> Resource:
    filters = dict.fromkeys(filter_names, _accept_filter)
    return Resource(rows=_no_rows, render=lambda account, row: row, filters=filters)


def _render_field_set(render: Callable[[Any], dict[str, str]]) -> Callable:
    return lambda account, record: render(record)


def build_resources(account: Account) -> dict[str, Resource]:
    """Return the GET resources of ``account``, keyed by their path segment."""
    return {
        "applicants": Resource(
            rows=applicant_rows,
            render=lambda account, row: shapes.applicant_row(account, *row),
            filters=applicant_filters(account),
            detail=applicant_detail,
        ),
        "jobs": Resource(
            job_rows, _render_field_set(shapes.job_fields), JOB_FILTERS, job_detail
        ),
        "users": Resource(
            user_rows, _render_field_set(shapes.user_fields), USER_FILTERS, user_detail
        ),
        "applicants2jobs": Resource(
            _visible_links,
            _render_field_set(shapes.link_fields),
            LINK_FILTERS,
            link_detail,
        ),
        "hires": Resource(hire_rows, _render_field_set(shapes.hire_fields)),
        "activities": Resource(
            activity_rows,
            _render_field_set(shapes.activity_fields),
            ACTIVITY_FILTERS,
            activity_detail,
        ),
        "files": Resource(
            file_rows,
            _render_field_set(shapes.file_fields),
            {"applicant_id": _attribute_equals("applicant_id")},
            file_detail,
        ),
        # TODO: these resources hold no records yet, and POST to them returns 404.
        "categories": _empty_resource(
            "user_id", "name", "status", "from_creation_date", "to_creation_date"
        ),
        "categories2applicants": _empty_resource(),
        "contacts": _empty_resource(),
        "tasks": _empty_resource(),
        "questionnaire_answers": _empty_resource("applicant_id", "questionnaire_id"),
        "questionnaire_questions": _empty_resource(
            "questionnaire_id", "question_status"
        ),
    }
