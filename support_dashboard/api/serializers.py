"""JSON shapes of the recruiter API; keep them stable for the sidebar extension."""

from __future__ import annotations

from integrations.jazzhr.models import DuplicateCheck, Upload
from integrations.jazzhr.types import Job


def job(job: Job) -> dict:
    return {
        "id": job.id,
        "title": job.title,
        "status": job.status,
        "city": job.city,
        "state": job.state,
        "department": job.department,
    }


def duplicate_check(check: DuplicateCheck) -> dict:
    return {
        "id": str(check.id),
        "status": check.status,
        "matches": check.matches,
        "error": check.error or None,
        "notice": check.notice or None,
        "index_age_minutes": check.index_age_minutes,
    }


def upload(upload: Upload) -> dict:
    return {
        "id": str(upload.id),
        "status": upload.status,
        "action": upload.action,
        "applicant_id": upload.jazzhr_applicant_id or None,
        "job_id": upload.job_id or None,
        "error": upload.error or None,
        "note": upload.result_note or None,
    }
