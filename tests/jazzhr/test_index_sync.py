"""Index syncs against the JazzHR simulator, run by calling the service directly."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from integrations.jazzhr.matching import Person
from integrations.jazzhr.models import (
    IndexedApplicant,
    IndexedApplicantKey,
    IndexSyncState,
    JazzHRCredential,
    SyncPhase,
    Upload,
    UploadAction,
)
from integrations.jazzhr.services import index
from integrations.jazzhr.types import ApplicantSummary
from support_dashboard.customers.models import Ats
from support_dashboard.customers.services import create_customer

TODAY = datetime.date.today()


def applicants(count: int, *, start: int = 0, days_ago: int = 30) -> list[dict]:
    """Build `count` applicants, their apply dates cycling through past days.

    The dates run from `days_ago` days ago to yesterday.
    """
    return [
        {
            "first_name": f"Given{number}",
            "last_name": f"Family{number}",
            "email": f"person{number}@example.com",
            "phone": f"412555{number:04d}",
            "apply_date": (
                TODAY - datetime.timedelta(days=days_ago - number % days_ago)
            ).isoformat(),
        }
        for number in range(start, start + count)
    ]


@pytest.fixture
def unlimited(settings, jazzhr_account):
    """Let the sync send requests as fast as the simulator responds."""
    settings.JAZZHR_REQUESTS_PER_MINUTE = 100_000
    jazzhr_account.set_faults(rate_limit_per_minute=None)
    return jazzhr_account


@pytest.fixture
def customer(db, use_simulator, jazzhr_account):
    customer = create_customer("Acme Robotics", ats=Ats.JAZZHR)
    credential = JazzHRCredential(customer=customer, connected_at=timezone.now())
    credential.set_api_key(jazzhr_account.api_key)
    credential.save()
    return customer


def run_to_end(customer, max_runs: int = 100) -> list[float | None]:
    """Run the sync's task chain in this process until it ends; return the delays."""
    delays = []
    for _ in range(max_runs):
        state = IndexSyncState.objects.get(customer=customer)
        delay = index.run_sync(customer.pk, state.run_token)
        delays.append(delay)
        if delay is None:
            return delays
    raise AssertionError(f"The sync did not finish in {max_runs} runs")


def list_requests(account) -> list[str]:
    return [
        entry["path"]
        for entry in account.requests_log()
        if entry["path"].startswith("/v1/applicants/") and "/page/" in entry["path"]
    ]


def detail_requests(account) -> list[str]:
    return [
        entry["path"]
        for entry in account.requests_log()
        if entry["path"].count("/") == 3 and entry["path"].startswith("/v1/applicants/")
    ]


def test_full_sync_indexes_every_applicant(customer, unlimited):
    unlimited.load("applicants", applicants(150))

    index.schedule_initial_sync(customer)
    run_to_end(customer)

    state = IndexSyncState.objects.get(customer=customer)
    assert state.phase == SyncPhase.IDLE
    assert state.is_full_sync
    assert state.last_full_sync_finished_at is not None
    assert state.full_listing_finished_at is not None
    assert state.total_count == 150
    assert state.listed_count == 150
    assert state.detailed_count == 150
    assert state.newest_apply_date == TODAY - datetime.timedelta(days=1)
    assert state.run_token == ""
    assert IndexedApplicant.objects.filter(customer=customer).count() == 150
    assert not IndexedApplicant.objects.filter(has_details=False).exists()
    assert len(list_requests(unlimited)) == 2
    assert len(detail_requests(unlimited)) == 150


def test_full_sync_stores_details_and_keys(customer, unlimited):
    unlimited.load(
        "applicants",
        [
            {
                "first_name": "Ada",
                "last_name": "Lovelace",
                "email": "Ada.Lovelace@Example.com",
                "linkedin_url": "https://www.linkedin.com/in/ada-lovelace",
                "phone": "(412) 555-0100",
            }
        ],
    )

    index.schedule_initial_sync(customer)
    run_to_end(customer)

    applicant = IndexedApplicant.objects.get(customer=customer)
    keys = set(
        IndexedApplicantKey.objects.filter(applicant=applicant).values_list(
            "key", flat=True
        )
    )
    assert applicant.email == "Ada.Lovelace@Example.com"
    assert applicant.linkedin_url == "https://www.linkedin.com/in/ada-lovelace"
    assert applicant.details_fetched_at is not None
    assert "e:ada.lovelace@example.com" in keys
    assert "l:ada-lovelace" in keys
    assert "p:4125550100" in keys
    assert "n:lovelace" in keys


def test_sync_run_stops_at_request_limit(customer, unlimited, monkeypatch):
    monkeypatch.setattr(index, "MAX_REQUESTS_PER_RUN", 3)
    unlimited.load("applicants", applicants(250))
    state = index.schedule_initial_sync(customer)

    delay = index.run_sync(customer.pk, state.run_token)

    state.refresh_from_db()
    assert delay == 0.0
    assert state.phase == SyncPhase.FETCHING_DETAILS
    assert state.cursor_page == 4
    assert state.lease_expires_at is None
    assert state.detailed_count == 0
    assert len(list_requests(unlimited)) == 3
    assert detail_requests(unlimited) == []


def test_sync_resumes_after_crash_between_pages(customer, unlimited, monkeypatch):
    unlimited.load("applicants", applicants(250))
    state = index.schedule_initial_sync(customer)
    save_rows = index.save_listed_rows
    pages_saved = []

    def crash_on_second_page(customer, rows):
        if len(pages_saved) == 1:
            raise KeyboardInterrupt("worker killed")
        pages_saved.append(save_rows(customer, rows))

    monkeypatch.setattr(index, "save_listed_rows", crash_on_second_page)
    with pytest.raises(KeyboardInterrupt):
        index.run_sync(customer.pk, state.run_token)
    monkeypatch.setattr(index, "save_listed_rows", save_rows)

    state.refresh_from_db()
    assert state.cursor_page == 2
    assert index.run_sync(customer.pk, state.run_token) is None
    IndexSyncState.objects.filter(pk=state.pk).update(
        lease_expires_at=timezone.now() - datetime.timedelta(seconds=1),
        last_run_at=timezone.now() - index.STALLED_AFTER * 2,
    )
    assert index.schedule_due_syncs() == 1
    run_to_end(customer)

    pages = list_requests(unlimited)
    assert pages.count("/v1/applicants/page/1") == 1
    assert pages.count("/v1/applicants/page/2") == 2
    assert pages.count("/v1/applicants/page/3") == 1
    assert IndexedApplicant.objects.filter(customer=customer).count() == 250
    assert not IndexedApplicant.objects.filter(has_details=False).exists()


def test_sync_resumes_details_after_crash(customer, unlimited, monkeypatch):
    unlimited.load("applicants", applicants(20))
    state = index.schedule_initial_sync(customer)
    save_detail = index.save_detail
    saved = []

    def crash_on_sixth_detail(customer, detail):
        if len(saved) == 5:
            raise KeyboardInterrupt("worker killed")
        saved.append(save_detail(customer, detail))

    monkeypatch.setattr(index, "save_detail", crash_on_sixth_detail)
    with pytest.raises(KeyboardInterrupt):
        index.run_sync(customer.pk, state.run_token)
    monkeypatch.setattr(index, "save_detail", save_detail)
    IndexSyncState.objects.filter(pk=state.pk).update(lease_expires_at=None)
    run_to_end(customer)

    details = detail_requests(unlimited)
    assert len(details) == 21
    assert len(set(details)) == 20
    assert not IndexedApplicant.objects.filter(has_details=False).exists()


def test_incremental_sync_lists_new_applicants(customer, unlimited):
    unlimited.load("applicants", applicants(150))
    index.schedule_initial_sync(customer)
    run_to_end(customer)
    unlimited.load(
        "applicants",
        [
            {
                "first_name": "Newton",
                "last_name": "Late",
                "email": "newton@example.com",
                "apply_date": TODAY.isoformat(),
            }
        ],
    )
    before = len(unlimited.requests_log())

    state = index.start_sync(customer)
    run_to_end(customer)

    state.refresh_from_db()
    since = TODAY - datetime.timedelta(days=2)
    new_requests = [entry["path"] for entry in unlimited.requests_log()[before:]]
    assert not state.is_full_sync
    assert state.list_from_date == since
    assert state.newest_apply_date == TODAY
    assert new_requests[0] == f"/v1/applicants/from_apply_date/{since}/page/1"
    assert len(new_requests) == 2
    assert IndexedApplicant.objects.get(last_name="Late").email == "newton@example.com"


def test_start_sync_skips_running_sync(customer, unlimited):
    first = index.start_sync(customer)

    second = index.start_sync(customer)

    assert first is not None
    assert second is None


def test_start_sync_full_when_never_listed(customer, unlimited):
    state = index.start_sync(customer)

    assert state.is_full_sync
    assert state.list_from_date is None


def test_claim_keeps_second_run_out(customer, unlimited):
    state = index.start_sync(customer)

    first = index.claim(customer.pk, state.run_token)
    second = index.claim(customer.pk, state.run_token)

    assert first is not None
    assert second is None


def test_claim_rejects_stale_token(customer, unlimited):
    state = index.start_sync(customer)
    index.resume_sync(state)

    assert index.claim(customer.pk, state.run_token) is None


def test_sync_waits_out_rate_limit(customer, jazzhr_account, settings):
    settings.JAZZHR_REQUESTS_PER_MINUTE = 100_000
    jazzhr_account.set_faults(rate_limit_per_minute=2)
    jazzhr_account.load("applicants", applicants(5))
    state = index.schedule_initial_sync(customer)

    delay = index.run_sync(customer.pk, state.run_token)

    state.refresh_from_db()
    assert delay == settings.JAZZHR_RATE_LIMIT_BACKOFF_SECONDS
    assert state.phase == SyncPhase.FETCHING_DETAILS
    assert state.failure_count == 0
    assert "429" in state.last_error
    assert state.resume_at is not None
    assert state.lease_expires_at is None


def test_sync_waits_out_used_up_budget(customer, unlimited, settings):
    settings.JAZZHR_REQUESTS_PER_MINUTE = 2
    settings.JAZZHR_BACKGROUND_BUDGET_SHARE = 0.5
    settings.JAZZHR_BUDGET_MAX_WAIT_SECONDS = 0.0
    unlimited.load("applicants", applicants(5))
    state = index.schedule_initial_sync(customer)

    delay = index.run_sync(customer.pk, state.run_token)

    state.refresh_from_db()
    assert 50 < delay <= 60
    assert state.detailed_count == 0
    assert "budget" in state.last_error
    assert len(unlimited.requests_log()) == 1


def test_sync_pauses_after_repeated_errors(customer, unlimited, settings):
    unlimited.load("applicants", applicants(3))
    unlimited.set_faults(error_rate=1.0)
    state = index.schedule_initial_sync(customer)

    delays = run_to_end(customer)

    state.refresh_from_db()
    assert len(delays) == settings.JAZZHR_MAX_ATTEMPTS + 1
    assert state.phase == SyncPhase.LISTING
    assert "stopped after" in state.last_error


def test_sync_pauses_when_key_rejected(customer, unlimited):
    unlimited.rotate()
    state = index.schedule_initial_sync(customer)

    delay = index.run_sync(customer.pk, state.run_token)

    credential = JazzHRCredential.objects.get(customer=customer)
    state.refresh_from_db()
    assert delay is None
    assert not credential.is_valid
    assert state.last_error
    assert state.phase == SyncPhase.LISTING


def test_schedule_due_syncs_starts_idle_customers(customer, unlimited):
    assert index.schedule_due_syncs() == 1
    assert IndexSyncState.objects.get(customer=customer).phase == SyncPhase.LISTING


def test_schedule_due_syncs_leaves_running_sync(customer, unlimited):
    state = index.start_sync(customer)
    index.claim(customer.pk, state.run_token)

    assert index.schedule_due_syncs() == 0


def test_sync_forgets_deleted_applicant(customer, unlimited):
    unlimited.load("applicants", applicants(2))
    index.schedule_initial_sync(customer)
    run_to_end(customer)
    IndexedApplicant.objects.create(
        customer=customer, jazzhr_applicant_id="prospect_20200101000000_GONE"
    )

    index.start_sync(customer, full=True)
    run_to_end(customer)

    assert not IndexedApplicant.objects.filter(
        jazzhr_applicant_id="prospect_20200101000000_GONE"
    ).exists()
    assert IndexedApplicant.objects.filter(customer=customer).count() == 2


def test_full_sync_rechecks_unlisted_applicant(customer, unlimited):
    unlimited.load("applicants", applicants(3))
    index.schedule_initial_sync(customer)
    run_to_end(customer)
    index.save_person(
        customer, "prospect_20200101000000_GONE", Person("Gone", "Away", "g@a.example")
    )
    IndexedApplicant.objects.filter(last_name="Away").update(
        created_at=timezone.now() - datetime.timedelta(days=1)
    )
    before = len(detail_requests(unlimited))

    index.start_sync(customer, full=True)
    run_to_end(customer)

    rechecked = detail_requests(unlimited)[before:]
    assert rechecked == ["/v1/applicants/prospect_20200101000000_GONE"]
    assert not IndexedApplicant.objects.filter(last_name="Away").exists()
    assert IndexedApplicant.objects.filter(has_details=True).count() == 3


def summary(applicant_id: str, first_name: str, last_name: str) -> ApplicantSummary:
    return ApplicantSummary(
        id=applicant_id,
        first_name=first_name,
        last_name=last_name,
        phone="",
        apply_date=TODAY,
        job_id="",
        job_title="",
    )


def test_listed_rename_refetches_detail(customer):
    index.save_person(
        customer, "prospect_1", Person("Maria", "Lopez", email="maria@example.com")
    )

    index.save_listed_rows(customer, [summary("prospect_1", "Maria", "Schmidt")])

    applicant = IndexedApplicant.objects.get(jazzhr_applicant_id="prospect_1")
    keys = set(applicant.keys.values_list("key", flat=True))
    assert applicant.last_name == "Schmidt"
    assert not applicant.has_details
    assert "n:schmidt" in keys
    assert "n:lopez" not in keys


def test_listed_rows_keep_details_of_same_name(customer):
    index.save_person(
        customer, "prospect_1", Person("Maria", "Lopez", email="maria@example.com")
    )

    index.save_listed_rows(customer, [summary("prospect_1", "Maria", "Lopez")])

    applicant = IndexedApplicant.objects.get(jazzhr_applicant_id="prospect_1")
    assert applicant.has_details
    assert applicant.email == "maria@example.com"


def test_listed_rows_repeated_per_job_saved_once(customer):
    rows = [
        summary("prospect_1", "Ana", "Silva"),
        summary("prospect_1", "Ana", "Silva"),
    ]

    created = index.save_listed_rows(customer, rows)

    assert created == 1
    assert IndexedApplicant.objects.filter(customer=customer).count() == 1


def test_newest_apply_date_ignores_future_dates():
    rows = [
        summary("prospect_1", "Ana", "Silva"),
        ApplicantSummary(
            "prospect_2", "Bo", "Li", "", datetime.date(2999, 1, 1), "", ""
        ),
    ]

    newest = index.newest_apply_date(None, rows)

    assert newest == TODAY


def test_record_upload_indexes_created_applicant(customer):
    upload = Upload.objects.create(
        customer=customer,
        first_name="Dana",
        last_name="Whitfield",
        email="dana@example.net",
        action=UploadAction.CREATE,
        jazzhr_applicant_id="prospect_20261204000000_NEWUPLOAD0000001",
    )

    index.record_upload(upload)

    applicant = IndexedApplicant.objects.get(customer=customer)
    assert applicant.jazzhr_applicant_id == upload.jazzhr_applicant_id
    assert applicant.has_details
    assert applicant.keys.filter(key="e:dana@example.net").exists()


def test_record_upload_skips_merge(customer):
    upload = Upload.objects.create(
        customer=customer,
        first_name="Dana",
        last_name="Whitfield",
        action=UploadAction.MERGE,
        merge_with_applicant_id="prospect_20261204000000_EXISTING00000001",
        jazzhr_applicant_id="prospect_20261204000000_EXISTING00000001",
    )

    index.record_upload(upload)

    assert not IndexedApplicant.objects.filter(customer=customer).exists()
