"""Celery tasks: each takes an id, calls one service function, and returns."""

from __future__ import annotations

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from integrations.jazzhr.models import DuplicateCheck, Upload
from integrations.jazzhr.services import duplicate_checks, uploads, work
from integrations.jazzhr.services.work import RetryLater


# The services bound the attempts (JAZZHR_MAX_ATTEMPTS), so Celery's retry count is
# not limited here. An error the service did not expect fails the row at once, so
# that a bug cannot loop through the recovery sweep.
@shared_task(
    name="jazzhr.run_duplicate_check", bind=True, acks_late=True, max_retries=None
)
def run_duplicate_check(self, check_id: str) -> None:
    try:
        duplicate_checks.run_duplicate_check(check_id)
    except RetryLater as exc:
        raise self.retry(countdown=exc.delay, exc=exc) from exc
    except SoftTimeLimitExceeded:
        raise
    except Exception as exc:
        work.fail_unexpected(DuplicateCheck, check_id, exc)


@shared_task(name="jazzhr.run_upload", bind=True, acks_late=True, max_retries=None)
def run_upload(self, upload_id: str) -> None:
    try:
        uploads.run_upload(upload_id)
    except RetryLater as exc:
        raise self.retry(countdown=exc.delay, exc=exc) from exc
    except SoftTimeLimitExceeded:
        raise
    except Exception as exc:
        work.fail_unexpected(Upload, upload_id, exc)
