"""JSON shapes of JazzHR responses, built from stored records.

Every scalar is a string and a missing value is "". With the ``single_item_as_object``
switch on, a list holding exactly one item is sent as that bare item, at top level and
inside detail objects alike.
"""

from __future__ import annotations

from typing import Any

from integrations.jazzhr.simulator.faults import FaultSettings
from integrations.jazzhr.simulator.records import (
    APPLICANT_COLLECTIONS,
    APPLICANT_DETAIL_FIELDS,
    JOB_FIELDS,
    WORKFLOW_STEPS,
    Activity,
    Applicant,
    ApplicantJob,
    Job,
    StoredFile,
    User,
)
from integrations.jazzhr.simulator.state import Account

# Marks a nested collection that is left out of its parent object.
OMITTED = object()

EMPTY_COLLECTION_VALUES = {"empty_list": [], "null": None, "empty_string": ""}


def shape_list(items: list[Any], settings: FaultSettings) -> Any:
    if len(items) == 1 and settings.single_item_as_object:
        return items[0]
    return items


def shape_collection(items: list[Any], settings: FaultSettings) -> Any:
    """Return the value of a collection nested in a detail object, or OMITTED."""
    if items:
        return shape_list(items, settings)
    if settings.empty_collection == "omitted":
        return OMITTED
    return EMPTY_COLLECTION_VALUES[settings.empty_collection]


def set_collections(
    target: dict[str, Any], collections: dict[str, list[Any]], settings: FaultSettings
) -> None:
    for name, items in collections.items():
        value = shape_collection(items, settings)
        if value is not OMITTED:
            target[name] = value


def applicant_location(applicant: Applicant) -> str:
    """Return the location line, with JazzHR's placeholders for missing parts."""
    if "location" in applicant.profile:
        return applicant.profile["location"]
    city = applicant.city or "(No City Provided)"
    state = applicant.state or "(No State Provided)"
    postal = applicant.postal or "(No Postal Code Provided)"
    return f"{city} {state} {postal}"


def applicant_row(
    account: Account, applicant: Applicant, link: ApplicantJob | None
) -> dict[str, str]:
    job_title = account.jobs[link.job_id].fields["title"] if link else ""
    return {
        "id": applicant.id,
        "first_name": applicant.first_name,
        "last_name": applicant.last_name,
        "prospect_phone": applicant.phone,
        "apply_date": applicant.apply_date,
        "job_id": link.job_id if link else "",
        "job_title": job_title,
    }


def applicant_scalars(applicant: Applicant) -> dict[str, str]:
    derived = {
        "location": applicant_location(applicant),
        "comments_count": str(len(applicant.comments)),
    }
    result = {}
    for name in APPLICANT_DETAIL_FIELDS:
        if name in derived:
            result[name] = derived[name]
        elif hasattr(applicant, name):
            result[name] = getattr(applicant, name)
        else:
            result[name] = applicant.profile.get(name, "")
    return result


def applicant_job_item(account: Account, link: ApplicantJob) -> dict[str, str]:
    return {
        "job_id": link.job_id,
        "hiring_lead_rating": link.rating,
        "average_rating": link.rating,
        "workflow_step_id": link.workflow_step_id,
        "job_title": account.jobs[link.job_id].fields["title"],
        "applicant_progress": WORKFLOW_STEPS[link.workflow_step_id],
    }


def applicant_detail(
    account: Account, applicant: Applicant, now: float
) -> dict[str, Any]:
    links = [
        link
        for link in account.links_by_applicant.get(applicant.id, ())
        if link.visible_at <= now
    ]
    comments = [
        {
            "id": comment.id,
            "author_id": comment.author_id,
            "author_name": comment.author_name,
            "text": comment.text,
            "date": comment.date,
            "time": comment.time,
        }
        for comment in applicant.comments
    ]
    activities = [
        {"id": item.id, "activity": item.action, "date": item.date, "time": item.time}
        for item in account.activities_by_object.get(applicant.id, ())
    ]

    collections: dict[str, list[Any]] = dict.fromkeys(APPLICANT_COLLECTIONS, [])
    collections["jobs"] = [applicant_job_item(account, link) for link in links]
    collections["comments"] = comments
    collections["activities"] = activities

    detail: dict[str, Any] = applicant_scalars(applicant)
    set_collections(detail, collections, account.settings)
    return detail


def job_fields(job: Job) -> dict[str, str]:
    return {name: job.fields.get(name, "") for name in JOB_FIELDS}


def job_detail(account: Account, job: Job, now: float) -> dict[str, Any]:
    applicants = [
        {
            "prospect_id": link.applicant_id,
            "apply_date": account.applicants[link.applicant_id].apply_date,
        }
        for link in account.links_by_job.get(job.id, ())
        if link.visible_at <= now
    ]
    detail: dict[str, Any] = job_fields(job)
    set_collections(detail, {"job_applicants": applicants}, account.settings)
    return detail


def user_fields(user: User) -> dict[str, str]:
    return {
        "id": user.id,
        "type": user.type,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "date_created": user.date_created,
    }


def user_detail(account: Account, user: User) -> dict[str, Any]:
    user_activity = [
        {
            "activity_id": item.id,
            "activity": item.action,
            "activity_date": item.date,
            "activity_time": item.time,
        }
        for item in account.activities.values()
        if item.user_id == user.id
    ]
    detail: dict[str, Any] = user_fields(user)
    set_collections(detail, {"user_activity": user_activity}, account.settings)
    return detail


def link_fields(link: ApplicantJob) -> dict[str, str]:
    return {
        "id": link.id,
        "applicant_id": link.applicant_id,
        "job_id": link.job_id,
        "rating": link.rating,
        "workflow_step_id": link.workflow_step_id,
        "date": link.date,
    }


def hire_fields(link: ApplicantJob) -> dict[str, str]:
    return {
        "id": link.id,
        "applicant_id": link.applicant_id,
        "job_id": link.job_id,
        "workflow_step_id": link.workflow_step_id,
        "workflow_step_name": WORKFLOW_STEPS[link.workflow_step_id],
        "hired_date": link.hired_date,
        "hired_time": link.hired_time,
    }


def activity_fields(activity: Activity) -> dict[str, str]:
    return {
        "id": activity.id,
        "category": activity.category,
        "team_id": activity.team_id,
        "user_id": activity.user_id,
        "object_id": activity.object_id,
        "action": activity.action,
        "date": activity.date,
        "time": activity.time,
    }


def file_fields(stored_file: StoredFile) -> dict[str, str]:
    return {
        "id": stored_file.id,
        "applicant_id": stored_file.applicant_id,
        "filename": stored_file.filename,
        "mime_type": stored_file.mime_type,
        "user_id": stored_file.user_id,
        "file_privacy": stored_file.file_privacy,
        "file_size": stored_file.file_size,
        "date_loaded": stored_file.date_loaded,
        "time_loaded": stored_file.time_loaded,
        # The real URL needs a JazzHR web session, so the simulator leaves it empty.
        "file_url": "",
    }
