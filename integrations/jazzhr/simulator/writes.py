"""POST endpoints of the JazzHR API.

JazzHR returns HTTP 200 for every write, and a failed write returns
``{"_error": message}``. The wording of the messages is a guess, modelled on the
"<field> was not set" style seen in client code.
"""

from __future__ import annotations

import base64
import binascii
import mimetypes
import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from integrations.jazzhr.simulator.ids import format_id_timestamp
from integrations.jazzhr.simulator.loading import LoadError, build_job
from integrations.jazzhr.simulator.records import (
    ANONYMOUS_USER_ID,
    NEW_STEP_ID,
    WORKFLOW_STEPS,
    Applicant,
    StoredFile,
)
from integrations.jazzhr.simulator.state import Account, local_date_and_time

DATE_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}")

# POST /applicants field names that are stored as Applicant attributes.
APPLICANT_ATTRIBUTES = (
    "email",
    "phone",
    "address",
    "city",
    "state",
    "postal",
    "source",
)

# POST /applicants field names mapped to the detail field that returns them.
APPLICANT_PROFILE_FIELDS = {
    "website": "website",
    "twitter": "twitter_username",
    "referral": "referrer",
    "salary": "desired_salary",
    "start": "desired_start_date",
    "languages": "languages",
    "wmyu": "wmyu",
    "license": "has_driver_license",
    "cdl": "has_cdl",
    "relocate": "willing_to_relocate",
    "citizen": "citizenship_status",
    "college": "college",
    "gpa": "college_gpa",
    "over18": "over_18",
    "weekends": "can_work_weekends",
    "evenings": "can_work_evenings",
    "overtime": "can_work_overtime",
    "felony": "has_felony",
    "felonyexplain": "felony_explanation",
    "references": "references",
    "resumetext": "resume_body",
    "eeo_gender": "eeo_gender",
    "eeo_race": "eeo_race",
    "eeo_disability": "eeo_disability",
    "eeoc_veteran": "eeoc_veteran",
    "eeoc_disability": "eeoc_disability",
    "eeoc_disability_signature": "eeoc_disability_signature",
    "eeoc_disability_date": "eeoc_disability_date",
}


class WriteRejected(Exception):
    """A write failed validation. The message is sent as ``_error``."""


def as_text(value: Any) -> str:
    """Convert a JSON scalar to the string JazzHR would store; others become ""."""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int | float):
        return str(value)
    return ""


def require(body: dict[str, Any], *names: str) -> None:
    for name in names:
        if not as_text(body.get(name)):
            raise WriteRejected(f"{name} was not set")


def optional_step(body: dict[str, Any]) -> str:
    step_id = as_text(body.get("workflow_step_id")) or NEW_STEP_ID
    if step_id not in WORKFLOW_STEPS:
        raise WriteRejected("workflow_step_id is invalid")
    return step_id


def create_applicant(account: Account, body: dict[str, Any], now: float) -> dict:
    require(body, "first_name", "last_name")
    if account.settings.require_email:
        require(body, "email")

    job_id = as_text(body.get("job"))
    if job_id and job_id not in account.jobs:
        raise WriteRejected("job is invalid")
    step_id = optional_step(body)
    apply_date = as_text(body.get("apply_date")) or local_date_and_time()[0]
    if not DATE_PATTERN.fullmatch(apply_date):
        raise WriteRejected("apply_date is invalid")

    visible_at = now + account.settings.visibility_delay_ms / 1000
    applicant = Applicant(
        id=account.new_id("prospect"),
        first_name=as_text(body["first_name"]),
        last_name=as_text(body["last_name"]),
        apply_date=apply_date,
        linkedin_url=as_text(body.get("linkedin")),
        visible_at=visible_at,
    )
    for name in APPLICANT_ATTRIBUTES:
        setattr(applicant, name, as_text(body.get(name)))
    for write_name, read_name in APPLICANT_PROFILE_FIELDS.items():
        value = as_text(body.get(write_name))
        if value:
            applicant.profile[read_name] = value

    account.add_applicant(applicant)
    if job_id:
        account.link_applicant(applicant.id, job_id, step_id, visible_at=visible_at)
    return {"prospect_id": applicant.id}


def create_applicant_job(account: Account, body: dict[str, Any], now: float) -> dict:
    require(body, "applicant_id", "job_id")
    applicant_id = as_text(body["applicant_id"])
    job_id = as_text(body["job_id"])
    if applicant_id not in account.applicants:
        raise WriteRejected("applicant_id is invalid")
    if job_id not in account.jobs:
        raise WriteRejected("job_id is invalid")
    if account.find_link(applicant_id, job_id) is not None:
        raise WriteRejected("applicant is already assigned to this job")
    step_id = optional_step(body)

    visible_at = now + account.settings.visibility_delay_ms / 1000
    link = account.link_applicant(
        applicant_id, job_id, step_id, as_text(body.get("rating")), visible_at
    )
    return {"id": link.id}


def create_note(account: Account, body: dict[str, Any], now: float) -> dict:
    require(body, "applicant_id", "contents")
    applicant = account.applicants.get(as_text(body["applicant_id"]))
    if applicant is None:
        raise WriteRejected("applicant_id is invalid")
    user_id = as_text(body.get("user_id")) or ANONYMOUS_USER_ID
    if user_id != ANONYMOUS_USER_ID and user_id not in account.users:
        raise WriteRejected("user_id is invalid")

    security = as_text(body.get("security")) or "1"
    comment = account.add_comment(
        applicant, user_id, as_text(body["contents"]), security
    )
    return {"comment_id": comment.id}


def create_file(account: Account, body: dict[str, Any], now: float) -> dict:
    require(body, "applicant_id", "filename", "file_data")
    applicant_id = as_text(body["applicant_id"])
    filename = as_text(body["filename"])
    if applicant_id not in account.applicants:
        raise WriteRejected("applicant_id is invalid")
    try:
        content = base64.b64decode(as_text(body["file_data"]), validate=True)
    except binascii.Error as error:
        raise WriteRejected("invalid data") from error
    for stored in account.files.values():
        if stored.applicant_id == applicant_id and stored.filename == filename:
            raise WriteRejected("file already exists")

    loaded_on, loaded_at = local_date_and_time()
    stored_file = StoredFile(
        id=account.new_number(),
        applicant_id=applicant_id,
        filename=filename,
        mime_type=mimetypes.guess_type(filename)[0] or "application/octet-stream",
        user_id=account.owner.id,
        file_privacy=as_text(body.get("file_privacy")) or "0",
        file_size=str(len(content)),
        date_loaded=loaded_on,
        time_loaded=loaded_at,
    )
    account.add_file(stored_file)
    return {"id": stored_file.id}


def create_job(account: Account, body: dict[str, Any], now: float) -> dict:
    require(body, "title", "hiring_lead_id", "description")
    hiring_lead = as_text(body["hiring_lead_id"])
    if hiring_lead not in account.users:
        raise WriteRejected("hiring_lead_id is invalid")

    fields = {
        name: as_text(body.get(name))
        for name in ("title", "description", "city", "state", "department", "notes")
    }
    fields["hiring_lead"] = hiring_lead
    fields["original_open_date"] = as_text(body.get("open_date"))
    # NOTE: the status of a job created through the API is a guess.
    fields["status"] = "Drafting"
    try:
        job = build_job(account, fields, format_id_timestamp(datetime.now()))
    except LoadError as error:
        raise WriteRejected("open_date is invalid") from error

    job.confidential = as_text(body.get("confidential")) in ("1", "true")
    job.private = as_text(body.get("private")) in ("1", "true")
    account.add_job(job)
    # NOTE: JazzHR's response to POST /jobs is unknown.
    return {"job_id": job.id}


WRITERS: dict[str, Callable[[Account, dict[str, Any], float], dict]] = {
    "applicants": create_applicant,
    "applicants2jobs": create_applicant_job,
    "notes": create_note,
    "files": create_file,
    "jobs": create_job,
}
