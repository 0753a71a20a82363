"""Scheduled tasks that keep queued work and keys healthy."""

from __future__ import annotations

from celery import shared_task

from integrations.jazzhr.services import key_health, recovery


@shared_task(name="jazzhr.recover_stalled_work", ignore_result=True)
def recover_stalled_work() -> None:
    recovery.recover_stalled_work()


@shared_task(name="jazzhr.validate_connected_keys", ignore_result=True)
def validate_connected_keys() -> None:
    key_health.validate_connected_keys()
