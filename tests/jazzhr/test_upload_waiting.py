"""Uploads wait while JazzHR is turned off for their customer, then continue."""

from __future__ import annotations

import pytest
from django.utils import timezone

from integrations.jazzhr import tasks
from integrations.jazzhr.matching import Person
from integrations.jazzhr.models import JazzHRCredential, Upload, WorkStatus
from integrations.jazzhr.services import uploads
from support_dashboard.accounts.services import create_user
from support_dashboard.customers.models import Ats
from support_dashboard.customers.services import create_customer, set_ats

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(monkeypatch):
    sent = []
    monkeypatch.setattr(tasks.run_upload, "delay", sent.append)
    return sent


@pytest.fixture
def queued_upload(sent, django_capture_on_commit_callbacks):
    customer = create_customer("Acme Robotics", ats=Ats.JAZZHR)
    credential = JazzHRCredential(customer=customer, connected_at=timezone.now())
    credential.set_api_key("sim0key0for0waiting0upload0tests")
    credential.save()
    recruiter, _, _ = create_user(
        "riley@acme.example", role="recruiter", customer=customer
    )
    with django_capture_on_commit_callbacks(execute=True):
        upload, _ = uploads.request_upload(
            customer, Person(first_name="Ada", last_name="Lovelace"), user=recruiter
        )
    return upload


def test_upload_waits_while_jazzhr_is_off(queued_upload):
    support, _, _ = create_user("sam@example.com", role="support")
    set_ats(queued_upload.customer, Ats.NONE, changed_by=support)

    uploads.run_upload(queued_upload.id)

    queued_upload.refresh_from_db()
    assert queued_upload.status == WorkStatus.WAITING
    assert "turned off" in queued_upload.error
    assert queued_upload.attempts == 0


def test_upload_resumes_when_jazzhr_is_on(
    queued_upload, sent, django_capture_on_commit_callbacks
):
    support, _, _ = create_user("sam@example.com", role="support")
    set_ats(queued_upload.customer, Ats.NONE, changed_by=support)
    uploads.run_upload(queued_upload.id)
    sent.clear()

    with django_capture_on_commit_callbacks(execute=True):
        set_ats(queued_upload.customer, Ats.JAZZHR, changed_by=support)

    queued_upload.refresh_from_db()
    assert queued_upload.status == WorkStatus.QUEUED
    assert sent == [str(queued_upload.id)]
    assert Upload.objects.filter(status=WorkStatus.FAILED).count() == 0
