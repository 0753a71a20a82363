"""Actions support staff take on a customer's work, each recorded with who and when."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from integrations.jazzhr.errors import JazzHRError
from integrations.jazzhr.models import (
    DuplicateCheck,
    SupportAction,
    SupportActionKind,
    Upload,
    WorkStatus,
)
from integrations.jazzhr.services import connection, duplicate_checks, index, uploads

logger = logging.getLogger(__name__)


class ActionNotAllowed(Exception):
    """The action does not apply to the row in its current state."""


def record(kind: str, *, actor, customer, detail: str = "", **targets) -> SupportAction:
    action = SupportAction.objects.create(
        kind=kind, actor=actor, customer=customer, detail=detail, **targets
    )
    logger.info(
        "Support action %s by user %s on customer %s",
        kind,
        getattr(actor, "pk", None),
        customer.slug,
    )
    return action


@transaction.atomic
def replay_upload(upload: Upload, *, actor) -> Upload:
    """Queue a failed upload again with fresh attempts.

    A create that may have reached JazzHR keeps its marker, so the replay searches
    JazzHR for the applicant before it sends anything.
    """
    replayed = Upload.objects.filter(pk=upload.pk, status=WorkStatus.FAILED).update(
        status=WorkStatus.QUEUED,
        attempts=0,
        error="",
        finished_at=None,
        next_attempt_at=timezone.now(),
        updated_at=timezone.now(),
    )
    if not replayed:
        raise ActionNotAllowed(
            f"Only a failed upload can be replayed; this one is {upload.status}."
        )
    upload.refresh_from_db()
    uploads.enqueue(upload)
    record(
        SupportActionKind.REPLAY_UPLOAD,
        actor=actor,
        customer=upload.customer,
        upload=upload,
    )
    return upload


@transaction.atomic
def cancel_upload(upload: Upload, *, actor) -> Upload:
    """Cancel an upload that has not started (queued or waiting for a key)."""
    cancelled = Upload.objects.filter(
        pk=upload.pk, status__in=[WorkStatus.QUEUED, WorkStatus.WAITING]
    ).update(
        status=WorkStatus.CANCELLED,
        error=f"Cancelled by {actor}.",
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )
    if not cancelled:
        raise ActionNotAllowed(
            "Only a queued or waiting upload can be cancelled; this one is "
            f"{upload.status}."
        )
    upload.refresh_from_db()
    record(
        SupportActionKind.CANCEL_UPLOAD,
        actor=actor,
        customer=upload.customer,
        upload=upload,
    )
    return upload


@transaction.atomic
def rerun_duplicate_check(check: DuplicateCheck, *, actor) -> DuplicateCheck:
    """Start a new check with the same candidate; the old one stays as it was."""
    rerun = duplicate_checks.request_duplicate_check(
        check.customer, index.person_of(check), user=actor
    )
    record(
        SupportActionKind.RERUN_CHECK,
        actor=actor,
        customer=check.customer,
        duplicate_check=rerun,
        detail=f"Re-run of duplicate check {check.id}.",
    )
    return rerun


def revalidate_key(customer, *, actor):
    """Validate the stored key now; the outcome is recorded either way."""
    try:
        credential = connection.test_connection(customer)
    except JazzHRError as exc:
        record(
            SupportActionKind.REVALIDATE_KEY,
            actor=actor,
            customer=customer,
            detail=f"JazzHR could not be reached: {exc}",
        )
        raise
    outcome = "valid" if credential.is_valid else "rejected by JazzHR"
    record(
        SupportActionKind.REVALIDATE_KEY,
        actor=actor,
        customer=customer,
        detail=f"Key …{credential.key_fingerprint} is {outcome}.",
    )
    return credential


def start_index_sync(customer, *, actor):
    """Start a sync of the customer's applicant index now; None if one is running."""
    state = index.start_sync(customer)
    if state is not None:
        kind = "full" if state.is_full_sync else "incremental"
        record(
            SupportActionKind.SYNC_INDEX,
            actor=actor,
            customer=customer,
            detail=f"Started a {kind} sync.",
        )
    return state
