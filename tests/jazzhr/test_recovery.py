"""The recovery sweep: rows left running by a dead worker or queued without a task."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from integrations.jazzhr.models import DuplicateCheck, Upload, UploadAction, WorkStatus
from integrations.jazzhr.services import recovery, work
from support_dashboard.customers.models import Ats
from support_dashboard.customers.services import create_customer

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(monkeypatch) -> list[tuple[type, str]]:
    """The tasks the sweep sends, recorded instead of published to the broker."""
    calls: list[tuple[type, str]] = []
    monkeypatch.setattr(
        recovery, "send_task", lambda model, pk: calls.append((model, str(pk)))
    )
    return calls


@pytest.fixture
def customer():
    return create_customer("Acme Robotics", ats=Ats.JAZZHR)


def ago(seconds: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(seconds=seconds)


def later(seconds: float) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(seconds=seconds)


def make_upload(customer, **fields) -> Upload:
    return Upload.objects.create(
        customer=customer,
        first_name="Dana",
        last_name="Whitfield",
        action=UploadAction.CREATE,
        **fields,
    )


def test_sweep_requeues_expired_lease(customer, sent):
    upload = make_upload(
        customer, status=WorkStatus.RUNNING, attempts=1, lease_expires_at=ago(1)
    )

    result = recovery.recover_stalled_work()

    upload.refresh_from_db()
    assert upload.status == WorkStatus.QUEUED
    assert upload.lease_expires_at is None
    assert upload.error == recovery.STALE_RUNNING_MESSAGE
    assert upload.attempts == 1
    assert sent == [(Upload, str(upload.id))]
    assert result == recovery.SweepResult(requeued=1, resent=0)


def test_sweep_leaves_live_lease(customer, sent):
    upload = make_upload(
        customer, status=WorkStatus.RUNNING, attempts=1, lease_expires_at=later(10)
    )

    result = recovery.recover_stalled_work()

    upload.refresh_from_db()
    assert upload.status == WorkStatus.RUNNING
    assert sent == []
    assert result == recovery.SweepResult(requeued=0, resent=0)


def test_sweep_requeues_duplicate_check(customer, sent):
    check = DuplicateCheck.objects.create(
        customer=customer,
        first_name="Dana",
        last_name="Whitfield",
        status=WorkStatus.RUNNING,
        attempts=1,
        lease_expires_at=ago(1),
    )

    recovery.recover_stalled_work()

    check.refresh_from_db()
    assert check.status == WorkStatus.QUEUED
    assert sent == [(DuplicateCheck, str(check.id))]


def test_sweep_resends_overdue_queued(settings, customer, sent):
    grace = settings.JAZZHR_LOST_TASK_GRACE_SECONDS
    upload = make_upload(customer, next_attempt_at=ago(grace + 1))

    result = recovery.recover_stalled_work()

    upload.refresh_from_db()
    assert upload.status == WorkStatus.QUEUED
    assert upload.next_attempt_at > ago(1)
    assert sent == [(Upload, str(upload.id))]
    assert result == recovery.SweepResult(requeued=0, resent=1)


def test_sweep_resends_once_per_grace(settings, customer, sent):
    grace = settings.JAZZHR_LOST_TASK_GRACE_SECONDS
    make_upload(customer, next_attempt_at=ago(grace + 1))

    recovery.recover_stalled_work()
    recovery.recover_stalled_work()

    assert len(sent) == 1


def test_sweep_resends_queued_never_scheduled(settings, customer, sent):
    upload = make_upload(customer)
    grace = settings.JAZZHR_LOST_TASK_GRACE_SECONDS
    Upload.objects.filter(pk=upload.pk).update(updated_at=ago(grace + 1))

    recovery.recover_stalled_work()

    assert sent == [(Upload, str(upload.id))]


def test_sweep_waits_for_grace(settings, customer, sent):
    grace = settings.JAZZHR_LOST_TASK_GRACE_SECONDS
    make_upload(customer, next_attempt_at=ago(grace - 2))
    make_upload(customer, next_attempt_at=later(60))
    make_upload(customer)

    recovery.recover_stalled_work()

    assert sent == []


def test_sweep_ignores_waiting_and_finished(settings, customer, sent):
    overdue = ago(settings.JAZZHR_LOST_TASK_GRACE_SECONDS + 60)
    for status in (WorkStatus.WAITING, WorkStatus.SUCCEEDED, WorkStatus.FAILED):
        make_upload(customer, status=status, next_attempt_at=overdue)

    recovery.recover_stalled_work()

    assert sent == []


def test_sweep_fails_row_at_max_attempts(settings, customer, sent):
    attempts = settings.JAZZHR_MAX_ATTEMPTS
    upload = make_upload(
        customer,
        status=WorkStatus.RUNNING,
        attempts=attempts,
        lease_expires_at=ago(1),
    )

    recovery.recover_stalled_work()

    upload.refresh_from_db()
    assert upload.status == WorkStatus.FAILED
    assert upload.finished_at is not None
    assert "Support can replay it." in upload.error
    assert sent == []


def test_fail_message_states_last_attempt(settings, customer, sent):
    attempts = settings.JAZZHR_MAX_ATTEMPTS
    # The earlier attempts failed at JazzHR; only the last one lost its worker.
    upload = make_upload(
        customer,
        status=WorkStatus.RUNNING,
        attempts=attempts,
        lease_expires_at=ago(1),
        error="JazzHR returned server error HTTP 502 for POST /applicants.",
    )

    recovery.recover_stalled_work()

    upload.refresh_from_db()
    assert upload.error == (
        f"The worker stopped during the last attempt ({attempts} of {attempts}). "
        "Support can replay it."
    )


def test_abandoned_attempts_end_failed(settings, customer, sent):
    upload = make_upload(customer)

    for _ in range(settings.JAZZHR_MAX_ATTEMPTS):
        claimed = work.claim(Upload, upload.id)
        assert claimed is not None
        # The worker dies: its lease runs out with the row still running.
        Upload.objects.filter(pk=upload.pk).update(lease_expires_at=ago(1))
        recovery.recover_stalled_work()

    upload.refresh_from_db()
    assert upload.status == WorkStatus.FAILED
    assert upload.attempts == settings.JAZZHR_MAX_ATTEMPTS
    assert len(sent) == settings.JAZZHR_MAX_ATTEMPTS - 1
    assert work.claim(Upload, upload.id) is None
