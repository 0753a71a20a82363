"""Uploads: create a JazzHR applicant, or link a candidate to an existing one."""

from __future__ import annotations

import datetime
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from integrations.jazzhr.client import JazzHRClient
from integrations.jazzhr.errors import (
    InvalidApiKey,
    JazzHRError,
    RejectedWrite,
    TransientError,
)
from integrations.jazzhr.matching import Person
from integrations.jazzhr.models import (
    DuplicateCheck,
    JazzHRCredential,
    Upload,
    UploadAction,
    WorkStatus,
)
from integrations.jazzhr.services import candidate_lock, connection, index, jobs, work
from support_dashboard.customers.models import Customer

logger = logging.getLogger(__name__)

SOURCE_LABEL = "Sourcing sidebar"
# JazzHR may not list a new applicant at once, so a retry after an ambiguous create
# waits at least this long before it searches for the applicant.
# NOTE: 5 s is a guess, not a documented JazzHR figure. If JazzHR lists a new
# applicant later than this, the search misses it and a second applicant is created.
AMBIGUOUS_CREATE_MIN_DELAY_SECONDS = 5.0


# A busy upload waits this long for another upload of the same person to finish.
SAME_CANDIDATE_RETRY_SECONDS = 2.0
MAY_EXIST_NOTE = (
    "JazzHR may have created the applicant before it stopped answering; a replay "
    "searches JazzHR for it before creating one."
)
ATS_DISABLED_MESSAGE = (
    "JazzHR is turned off for this company. The upload continues by itself "
    "if support turns JazzHR back on; support can also cancel it."
)
WAITING_FOR_KEY_MESSAGE = (
    "JazzHR rejected the company's API key. The upload continues by itself "
    "after a recruiter or support reconnects with the current key."
)

KEY_REPLACED_MESSAGE = (
    "JazzHR rejected the old API key while a reconnect stored a new one; the upload "
    "runs again with the new key."
)


class UploadNotPossible(Exception):
    """The upload cannot succeed as requested; retrying would not help."""


def request_upload(
    customer,
    candidate: Person,
    *,
    user,
    job_id: str = "",
    merge_with_applicant_id: str = "",
    duplicate_check: DuplicateCheck | None = None,
    idempotency_key: str = "",
) -> tuple[Upload, bool]:
    """Record a queued upload and enqueue it after commit.

    Returns the upload and whether it is new. A repeated `idempotency_key` from the
    same user returns the upload created the first time.
    """
    if idempotency_key:
        existing = Upload.objects.filter(
            requested_by=user, idempotency_key=idempotency_key
        ).first()
        if existing is not None:
            require_same_request(existing, candidate, job_id, merge_with_applicant_id)
            return existing, False
    waiting_for_key = False
    try:
        connection.usable_credential(customer)
    except connection.KeyRejected:
        # The upload is kept and resumes once someone reconnects with a new key.
        waiting_for_key = True

    upload = Upload(
        customer=customer,
        requested_by=user,
        first_name=candidate.first_name,
        last_name=candidate.last_name,
        email=candidate.email,
        phone=candidate.phone,
        linkedin_url=candidate.linkedin_url,
        job_id=job_id,
        action=UploadAction.MERGE if merge_with_applicant_id else UploadAction.CREATE,
        merge_with_applicant_id=merge_with_applicant_id,
        duplicate_check=duplicate_check,
        matches_shown=duplicate_check.matches if duplicate_check else [],
        idempotency_key=idempotency_key,
        status=WorkStatus.WAITING if waiting_for_key else WorkStatus.QUEUED,
        error=WAITING_FOR_KEY_MESSAGE if waiting_for_key else "",
    )
    try:
        with transaction.atomic():
            upload.save()
    except IntegrityError:
        if not idempotency_key:
            raise
        existing = Upload.objects.get(
            requested_by=user, idempotency_key=idempotency_key
        )
        require_same_request(existing, candidate, job_id, merge_with_applicant_id)
        return existing, False

    if not waiting_for_key:
        enqueue(upload)
    logger.info(
        "Recorded upload %s (%s, %s) for customer %s",
        upload.id,
        upload.action,
        upload.status,
        customer.slug,
    )
    return upload, True


class IdempotencyKeyReused(Exception):
    """An Idempotency-Key came back with a different candidate, job or action."""

    def __init__(self, upload: Upload):
        super().__init__(
            f"This Idempotency-Key was used for upload {upload.id} with different "
            "data. Send a new key for a new upload."
        )
        self.upload = upload


def require_same_request(
    upload: Upload, candidate: Person, job_id: str, merge_with_applicant_id: str
) -> None:
    """Raise IdempotencyKeyReused unless the repeated request matches `upload`."""
    requested = (
        candidate.first_name,
        candidate.last_name,
        candidate.email,
        candidate.phone,
        candidate.linkedin_url,
        job_id,
        merge_with_applicant_id,
    )
    stored = (
        upload.first_name,
        upload.last_name,
        upload.email,
        upload.phone,
        upload.linkedin_url,
        upload.job_id,
        upload.merge_with_applicant_id,
    )
    if requested != stored:
        raise IdempotencyKeyReused(upload)


def enqueue(upload: Upload) -> None:
    """Send the upload's task once the transaction commits.

    robust=True keeps a broker outage from failing the request that saved the row:
    the row stays queued and the recovery sweep sends it again.
    """
    from integrations.jazzhr import tasks

    transaction.on_commit(lambda: tasks.run_upload.delay(str(upload.id)), robust=True)


def resume_waiting_uploads(customer) -> int:
    """Queue again the uploads that waited for a new JazzHR key."""
    waiting = list(Upload.objects.filter(customer=customer, status=WorkStatus.WAITING))
    for upload in waiting:
        Upload.objects.filter(pk=upload.pk, status=WorkStatus.WAITING).update(
            status=WorkStatus.QUEUED, error="", updated_at=timezone.now()
        )
        enqueue(upload)
    if waiting:
        logger.info(
            "Resumed %s waiting uploads for customer %s", len(waiting), customer.slug
        )
    return len(waiting)


def source_marker(upload: Upload) -> str:
    """Return the JazzHR `source` text that marks, and later finds, our applicant."""
    return f"{SOURCE_LABEL} (upload {upload.id})"


def find_created_applicant(client: JazzHRClient, upload: Upload) -> str | None:
    """Find the applicant an earlier, unanswered create of this upload made."""
    since = upload.create_sent_at.date() - datetime.timedelta(days=1)
    marker = source_marker(upload)
    for row in client.iter_applicants(name=upload.last_name, from_apply_date=since):
        same_name = (
            row.first_name.casefold() == upload.first_name.casefold()
            and row.last_name.casefold() == upload.last_name.casefold()
        )
        if not same_name:
            continue
        detail = client.get_applicant(row.id)
        if detail is not None and detail.source == marker:
            return detail.id
    return None


def search_holder_applicant(
    client: JazzHRClient, upload: Upload, holder_id: str
) -> candidate_lock.LockOutcome:
    """Search JazzHR for the applicant of a lock holder whose create is in doubt.

    A found applicant is recorded on the lock, so the lock taken again here offers it
    for reuse. Otherwise the lock passes to `upload`, which creates the applicant.
    """
    holder = Upload.objects.get(pk=holder_id)
    found = find_created_applicant(client, holder)
    if found:
        logger.info(
            "Upload %s found applicant %s of upload %s", upload.id, found, holder.id
        )
        holder.jazzhr_applicant_id = found
        candidate_lock.record_applicant(holder)
    return candidate_lock.acquire(upload, holder_searched=True)


def create_applicant(client: JazzHRClient, upload: Upload) -> None:
    outcome = candidate_lock.acquire(upload)
    if outcome.holder_create_in_doubt:
        outcome = search_holder_applicant(client, upload, outcome.holder_id)
    if outcome.existing_applicant_id:
        reuse_applicant(client, upload, outcome)
        return
    if not outcome.acquired:
        raise SameCandidateBusy(outcome.holder_id)

    if upload.create_sent_at is not None:
        found = find_created_applicant(client, upload)
        if found:
            logger.info("Upload %s: applicant %s already exists", upload.id, found)
            upload.jazzhr_applicant_id = found
            candidate_lock.record_applicant(upload)
            return

    upload.create_sent_at = timezone.now()
    upload.save(update_fields=["create_sent_at", "updated_at"])
    try:
        upload.jazzhr_applicant_id = client.create_applicant(
            first_name=upload.first_name,
            last_name=upload.last_name,
            email=upload.email,
            phone=upload.phone,
            linkedin_url=upload.linkedin_url,
            job_id=upload.job_id,
            source=source_marker(upload),
        )
    except JazzHRError as exc:
        # Only a lost or garbled reply leaves the create in doubt. A 429, a budget
        # that sent nothing, or an `_error` reply means JazzHR created no applicant.
        in_doubt = isinstance(exc, TransientError) and exc.request_may_have_been_applied
        if not in_doubt:
            upload.create_sent_at = None
            upload.save(update_fields=["create_sent_at", "updated_at"])
        raise
    candidate_lock.record_applicant(upload)


class SameCandidateBusy(Exception):
    """Another unfinished upload of the same person holds the candidate's lock."""

    def __init__(self, holder_id: str):
        super().__init__(f"Waiting for upload {holder_id} of the same candidate.")
        self.holder_id = holder_id


def reuse_applicant(client: JazzHRClient, upload: Upload, outcome) -> None:
    """Finish an identical upload with the applicant its twin just created."""
    upload.jazzhr_applicant_id = outcome.existing_applicant_id
    attach_job(client, upload.jazzhr_applicant_id, upload.job_id)
    upload.result_note = (
        f"Same candidate as upload {outcome.holder_id}, which created the applicant "
        "in JazzHR; no second applicant was created."
    )
    logger.info(
        "Upload %s reuses applicant %s of upload %s",
        upload.id,
        upload.jazzhr_applicant_id,
        outcome.holder_id,
    )


def attach_job(client: JazzHRClient, applicant_id: str, job_id: str) -> None:
    """Put the applicant on the job; already being on it counts as success."""
    if not job_id:
        return
    applicant = client.get_applicant(applicant_id)
    if applicant is None:
        raise UploadNotPossible(
            f"JazzHR has no applicant {applicant_id}; it may have been deleted. "
            "Run the duplicate check again."
        )
    if job_id in {job.job_id for job in applicant.jobs}:
        return
    try:
        client.add_applicant_to_job(applicant_id, job_id)
    except RejectedWrite:
        # The pair may exist already (an earlier attempt whose reply was lost).
        refreshed = client.get_applicant(applicant_id)
        if refreshed is None or job_id not in {job.job_id for job in refreshed.jobs}:
            raise


def merge_applicant(client: JazzHRClient, upload: Upload) -> None:
    applicant = client.get_applicant(upload.merge_with_applicant_id)
    if applicant is None:
        raise UploadNotPossible(
            f"JazzHR has no applicant {upload.merge_with_applicant_id}; it may have "
            "been deleted. Run the duplicate check again."
        )
    attach_job(client, applicant.id, upload.job_id)
    if not upload.jazzhr_note_id:
        upload.jazzhr_note_id = client.add_note(applicant.id, merge_note(upload))
        upload.save(update_fields=["jazzhr_note_id", "updated_at"])
    upload.jazzhr_applicant_id = applicant.id


def merge_note(upload: Upload) -> str:
    recruiter = upload.requested_by
    recruiter_name = recruiter.get_full_name() if recruiter else ""
    recruiter_name = recruiter_name or (recruiter.email if recruiter else "a recruiter")
    job = (
        f" and added to the job {upload.job_title or upload.job_id}"
        if upload.job_id
        else ""
    )
    return f"Linked from the {SOURCE_LABEL.lower()} by {recruiter_name}{job}."


def key_replaced(
    current: JazzHRCredential | None, rejected: JazzHRCredential | None
) -> bool:
    """Return whether a reconnect stored a usable key after the worker read its key."""
    if current is None or not current.is_valid:
        return False
    return rejected is None or current.encrypted_api_key != rejected.encrypted_api_key


def park_for_key(
    upload: Upload, rejected: JazzHRCredential | None = None, message: str = ""
) -> None:
    """Leave the upload waiting until a reconnect resumes it.

    `rejected` is the credential whose key JazzHR just rejected, or None when the
    stored key was already marked invalid. The credential row stays locked until
    the upload waits, so a concurrent reconnect either resumes the waiting upload
    or commits first, and then the upload is queued again here instead.

    Raises RetryLater when the upload went back to the queue.
    """
    with transaction.atomic():
        current = (
            JazzHRCredential.objects.select_for_update()
            .filter(customer_id=upload.customer_id)
            .first()
        )
        replaced = key_replaced(current, rejected)
        if replaced:
            work.requeue(upload, 0.0, KEY_REPLACED_MESSAGE, count_attempt=False)
        else:
            if rejected is not None:
                connection.mark_key_invalid(upload.customer, message)
            upload.status = WorkStatus.WAITING
            upload.error = WAITING_FOR_KEY_MESSAGE
            upload.lease_expires_at = None
            upload.attempts = max(0, upload.attempts - 1)
            upload.save()
    if replaced:
        logger.info("Upload %s retries with the key of a reconnect", upload.id)
        raise work.RetryLater(0.0, KEY_REPLACED_MESSAGE)
    logger.warning("Upload %s waits for a new JazzHR key", upload.id)


def park_until_enabled(upload: Upload) -> None:
    """Leave the upload waiting while JazzHR is turned off for its customer.

    The customer row is locked as `set_ats` locks it. So either the
    `resume_waiting_uploads` of a re-enable finds the upload parked here, or this
    function finds JazzHR enabled again and puts the upload back in the queue.

    Raises RetryLater when the upload went back to the queue.
    """
    with transaction.atomic():
        customer = Customer.objects.select_for_update().get(pk=upload.customer_id)
        if customer.uses_jazzhr:
            work.requeue(upload, 0.0, "", count_attempt=False)
            enabled_again = True
        else:
            upload.status = WorkStatus.WAITING
            upload.error = ATS_DISABLED_MESSAGE
            upload.lease_expires_at = None
            upload.attempts = max(0, upload.attempts - 1)
            upload.save()
            enabled_again = False
    if enabled_again:
        raise work.RetryLater(0.0, "JazzHR was enabled again.")
    logger.warning("Upload %s waits until JazzHR is enabled again", upload.id)


def perform(client: JazzHRClient, upload: Upload) -> None:
    if upload.job_id:
        job = jobs.require_listed_job(upload.customer, client, upload.job_id)
        upload.job_title = job.title
    if upload.action == UploadAction.MERGE:
        merge_applicant(client, upload)
    else:
        create_applicant(client, upload)


def run_upload(upload_id) -> Upload | None:
    """Run a queued upload; return None when it was not queued (already taken).

    Raises RetryLater when the upload went back to the queue.
    """
    upload = work.claim(Upload, upload_id)
    if upload is None:
        logger.info("Upload %s is not queued; skipping", upload_id)
        return None
    logger.info(
        "Running upload %s (%s, attempt %s)", upload.id, upload.action, upload.attempts
    )
    try:
        credential = connection.usable_credential(upload.customer)
        perform(connection.client_for(upload.customer), upload)
    except connection.KeyRejected:
        park_for_key(upload)
        return upload
    except InvalidApiKey as exc:
        park_for_key(upload, rejected=credential, message=str(exc))
        return upload
    except SameCandidateBusy as exc:
        work.requeue(
            upload, SAME_CANDIDATE_RETRY_SECONDS, str(exc), count_attempt=False
        )
        raise work.RetryLater(SAME_CANDIDATE_RETRY_SECONDS, str(exc)) from exc
    except connection.AtsNotEnabled:
        park_until_enabled(upload)
        return upload
    except (connection.NotConnected, UploadNotPossible) as exc:
        logger.warning("Upload %s cannot run: %s", upload.id, exc)
        work.finish(upload, WorkStatus.FAILED, error=str(exc))
        return upload
    except RejectedWrite as exc:
        logger.warning("Upload %s rejected by JazzHR: %s", upload.id, exc)
        work.finish(
            upload, WorkStatus.FAILED, error=f"JazzHR rejected the upload: {exc}"
        )
        return upload
    except JazzHRError as exc:
        ambiguous = upload.create_sent_at is not None
        work.requeue_or_fail(
            upload,
            exc,
            label="Upload",
            min_delay=AMBIGUOUS_CREATE_MIN_DELAY_SECONDS if ambiguous else 0.0,
            failure_note=MAY_EXIST_NOTE if ambiguous else "",
        )
        return upload

    index.record_upload(upload)
    work.finish(upload, WorkStatus.SUCCEEDED, error="")
    logger.info(
        "Upload %s succeeded: applicant %s", upload.id, upload.jazzhr_applicant_id
    )
    return upload
