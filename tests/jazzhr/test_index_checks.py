"""Duplicate checks that search the applicant index and confirm live."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from integrations.jazzhr.models import (
    DuplicateCheck,
    IndexedApplicant,
    IndexSyncState,
    JazzHRCredential,
    WorkStatus,
)
from integrations.jazzhr.services import duplicate_checks, index
from integrations.jazzhr.services.work import RetryLater
from support_dashboard.customers.models import Ats
from support_dashboard.customers.services import create_customer

TODAY = datetime.date.today()
LAST_WEEK = (TODAY - datetime.timedelta(days=7)).isoformat()

APPLICANTS = [
    {
        "first_name": "Maria",
        "last_name": "Lopez",
        "email": "maria.lopez@example.com",
        "apply_date": LAST_WEEK,
    },
    {
        "first_name": "Jane",
        "last_name": "Doe",
        "email": "jane.doe@gmail.com",
        "apply_date": LAST_WEEK,
    },
    {
        "first_name": "Samuel",
        "last_name": "Okafor",
        "linkedin_url": "https://www.linkedin.com/in/sam-okafor-12",
        "apply_date": LAST_WEEK,
    },
    {
        "first_name": "Robert",
        "last_name": "Smith",
        "email": "rsmith@example.org",
        "phone": "(412) 555-0100",
        "apply_date": LAST_WEEK,
    },
    {
        "first_name": "Priya",
        "last_name": "Raman",
        "email": "priya@example.net",
        "apply_date": LAST_WEEK,
    },
]


@pytest.fixture
def account(settings, jazzhr_account):
    settings.JAZZHR_REQUESTS_PER_MINUTE = 100_000
    jazzhr_account.set_faults(rate_limit_per_minute=None)
    jazzhr_account.ids = jazzhr_account.load("applicants", APPLICANTS)["ids"]
    return jazzhr_account


@pytest.fixture
def customer(db, use_simulator, account):
    customer = create_customer("Acme Robotics", ats=Ats.JAZZHR)
    credential = JazzHRCredential(customer=customer, connected_at=timezone.now())
    credential.set_api_key(account.api_key)
    credential.save()
    return customer


@pytest.fixture
def synced(customer):
    """The customer with a finished full sync of the simulator account."""
    state = index.schedule_initial_sync(customer)
    while index.run_sync(customer.pk, state.run_token) is not None:
        pass
    return customer


def run_check(customer, **candidate) -> DuplicateCheck:
    """Create a queued check and run it here until it succeeds or fails."""
    check = DuplicateCheck.objects.create(customer=customer, **candidate)
    for _ in range(10):
        try:
            duplicate_checks.run_duplicate_check(check.id)
        except RetryLater:
            continue
        check.refresh_from_db()
        if check.is_finished:
            return check
    raise AssertionError(f"Check {check.id} did not finish")


def top(check: DuplicateCheck) -> dict:
    assert check.status == WorkStatus.SUCCEEDED, check.error
    assert check.matches, "no matches"
    return check.matches[0]


def test_check_finds_same_email_new_surname(synced, account):
    check = run_check(
        synced, first_name="Maria", last_name="Schmidt", email="maria.lopez@example.com"
    )

    match = top(check)
    assert match["applicant_id"] == account.ids[0]
    assert match["tier"] == "strong"
    assert match["source"] == "index"


def test_check_finds_gmail_dots(synced, account):
    check = run_check(
        synced, first_name="J", last_name="Whitaker", email="janedoe@googlemail.com"
    )

    match = top(check)
    assert match["applicant_id"] == account.ids[1]
    assert match["tier"] == "strong"


def test_check_finds_linkedin_slug(synced, account):
    check = run_check(
        synced,
        first_name="S",
        last_name="Adeyemi",
        linkedin_url="linkedin.com/in/Sam-Okafor-12/",
    )

    match = top(check)
    assert match["applicant_id"] == account.ids[2]
    assert match["tier"] == "strong"


def test_check_finds_nickname(synced, account):
    check = run_check(synced, first_name="Bob", last_name="Smith")

    match = top(check)
    assert match["applicant_id"] == account.ids[3]
    assert match["tier"] == "possible"
    assert match["email"] == "rsmith@example.org"


def test_check_finds_same_phone_new_name(synced, account):
    check = run_check(
        synced, first_name="Rob", last_name="Smythe", phone="+1 412-555-0100"
    )

    assert top(check)["applicant_id"] == account.ids[3]


def test_check_without_match_sends_one_request(synced, account):
    before = len(account.requests_log())

    check = run_check(synced, first_name="Zed", last_name="Nobody")

    assert check.status == WorkStatus.SUCCEEDED
    assert check.matches == []
    assert check.jazzhr_request_count == 1
    assert len(account.requests_log()) - before == 1
    assert check.notice == ""
    assert check.index_age_minutes == 0


def test_check_finds_applicant_added_after_sync(synced, account):
    [new_id] = account.load(
        "applicants",
        [
            {
                "first_name": "Olivia",
                "last_name": "Newcombe",
                "email": "olivia.n@example.com",
                "apply_date": TODAY.isoformat(),
            }
        ],
    )["ids"]

    check = run_check(
        synced, first_name="Olivia", last_name="Newcombe", email="olivia.n@example.com"
    )

    match = top(check)
    assert match["applicant_id"] == new_id
    assert match["source"] == "live"
    assert match["tier"] == "strong"
    assert check.jazzhr_request_count == 2


def test_check_saves_live_detail_in_index(synced, account):
    account.load(
        "applicants",
        [{"first_name": "Olivia", "last_name": "Newcombe", "email": "on@example.com"}],
    )

    run_check(synced, first_name="Olivia", last_name="Newcombe")

    applicant = IndexedApplicant.objects.get(last_name="Newcombe")
    assert applicant.has_details
    assert applicant.email == "on@example.com"


def test_check_skips_new_rows_with_other_names(synced, account):
    account.load(
        "applicants",
        [{"first_name": "Quentin", "last_name": "Other", "apply_date": str(TODAY)}],
    )

    check = run_check(synced, first_name="Maria", last_name="Lopez")

    assert check.jazzhr_request_count == 1
    assert top(check)["source"] == "index"


def test_check_refreshes_old_detail(synced, account):
    IndexedApplicant.objects.filter(last_name="Lopez").update(
        email="old@example.com",
        details_fetched_at=timezone.now() - datetime.timedelta(days=90),
    )

    check = run_check(synced, first_name="Maria", last_name="Lopez")

    match = top(check)
    assert match["email"] == "maria.lopez@example.com"
    assert match["source"] == "live"
    assert check.jazzhr_request_count == 2


def test_check_uses_index_when_jazzhr_down(synced, account):
    IndexSyncState.objects.filter(customer=synced).update(
        last_sync_finished_at=timezone.now() - datetime.timedelta(minutes=42)
    )
    account.set_faults(error_rate=1.0)

    check = run_check(synced, first_name="Maria", email="maria.lopez@example.com")

    assert check.status == WorkStatus.SUCCEEDED
    assert check.attempts == 1
    assert top(check)["applicant_id"] == account.ids[0]
    assert check.index_age_minutes == 42
    assert check.notice == (
        "JazzHR could not be reached; results come from the index, 42 minutes old."
    )
    assert check.error == ""


def test_check_notes_used_up_budget(synced, account, settings):
    settings.JAZZHR_REQUESTS_PER_MINUTE = 1
    settings.JAZZHR_BUDGET_MAX_WAIT_SECONDS = 0.0

    check = run_check(synced, first_name="Maria", last_name="Lopez")

    assert check.status == WorkStatus.SUCCEEDED
    assert check.notice.startswith("The JazzHR request limit for this key is reached")
    assert top(check)["applicant_id"] == account.ids[0]


def test_check_without_index_fails_when_jazzhr_down(customer, account):
    account.set_faults(error_rate=1.0)

    check = run_check(customer, first_name="Maria", last_name="Lopez")

    assert check.status == WorkStatus.FAILED
    assert check.matches == []
    assert check.error


def test_check_without_index_searches_by_name(customer, account):
    check = run_check(
        customer, first_name="Maria", last_name="Lopez", email="maria.lopez@example.com"
    )

    match = top(check)
    assert match["applicant_id"] == account.ids[0]
    assert match["source"] == "live"
    assert check.index_age_minutes is None
    assert any("/name/" in entry["path"] for entry in account.requests_log())


def test_check_notes_index_still_building(customer, account, monkeypatch):
    monkeypatch.setattr(index, "MAX_REQUESTS_PER_RUN", 3)
    state = index.schedule_initial_sync(customer)
    index.run_sync(customer.pk, state.run_token)

    check = run_check(customer, first_name="Priya", last_name="Raman")

    assert check.status == WorkStatus.SUCCEEDED
    assert "applicants have no email in it yet" in check.notice
    assert top(check)["email"] == "priya@example.net"


def test_check_drops_applicant_deleted_in_jazzhr(synced, account):
    ghost = IndexedApplicant.objects.create(
        customer=synced,
        jazzhr_applicant_id="prospect_20200101000000_GHOSTGHOSTGHOST1",
        first_name="Maria",
        last_name="Lopez",
    )
    index.replace_keys([ghost])

    check = run_check(synced, first_name="Maria", last_name="Lopez")

    ids = [match["applicant_id"] for match in check.matches]
    assert ghost.jazzhr_applicant_id not in ids
    assert account.ids[0] in ids
    assert not IndexedApplicant.objects.filter(pk=ghost.pk).exists()
