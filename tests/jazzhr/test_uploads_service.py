"""The upload service against the JazzHR simulator, run in-process without a worker.

Each test calls `run_upload(id)` directly, once per attempt, so the retry delays that
a worker would wait are skipped.
"""

from __future__ import annotations

import pytest
from django.utils import timezone

from integrations.jazzhr import budget
from integrations.jazzhr.budget import RedisWindow
from integrations.jazzhr.matching import Person
from integrations.jazzhr.models import (
    CredentialStatus,
    JazzHRCredential,
    Upload,
    WorkStatus,
)
from integrations.jazzhr.services import connection, support, uploads
from integrations.jazzhr.services.work import RetryLater
from support_dashboard.accounts.services import create_user
from support_dashboard.customers.models import Ats
from support_dashboard.customers.services import create_customer

DANA = Person(first_name="Dana", last_name="Whitfield", email="dana@example.net")


@pytest.fixture
def account(jazzhr_account):
    jobs = jazzhr_account.load("jobs", [{"title": "Backend Engineer"}])
    jazzhr_account.job_id = jobs["ids"][0]
    return jazzhr_account


@pytest.fixture
def recruiter(db):
    customer = create_customer("Acme Robotics", ats=Ats.JAZZHR)
    user, _, _ = create_user(
        "riley@acme.example", role="recruiter", customer=customer, first_name="Riley"
    )
    return user


@pytest.fixture
def customer(recruiter, account, use_simulator):
    """The recruiter's customer, connected to the simulator account."""
    customer = recruiter.customer
    credential = JazzHRCredential(
        customer=customer, connected_by=recruiter, connected_at=timezone.now()
    )
    credential.set_api_key(account.api_key)
    credential.save()
    return customer


def request(customer, recruiter, candidate: Person = DANA, **options) -> Upload:
    upload, _ = uploads.request_upload(customer, candidate, user=recruiter, **options)
    return upload


def run_until_settled(upload: Upload, max_runs: int = 5) -> Upload:
    """Run the upload again after each requeue, as the worker would."""
    for _ in range(max_runs):
        try:
            uploads.run_upload(upload.id)
        except RetryLater:
            continue
        break
    upload.refresh_from_db()
    return upload


def posts(account, path: str) -> list[dict]:
    return [
        entry
        for entry in account.requests_log()
        if entry["method"] == "POST" and entry["path"] == path
    ]


def test_upload_creates_applicant(customer, recruiter, account, created_applicants):
    upload = request(customer, recruiter, job_id=account.job_id)

    upload = run_until_settled(upload)

    assert upload.status == WorkStatus.SUCCEEDED, upload.error
    assert upload.attempts == 1
    [applicant] = created_applicants(account)
    assert applicant.id == upload.jazzhr_applicant_id
    assert applicant.source == uploads.source_marker(upload)
    assert applicant.email == DANA.email


def test_ambiguous_create_retry_finds_applicant(
    customer, recruiter, account, created_applicants
):
    account.set_faults(ambiguous_write_rate=1.0)
    upload = request(customer, recruiter)

    with pytest.raises(RetryLater):
        uploads.run_upload(upload.id)
    upload.refresh_from_db()
    assert upload.status == WorkStatus.QUEUED
    assert upload.create_sent_at is not None
    assert len(created_applicants(account)) == 1

    account.set_faults(ambiguous_write_rate=0.0)
    upload = run_until_settled(upload)

    assert upload.status == WorkStatus.SUCCEEDED, upload.error
    [applicant] = created_applicants(account)
    assert upload.jazzhr_applicant_id == applicant.id
    assert len(posts(account, "/v1/applicants")) == 1


def test_create_lost_before_write_sends_again(
    customer, recruiter, account, created_applicants
):
    # A 5xx without the write looks the same to the client as an ambiguous one.
    account.set_faults(error_rate=1.0)
    upload = request(customer, recruiter)

    with pytest.raises(RetryLater):
        uploads.run_upload(upload.id)
    assert created_applicants(account) == []

    account.set_faults(error_rate=0.0)
    upload = run_until_settled(upload)

    assert upload.status == WorkStatus.SUCCEEDED, upload.error
    [applicant] = created_applicants(account)
    assert upload.jazzhr_applicant_id == applicant.id
    assert len(posts(account, "/v1/applicants")) == 2


def test_rate_limited_create_skips_search(
    settings, customer, recruiter, account, created_applicants
):
    settings.JAZZHR_RATE_LIMIT_BACKOFF_SECONDS = 0.1
    account.set_faults(rate_limit_per_minute=1)
    # This request takes the simulator's only slot, so the create gets a 429.
    account.get("/users")
    upload = request(customer, recruiter)

    with pytest.raises(RetryLater) as raised:
        uploads.run_upload(upload.id)

    assert raised.value.delay < uploads.AMBIGUOUS_CREATE_MIN_DELAY_SECONDS
    upload.refresh_from_db()
    assert upload.create_sent_at is None
    account.set_faults(rate_limit_per_minute=None)
    upload = run_until_settled(upload)
    assert upload.status == WorkStatus.SUCCEEDED, upload.error
    assert [entry["method"] for entry in account.requests_log()] == [
        "GET",
        "POST",
        "POST",
    ]
    assert len(created_applicants(account)) == 1


def test_rejected_create_is_not_searched_on_replay(customer, recruiter, account):
    account.set_faults(require_email=True)
    upload = request(customer, recruiter, Person(first_name="Ada", last_name="Byron"))

    upload = run_until_settled(upload)

    assert upload.status == WorkStatus.FAILED
    assert upload.create_sent_at is None


def test_unreachable_budget_requeues_upload(
    monkeypatch, customer, recruiter, account, unreachable_redis
):
    # The budget's Redis is down, as during a Redis restart.
    monkeypatch.setattr(budget, "_window", RedisWindow(unreachable_redis))
    upload = request(customer, recruiter)

    with pytest.raises(RetryLater):
        uploads.run_upload(upload.id)

    upload.refresh_from_db()
    assert upload.status == WorkStatus.QUEUED
    assert upload.create_sent_at is None
    assert account.requests_log() == []


def test_twin_reuses_applicant_found_by_marker(
    customer, recruiter, account, created_applicants
):
    account.set_faults(ambiguous_write_rate=1.0)
    first = request(customer, recruiter)
    twin = request(customer, recruiter)
    with pytest.raises(RetryLater):
        uploads.run_upload(first.id)
    with pytest.raises(RetryLater):
        uploads.run_upload(twin.id)
    account.set_faults(ambiguous_write_rate=0.0)

    first = run_until_settled(first)
    twin = run_until_settled(twin)

    assert first.status == WorkStatus.SUCCEEDED, first.error
    assert twin.status == WorkStatus.SUCCEEDED, twin.error
    assert twin.jazzhr_applicant_id == first.jazzhr_applicant_id
    assert len(created_applicants(account)) == 1


def test_identical_upload_waits_then_reuses(
    customer, recruiter, account, created_applicants
):
    first = request(customer, recruiter)
    twin = request(customer, recruiter)
    account.set_faults(error_rate=1.0)
    with pytest.raises(RetryLater):
        uploads.run_upload(first.id)

    with pytest.raises(RetryLater):
        uploads.run_upload(twin.id)
    twin.refresh_from_db()
    assert twin.status == WorkStatus.QUEUED
    assert twin.attempts == 0

    account.set_faults(error_rate=0.0)
    first = run_until_settled(first)
    twin = run_until_settled(twin)

    assert twin.status == WorkStatus.SUCCEEDED, twin.error
    assert twin.jazzhr_applicant_id == first.jazzhr_applicant_id
    assert str(first.id) in twin.result_note
    assert len(created_applicants(account)) == 1


def test_twin_reuses_applicant_of_failed_upload(
    settings, customer, recruiter, account, created_applicants
):
    account.set_faults(ambiguous_write_rate=1.0)
    first = request(customer, recruiter)
    twin = request(customer, recruiter)
    with pytest.raises(RetryLater):
        uploads.run_upload(first.id)
    # Every search for the created applicant fails, so the first upload gives up
    # although JazzHR created its applicant.
    account.set_faults(ambiguous_write_rate=0.0, error_rate=1.0)
    first = run_until_settled(first, max_runs=settings.JAZZHR_MAX_ATTEMPTS)
    assert first.status == WorkStatus.FAILED
    account.set_faults(error_rate=0.0)

    twin = run_until_settled(twin)

    assert twin.status == WorkStatus.SUCCEEDED, twin.error
    [applicant] = created_applicants(account)
    assert twin.jazzhr_applicant_id == applicant.id
    assert applicant.source == uploads.source_marker(first)
    assert str(first.id) in twin.result_note

    support.replay_upload(first, actor=recruiter)
    first = run_until_settled(first)

    assert first.status == WorkStatus.SUCCEEDED, first.error
    assert first.jazzhr_applicant_id == applicant.id
    assert len(created_applicants(account)) == 1


def test_merge_already_on_job_succeeds(customer, recruiter, account):
    [robert_id] = account.load(
        "applicants",
        [{"first_name": "Robert", "last_name": "Smith", "jobs": [account.job_id]}],
    )["ids"]
    upload = request(
        customer,
        recruiter,
        candidate=Person(first_name="Bob", last_name="Smith"),
        job_id=account.job_id,
        merge_with_applicant_id=robert_id,
    )

    upload = run_until_settled(upload)

    assert upload.status == WorkStatus.SUCCEEDED, upload.error
    assert upload.jazzhr_applicant_id == robert_id
    assert upload.jazzhr_note_id
    assert posts(account, "/v1/applicants2jobs") == []
    assert len(posts(account, "/v1/notes")) == 1
    assert posts(account, "/v1/applicants") == []


def test_merge_puts_applicant_on_job(customer, recruiter, account):
    [robert_id] = account.load(
        "applicants", [{"first_name": "Robert", "last_name": "Smith"}]
    )["ids"]
    upload = request(
        customer,
        recruiter,
        candidate=Person(first_name="Bob", last_name="Smith"),
        job_id=account.job_id,
        merge_with_applicant_id=robert_id,
    )

    upload = run_until_settled(upload)

    assert upload.status == WorkStatus.SUCCEEDED, upload.error
    applicant = account.get(f"/applicants/{robert_id}")
    assert applicant["jobs"]["job_id"] == account.job_id


def test_merge_with_deleted_applicant_fails(customer, recruiter, account):
    upload = request(
        customer,
        recruiter,
        merge_with_applicant_id="prospect_20200101000000_MISSING0000000",
    )

    upload = run_until_settled(upload)

    assert upload.status == WorkStatus.FAILED
    assert "has no applicant" in upload.error


def test_create_error_member_fails_upload(
    customer, recruiter, account, created_applicants
):
    account.set_faults(require_email=True)
    upload = request(customer, recruiter, Person(first_name="Ada", last_name="Byron"))

    upload = run_until_settled(upload)

    assert upload.status == WorkStatus.FAILED
    assert "email was not set" in upload.error
    assert upload.attempts == 1
    assert created_applicants(account) == []


def test_upload_fails_after_max_attempts(settings, customer, recruiter, account):
    account.set_faults(error_rate=1.0)
    upload = request(customer, recruiter)

    upload = run_until_settled(upload, max_runs=settings.JAZZHR_MAX_ATTEMPTS + 2)

    assert upload.status == WorkStatus.FAILED
    assert upload.attempts == settings.JAZZHR_MAX_ATTEMPTS
    assert "HTTP 5" in upload.error


def test_rejected_key_parks_upload(customer, recruiter, account):
    upload = request(customer, recruiter)
    account.rotate()

    uploads.run_upload(upload.id)

    upload.refresh_from_db()
    assert upload.status == WorkStatus.WAITING
    assert upload.error == uploads.WAITING_FOR_KEY_MESSAGE
    assert upload.attempts == 0
    credential = JazzHRCredential.objects.get(customer=customer)
    assert credential.status == CredentialStatus.INVALID


def test_upload_after_rejected_key_waits(customer, recruiter, account):
    JazzHRCredential.objects.filter(customer=customer).update(
        status=CredentialStatus.INVALID
    )

    upload, created = uploads.request_upload(customer, DANA, user=recruiter)

    assert created
    assert upload.status == WorkStatus.WAITING
    assert account.requests_log() == []


def test_reconnect_resumes_waiting_upload(
    customer, recruiter, account, created_applicants
):
    upload = request(customer, recruiter)
    account.rotate()
    uploads.run_upload(upload.id)

    connection.connect(customer, account.api_key, user=recruiter)

    upload.refresh_from_db()
    assert upload.status == WorkStatus.QUEUED
    upload = run_until_settled(upload)
    assert upload.status == WorkStatus.SUCCEEDED, upload.error
    assert len(created_applicants(account)) == 1


def test_reconnect_during_rejected_request_requeues(
    monkeypatch, customer, recruiter, account, created_applicants
):
    upload = request(customer, recruiter)
    old_key = account.api_key
    new_key = account.rotate()
    build_client = connection.build_client

    def build_then_reconnect(api_key, **options):
        client = build_client(api_key, **options)
        if api_key == old_key:
            # A recruiter reconnects after the worker read the old key and before
            # JazzHR rejects the worker's request.
            connection.connect(customer, new_key, user=recruiter)
        return client

    monkeypatch.setattr(connection, "build_client", build_then_reconnect)

    with pytest.raises(RetryLater):
        uploads.run_upload(upload.id)

    credential = JazzHRCredential.objects.get(customer=customer)
    assert credential.status == CredentialStatus.VALID
    upload.refresh_from_db()
    assert upload.status == WorkStatus.QUEUED
    assert upload.attempts == 0
    upload = run_until_settled(upload)
    assert upload.status == WorkStatus.SUCCEEDED, upload.error
    assert len(created_applicants(account)) == 1


def test_reconnect_after_invalid_key_read_requeues(
    monkeypatch, customer, recruiter, account
):
    upload = request(customer, recruiter)
    new_key = account.rotate()
    JazzHRCredential.objects.filter(customer=customer).update(
        status=CredentialStatus.INVALID
    )
    usable_credential = connection.usable_credential

    def read_then_reconnect(customer):
        try:
            return usable_credential(customer)
        finally:
            # The reconnect commits after the worker found the key invalid and
            # before it parks the upload, so the reconnect finds nothing waiting.
            connection.connect(customer, new_key, user=recruiter)

    monkeypatch.setattr(connection, "usable_credential", read_then_reconnect)

    with pytest.raises(RetryLater):
        uploads.run_upload(upload.id)

    upload.refresh_from_db()
    assert upload.status == WorkStatus.QUEUED


def test_idempotency_key_returns_first_upload(customer, recruiter, account):
    first, first_created = uploads.request_upload(
        customer, DANA, user=recruiter, idempotency_key="sidebar-42"
    )
    again, again_created = uploads.request_upload(
        customer, DANA, user=recruiter, idempotency_key="sidebar-42"
    )

    assert first_created
    assert not again_created
    assert again.id == first.id
    assert Upload.objects.count() == 1
