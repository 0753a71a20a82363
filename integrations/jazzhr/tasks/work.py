"""Celery tasks: each takes an id, calls one service function, and returns."""

from __future__ import annotations

from celery import shared_task

from integrations.jazzhr.services import duplicate_checks, uploads
from integrations.jazzhr.services.work import RetryLater


@shared_task(bind=True, acks_late=True, max_retries=None)
def run_duplicate_check(self, check_id: str) -> None:
    try:
        duplicate_checks.run_duplicate_check(check_id)
    except RetryLater as exc:
        raise self.retry(countdown=exc.delay, exc=exc) from exc


@shared_task(bind=True, acks_late=True, max_retries=None)
def run_upload(self, upload_id: str) -> None:
    try:
        uploads.run_upload(upload_id)
    except RetryLater as exc:
        raise self.retry(countdown=exc.delay, exc=exc) from exc
