"""Claiming, retrying and finishing queued work rows (duplicate checks and uploads)."""

from __future__ import annotations

import datetime
import logging
import random
from typing import TypeVar

from django.conf import settings
from django.db import models
from django.db.models import F
from django.utils import timezone

from integrations.jazzhr.errors import JazzHRError, RateLimited
from integrations.jazzhr.models import WorkStatus

logger = logging.getLogger(__name__)

Row = TypeVar("Row", bound=models.Model)


class RetryLater(Exception):
    """The work hit a transient JazzHR error and should run again after `delay`."""

    def __init__(self, delay: float, reason: str):
        super().__init__(reason)
        self.delay = delay


def claim(model: type[Row], pk) -> Row | None:
    """Move a queued row to running under a lease; None if it is not queued.

    The conditional update makes the claim atomic: of two workers given the same
    row, exactly one gets it.
    """
    now = timezone.now()
    lease = datetime.timedelta(seconds=settings.JAZZHR_WORK_LEASE_SECONDS)
    claimed = model.objects.filter(pk=pk, status=WorkStatus.QUEUED).update(
        status=WorkStatus.RUNNING,
        started_at=now,
        lease_expires_at=now + lease,
        next_attempt_at=None,
        attempts=F("attempts") + 1,
        updated_at=now,
    )
    if not claimed:
        return None
    return model.objects.get(pk=pk)


def retry_delay(attempt: int, error: JazzHRError) -> float:
    """Exponential backoff with full jitter; a 429 waits for JazzHR's window."""
    if isinstance(error, RateLimited):
        return error.retry_after or settings.JAZZHR_RATE_LIMIT_BACKOFF_SECONDS
    ceiling = min(
        settings.JAZZHR_RETRY_CAP_SECONDS,
        settings.JAZZHR_RETRY_BASE_SECONDS * 2**attempt,
    )
    return random.uniform(0, ceiling)


def finish(row, status: str, **fields) -> None:
    row.status = status
    row.finished_at = timezone.now()
    row.lease_expires_at = None
    for name, value in fields.items():
        setattr(row, name, value)
    row.save()


def requeue(row, delay: float, message: str, *, count_attempt: bool = True) -> None:
    """Put a running row back in the queue, due in `delay` seconds.

    With count_attempt=False the attempt just made does not count against
    JAZZHR_MAX_ATTEMPTS (the row only waited for something else).
    """
    row.status = WorkStatus.QUEUED
    row.error = message
    row.lease_expires_at = None
    row.next_attempt_at = timezone.now() + datetime.timedelta(seconds=delay)
    fields = ["status", "error", "lease_expires_at", "next_attempt_at", "updated_at"]
    if not count_attempt:
        row.attempts = max(0, row.attempts - 1)
        fields.append("attempts")
    fields += [name for name in ("jazzhr_request_count",) if hasattr(row, name)]
    row.save(update_fields=fields)


def requeue_or_fail(
    row,
    error: JazzHRError,
    *,
    label: str,
    min_delay: float = 0.0,
    failure_note: str = "",
) -> None:
    """Requeue `row` after a transient error, or fail it when retries are spent.

    Raises RetryLater when the row went back to the queue.
    """
    max_attempts = settings.JAZZHR_MAX_ATTEMPTS
    if error.transient and row.attempts < max_attempts:
        delay = max(min_delay, retry_delay(row.attempts, error))
        message = f"{error} Retrying (attempt {row.attempts} of {max_attempts})."
        requeue(row, delay, message)
        logger.warning(
            "%s %s attempt %s failed, retrying in %.1f s: %s",
            label,
            row.pk,
            row.attempts,
            delay,
            error,
        )
        raise RetryLater(delay, str(error)) from error
    logger.warning(
        "%s %s failed after %s attempts: %s", label, row.pk, row.attempts, error
    )
    finish(row, WorkStatus.FAILED, error=f"{error} {failure_note}".strip())


def fail_unexpected(model, pk, error: Exception) -> None:
    """Fail a row whose task raised an error the service did not expect."""
    logger.exception("%s %s failed with an unexpected error", model.__name__, pk)
    model.objects.filter(pk=pk, status=WorkStatus.RUNNING).update(
        status=WorkStatus.FAILED,
        lease_expires_at=None,
        finished_at=timezone.now(),
        error=f"Internal error ({type(error).__name__}); support can replay it.",
        updated_at=timezone.now(),
    )
