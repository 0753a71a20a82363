"""One upload at a time per person and customer: identical uploads, one applicant.

JazzHR's POST /applicants does not deduplicate: ten identical requests create ten
applicants. Before creating, an upload takes the lock row of the candidate's identity.
While another unfinished upload has it, this one waits; when the holder created the
applicant recently, this one reuses that applicant instead of creating another.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from integrations.jazzhr.matching import canonical_email, linkedin_slug, phone_digits
from integrations.jazzhr.models import CandidateUploadLock, Upload, WorkStatus

logger = logging.getLogger(__name__)


def identity_key(upload: Upload) -> str:
    """Return the candidate's identity: canonical email, else name and contacts."""
    email = canonical_email(upload.email)
    if email:
        return f"email:{email}"
    phone, slug = phone_digits(upload.phone), linkedin_slug(upload.linkedin_url)
    parts = [upload.first_name.strip().casefold(), upload.last_name.strip().casefold()]
    if not phone and not slug:
        # A bare name does not identify a person across recruiters: two of them may
        # upload two different Jane Does. Only one recruiter's repeats are joined.
        return "name:" + "|".join([*parts, f"by:{upload.requested_by_id}"])
    return "name:" + "|".join([*parts, phone, slug])


@dataclass(frozen=True)
class LockOutcome:
    """The outcome of a lock attempt: proceed, wait for the holder, or reuse.

    `holder_create_in_doubt` means the holder stopped after a create whose reply was
    lost, so JazzHR may already have its applicant. The caller searches for it before
    taking the lock.
    """

    acquired: bool
    existing_applicant_id: str = ""
    holder_id: str = ""
    holder_create_in_doubt: bool = False


def holder_is_active(lock: CandidateUploadLock, upload: Upload) -> bool:
    holder = lock.upload
    if holder is None or holder.pk == upload.pk:
        return False
    return holder.status in (WorkStatus.QUEUED, WorkStatus.RUNNING)


def holder_create_in_doubt(lock: CandidateUploadLock, upload: Upload) -> bool:
    holder = lock.upload
    if holder is None or holder.pk == upload.pk:
        return False
    return holder.create_sent_at is not None and not holder.jazzhr_applicant_id


def acquire(upload: Upload, *, holder_searched: bool = False) -> LockOutcome:
    """Take the candidate's lock for `upload`, or return why it cannot proceed.

    Pass `holder_searched` once JazzHR was searched for the applicant of a holder
    whose create is in doubt, and none was found.
    """
    window = datetime.timedelta(seconds=settings.JAZZHR_SAME_CANDIDATE_WINDOW_SECONDS)
    with transaction.atomic():
        lock, _ = CandidateUploadLock.objects.select_for_update().get_or_create(
            customer_id=upload.customer_id, identity_key=identity_key(upload)
        )
        if holder_is_active(lock, upload):
            return LockOutcome(acquired=False, holder_id=str(lock.upload_id))
        recent = lock.updated_at >= timezone.now() - window
        if lock.jazzhr_applicant_id and lock.upload_id != upload.pk and recent:
            return LockOutcome(
                acquired=False,
                existing_applicant_id=lock.jazzhr_applicant_id,
                holder_id=str(lock.upload_id or ""),
            )
        if not holder_searched and holder_create_in_doubt(lock, upload):
            return LockOutcome(
                acquired=False,
                holder_id=str(lock.upload_id),
                holder_create_in_doubt=True,
            )
        lock.upload = upload
        lock.jazzhr_applicant_id = ""
        lock.save()
    return LockOutcome(acquired=True)


def record_applicant(upload: Upload) -> None:
    """Store the applicant the lock holder created, for identical uploads to reuse."""
    CandidateUploadLock.objects.filter(
        customer_id=upload.customer_id, identity_key=identity_key(upload), upload=upload
    ).update(jazzhr_applicant_id=upload.jazzhr_applicant_id, updated_at=timezone.now())
