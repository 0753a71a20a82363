from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from integrations.jazzhr.models import (
    IndexedApplicant,
    IndexSyncState,
    SupportAction,
    SupportActionKind,
    SyncPhase,
    UploadAction,
    WorkStatus,
)
from support_dashboard.customers.models import Customer
from tests.dashboard.conftest import HTMX, MATCH, OTHER_MATCH, invalidate


def detail_url(customer: Customer) -> str:
    return reverse("dashboard:customer-detail", args=[customer.slug])


def index_url(customer: Customer) -> str:
    return reverse("dashboard:customer-index", args=[customer.slug])


def minutes_before_now(minutes: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(minutes=minutes)


def table_row(page: str, label: str) -> str:
    """Return the text of the table row whose first cell is `label`, tags removed."""
    match = re.search(rf"<tr>\s*<td>{re.escape(label)}</td>(.*?)</tr>", page, re.S)
    assert match, f"no row {label!r}"
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


# Connection status


def test_reconnect_banner_counts_waiting_uploads(
    login, support, recruiter, customer_a, make_upload
):
    invalidate(customer_a)
    make_upload(customer_a, recruiter, status=WorkStatus.WAITING)
    make_upload(customer_a, recruiter, status=WorkStatus.WAITING)
    make_upload(customer_a, recruiter, status=WorkStatus.QUEUED)

    page = login(support).get(detail_url(customer_a)).content.decode()

    assert 'class="banner banner-error" role="alert"' in page
    assert "Needs reconnect." in page
    assert "2 uploads waiting for a new key." in page


def test_reconnect_banner_hidden_for_valid_key(login, support, customer_a):
    page = login(support).get(detail_url(customer_a)).content.decode()

    assert 'id="reconnect-banner"' in page
    assert "Needs reconnect." not in page


def test_revalidate_button_replaces_test_connection(login, support, customer_a):
    page = login(support).get(detail_url(customer_a)).content.decode()

    url = reverse("dashboard:customer-revalidate-key", args=[customer_a.slug])
    assert f'action="{url}"' in page
    assert "Re-validate key" in page
    assert "Test connection" not in page


# Index freshness


def test_index_panel_without_sync(login, support, customer_a):
    page = login(support).get(detail_url(customer_a)).content.decode()

    assert "Never synced." in page
    assert "Sync now" in page
    assert 'hx-trigger="every 3s"' not in page


def test_index_panel_polls_while_running(login, support, customer_a):
    IndexSyncState.objects.create(
        customer=customer_a,
        phase=SyncPhase.FETCHING_DETAILS,
        is_full_sync=True,
        listed_count=300,
        detailed_count=120,
        total_count=1000,
        sync_started_at=minutes_before_now(7),
    )

    page = login(support).get(detail_url(customer_a)).content.decode()

    assert 'hx-trigger="every 3s"' in page
    assert "Fetching applicant details" in page
    assert "Full sync, started 7 minutes ago" in page
    assert "300 listed / 120 detailed / 1000 total" in page
    assert "Sync now" not in page


def test_index_panel_idle_stops_polling(login, support, customer_a):
    IndexSyncState.objects.create(
        customer=customer_a,
        phase=SyncPhase.IDLE,
        listed_count=40,
        detailed_count=40,
        total_count=1040,
        full_listing_finished_at=minutes_before_now(3000),
        last_full_sync_finished_at=minutes_before_now(3000),
        last_sync_finished_at=minutes_before_now(42),
        last_error="JazzHR failed with HTTP 502 on GET /applicants.",
    )

    response = login(support).get(index_url(customer_a), headers=HTMX)
    page = response.content.decode()

    assert 'id="index"' in page
    assert "<html" not in page
    assert "hx-trigger" not in page
    assert "42 minutes ago" in page
    assert "3,000 minutes ago" in page
    assert "HTTP 502 on GET /applicants" in page
    assert "Sync now" in page


def test_index_panel_counts_awaiting_details(login, support, customer_a):
    IndexSyncState.objects.create(customer=customer_a, phase=SyncPhase.LISTING)
    for number in range(3):
        IndexedApplicant.objects.create(
            customer=customer_a, jazzhr_applicant_id=f"prospect_{number}"
        )
    IndexedApplicant.objects.create(
        customer=customer_a, jazzhr_applicant_id="prospect_done", has_details=True
    )

    page = login(support).get(index_url(customer_a), headers=HTMX).content.decode()

    assert "<dt>Details to fetch</dt><dd>3</dd>" in page


def test_index_panel_warns_before_full_listing(login, support, customer_a):
    IndexSyncState.objects.create(customer=customer_a, phase=SyncPhase.LISTING)

    page = login(support).get(index_url(customer_a), headers=HTMX).content.decode()

    assert "No full listing has finished yet" in page


def test_index_poll_recruiter_forbidden(login, recruiter, customer_a):
    response = login(recruiter).get(index_url(customer_a), headers=HTMX)

    assert response.status_code == 403


# Match quality


@pytest.fixture
def decisions(customer_a, recruiter, make_check, make_upload):
    """Five recent checks, four followed by an upload, and one old decision."""

    def decide(action, applicant_id="", created_at=None, **check_fields):
        check = make_check(
            customer_a,
            recruiter,
            created_at=created_at,
            status=WorkStatus.SUCCEEDED,
            matches=[MATCH, OTHER_MATCH],
            **check_fields,
        )
        make_upload(
            customer_a,
            recruiter,
            duplicate_check=check,
            matches_shown=check.matches,
            action=action,
            merge_with_applicant_id=applicant_id,
            status=WorkStatus.SUCCEEDED,
        )

    decide(UploadAction.MERGE, MATCH["applicant_id"])
    decide(UploadAction.MERGE, MATCH["applicant_id"])
    decide(UploadAction.MERGE, OTHER_MATCH["applicant_id"])
    decide(UploadAction.CREATE)
    make_check(customer_a, recruiter, status=WorkStatus.SUCCEEDED)
    decide(UploadAction.CREATE, created_at=timezone.now() - datetime.timedelta(days=45))


def test_quality_counts_uploads_after_checks(login, support, customer_a, decisions):
    page = login(support).get(detail_url(customer_a)).content.decode()

    assert table_row(page, "Checks followed by an upload").startswith("4 of 5 80%")


def test_quality_counts_top_match_chosen(login, support, customer_a, decisions):
    page = login(support).get(detail_url(customer_a)).content.decode()

    row = table_row(page, "Top match chosen")
    assert row.startswith("2 of 4 50%")
    assert "1 merged into a lower match" in row


def test_quality_counts_creates_despite_strong(login, support, customer_a, decisions):
    page = login(support).get(detail_url(customer_a)).content.decode()

    row = table_row(page, "Uploaded as new despite a strong match")
    assert row.startswith("1 of 4 25%")


def test_quality_without_checks_shows_dashes(login, support, customer_a):
    page = login(support).get(detail_url(customer_a)).content.decode()

    assert table_row(page, "Top match chosen").startswith("0 of 0 —")
    assert "after 0 successful duplicate checks" in page


# Support actions


def test_support_actions_list_latest_ten(login, support, customer_a):
    start = timezone.now() - datetime.timedelta(hours=1)
    for number in range(12):
        action = SupportAction.objects.create(
            customer=customer_a,
            actor=support,
            kind=SupportActionKind.REVALIDATE_KEY,
            detail=f"Check number {number:02}.",
        )
        created_at = start + datetime.timedelta(minutes=number)
        SupportAction.objects.filter(pk=action.pk).update(created_at=created_at)

    page = login(support).get(detail_url(customer_a)).content.decode()

    assert "Check number 11." in page
    assert "Check number 02." in page
    assert "Check number 01." not in page


def test_support_actions_show_who_and_target(
    login, admin, support, recruiter, customer_a, make_upload
):
    upload = make_upload(customer_a, recruiter, first_name="Grace")
    SupportAction.objects.create(
        customer=customer_a,
        actor=support,
        kind=SupportActionKind.CANCEL_UPLOAD,
        upload=upload,
    )

    page = login(admin).get(detail_url(customer_a)).content.decode()

    audit_url = reverse("dashboard:audit-upload-detail", args=[upload.id])
    assert "sam.support@example.com" in page
    assert "Cancelled an unstarted upload" in page
    assert f'<a href="{audit_url}">Grace Lovelace</a>' in page


def test_support_actions_skip_other_customers(login, support, customer_a, customer_b):
    SupportAction.objects.create(
        customer=customer_b,
        actor=support,
        kind=SupportActionKind.REVALIDATE_KEY,
        detail="Key …77c0 is valid.",
    )

    page = login(support).get(detail_url(customer_a)).content.decode()

    assert "Key …77c0 is valid." not in page
    assert "No support actions yet." in page


# Action buttons


def test_activity_buttons_match_status(
    login, support, recruiter, customer_a, make_check, make_upload
):
    check = make_check(customer_a, recruiter, status=WorkStatus.SUCCEEDED)
    failed = make_upload(customer_a, recruiter, status=WorkStatus.FAILED)
    waiting = make_upload(customer_a, recruiter, status=WorkStatus.WAITING)
    done = make_upload(customer_a, recruiter, status=WorkStatus.SUCCEEDED)

    page = login(support).get(detail_url(customer_a)).content.decode()

    assert reverse("dashboard:check-rerun", args=[check.id]) in page
    assert reverse("dashboard:upload-replay", args=[failed.id]) in page
    assert reverse("dashboard:upload-cancel", args=[failed.id]) not in page
    assert reverse("dashboard:upload-cancel", args=[waiting.id]) in page
    assert reverse("dashboard:upload-replay", args=[waiting.id]) not in page
    assert str(done.id) not in page


# Query count


def test_customer_detail_query_count(
    login,
    support,
    recruiter,
    customer_a,
    make_check,
    make_upload,
    decisions,
    django_assert_max_num_queries,
):
    invalidate(customer_a)
    IndexSyncState.objects.create(customer=customer_a, phase=SyncPhase.LISTING)
    for _ in range(12):
        check = make_check(customer_a, recruiter, status=WorkStatus.FAILED)
        upload = make_upload(customer_a, recruiter, status=WorkStatus.WAITING)
        for target in ({"upload": upload}, {"duplicate_check": check}):
            SupportAction.objects.create(
                customer=customer_a,
                actor=support,
                kind=SupportActionKind.RERUN_CHECK,
                **target,
            )
    client = login(support)

    # Session, user, customer, credential, waiting count, sync state, details to
    # fetch, checks counted and their first uploads for match quality, checks,
    # uploads and support actions.
    with django_assert_max_num_queries(12):
        response = client.get(detail_url(customer_a))

    assert response.status_code == 200
    assert "Needs reconnect." in response.content.decode()
