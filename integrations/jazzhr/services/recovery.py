"""The recovery sweep: no check or upload stays running or queued forever.

A worker killed mid-task (kill -9, lost machine) leaves its row running; its lease
expires and the sweep queues the row again. A broker that lost its messages (a Redis
restart without persistence) leaves rows queued with no task; once overdue, the sweep
sends their task again. Claims are conditional, so a task sent twice runs once.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from integrations.jazzhr.models import DuplicateCheck, Upload, WorkStatus

logger = logging.getLogger(__name__)

STALE_RUNNING_MESSAGE = "The worker stopped during this attempt; it runs again."


@dataclass(frozen=True)
class SweepResult:
    requeued: int
    resent: int


def expired_leases(model, now):
    return model.objects.filter(status=WorkStatus.RUNNING, lease_expires_at__lt=now)


def overdue_queued(model, now):
    grace = datetime.timedelta(seconds=settings.JAZZHR_LOST_TASK_GRACE_SECONDS)
    due_before = now - grace
    return model.objects.filter(status=WorkStatus.QUEUED).filter(
        Q(next_attempt_at__lt=due_before)
        | Q(next_attempt_at__isnull=True, updated_at__lt=due_before)
    )


def fail_abandoned(model, pk, attempts: int, now) -> None:
    """Fail a row whose last allowed attempt ended with its worker gone."""
    model.objects.filter(pk=pk, status=WorkStatus.RUNNING).update(
        status=WorkStatus.FAILED,
        lease_expires_at=None,
        finished_at=now,
        error=f"The worker stopped during the last attempt ({attempts} of "
        f"{settings.JAZZHR_MAX_ATTEMPTS}). Support can replay it.",
        updated_at=now,
    )
    logger.error(
        "Failed %s %s: the worker stopped during its last attempt (%s)",
        model.__name__,
        pk,
        attempts,
    )


def send_task(model, pk) -> None:
    from integrations.jazzhr import tasks

    task = tasks.run_upload if model is Upload else tasks.run_duplicate_check
    task.delay(str(pk))


def recover_stalled_work() -> SweepResult:
    now = timezone.now()
    requeued = resent = 0
    for model in (Upload, DuplicateCheck):
        for pk, attempts in expired_leases(model, now).values_list("pk", "attempts"):
            if attempts >= settings.JAZZHR_MAX_ATTEMPTS:
                fail_abandoned(model, pk, attempts, now)
                continue
            updated = model.objects.filter(
                pk=pk, status=WorkStatus.RUNNING, lease_expires_at__lt=now
            ).update(
                status=WorkStatus.QUEUED,
                lease_expires_at=None,
                next_attempt_at=now,
                error=STALE_RUNNING_MESSAGE,
                updated_at=now,
            )
            if updated:
                logger.warning(
                    "Requeued %s %s after its lease expired", model.__name__, pk
                )
                send_task(model, pk)
                requeued += 1
        for pk in overdue_queued(model, now).values_list("pk", flat=True):
            model.objects.filter(pk=pk).update(next_attempt_at=now, updated_at=now)
            logger.warning("Sent the task of queued %s %s again", model.__name__, pk)
            send_task(model, pk)
            resent += 1
    return SweepResult(requeued=requeued, resent=resent)
