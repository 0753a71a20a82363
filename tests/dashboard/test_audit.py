from __future__ import annotations

import datetime
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from integrations.jazzhr.models import (
    SupportAction,
    SupportActionKind,
    UploadAction,
    WorkStatus,
)
from tests.dashboard.conftest import MATCH, OTHER_MATCH

LIST_URL = reverse("dashboard:audit-upload-list")


def detail_url(upload) -> str:
    return reverse("dashboard:audit-upload-detail", args=[upload.id])


def days_ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


@pytest.fixture
def merged_upload(customer_a, recruiter, make_check, make_upload):
    check = make_check(
        customer_a,
        recruiter,
        status=WorkStatus.SUCCEEDED,
        matches=[MATCH, OTHER_MATCH],
        jazzhr_request_count=7,
    )
    return make_upload(
        customer_a,
        recruiter,
        duplicate_check=check,
        matches_shown=[MATCH, OTHER_MATCH],
        action=UploadAction.MERGE,
        merge_with_applicant_id=MATCH["applicant_id"],
        job_id="job_42",
        job_title="Data Engineer",
        status=WorkStatus.FAILED,
        error="JazzHR rejected the upload: job is closed",
        attempts=3,
    )


def test_audit_anonymous_redirects_to_login(client, db):
    response = client.get(LIST_URL)

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={LIST_URL}"


@pytest.mark.parametrize("persona", ["support", "recruiter"])
def test_audit_non_admin_forbidden(login, request, persona):
    response = login(request.getfixturevalue(persona)).get(LIST_URL)

    assert response.status_code == 403


@pytest.mark.parametrize("persona", ["support", "recruiter"])
def test_audit_detail_non_admin_forbidden(login, request, persona, merged_upload):
    response = login(request.getfixturevalue(persona)).get(detail_url(merged_upload))

    assert response.status_code == 403


def test_audit_lists_upload_fields(login, admin, merged_upload):
    page = login(admin).get(LIST_URL).content.decode()

    assert "rita.recruiter@example.com" in page
    assert "Acme Corp" in page
    assert "Ada Lovelace" in page
    assert "ada@example.com" in page
    assert "Merge with selected profile" in page
    assert "Data Engineer" in page
    assert "2 matches" in page
    assert "Same email address" in page
    assert MATCH["applicant_id"] in page
    assert "Failed" in page
    assert "job is closed" in page
    assert f'href="{detail_url(merged_upload)}"' in page


def test_audit_filters_customer(
    login, admin, recruiter, outsider, customer_a, customer_b, make_upload
):
    make_upload(customer_a, recruiter, first_name="Alice")
    make_upload(customer_b, outsider, first_name="Bruno")

    page = login(admin).get(LIST_URL, {"customer": "globex"}).content.decode()

    assert "Bruno" in page
    assert "Alice" not in page


def test_audit_filters_user(
    login, admin, recruiter, outsider, customer_a, customer_b, make_upload
):
    make_upload(customer_a, recruiter, first_name="Alice")
    make_upload(customer_b, outsider, first_name="Bruno")

    page = login(admin).get(LIST_URL, {"user": recruiter.pk}).content.decode()

    assert "Alice" in page
    assert "Bruno" not in page


def test_audit_filters_status(login, admin, recruiter, customer_a, make_upload):
    make_upload(customer_a, recruiter, first_name="Alice", status=WorkStatus.FAILED)
    make_upload(customer_a, recruiter, first_name="Bruno", status=WorkStatus.QUEUED)

    page = login(admin).get(LIST_URL, {"status": "failed"}).content.decode()

    assert "Alice" in page
    assert "Bruno" not in page


def test_audit_filters_date_range(login, admin, recruiter, customer_a, make_upload):
    make_upload(customer_a, recruiter, first_name="Old", created_at=days_ago(10))
    make_upload(customer_a, recruiter, first_name="Middle", created_at=days_ago(5))
    make_upload(customer_a, recruiter, first_name="New", created_at=days_ago(0))
    params = {
        "created_from": days_ago(6).date().isoformat(),
        "created_to": days_ago(4).date().isoformat(),
    }

    page = login(admin).get(LIST_URL, params).content.decode()

    assert "Middle" in page
    assert "Old" not in page
    assert "New" not in page


def test_audit_reversed_dates_rejected(login, admin):
    params = {"created_from": "2026-03-10", "created_to": "2026-03-01"}

    page = login(admin).get(LIST_URL, params).content.decode()

    assert "Enter a date on or after the From date." in page


def test_audit_unknown_customer_rejected(
    login, admin, recruiter, customer_a, make_upload
):
    make_upload(customer_a, recruiter, first_name="Alice")

    page = login(admin).get(LIST_URL, {"customer": "nobody"}).content.decode()

    assert "Select a valid choice." in page
    assert "Alice" not in page
    assert "Fix the filters above to list uploads." in page


def test_audit_unknown_user_lists_nothing(
    login, admin, recruiter, customer_a, make_upload
):
    make_upload(customer_a, recruiter, first_name="Alice")

    page = login(admin).get(LIST_URL, {"user": "999999"}).content.decode()

    assert "Select a valid choice." in page
    assert "Alice" not in page
    assert "Fix the filters above to list uploads." in page


def test_audit_invalid_date_lists_nothing(
    login, admin, recruiter, customer_a, make_upload
):
    make_upload(customer_a, recruiter, first_name="Alice")
    params = {"status": "queued", "created_from": "2026-13-45"}

    page = login(admin).get(LIST_URL, params).content.decode()

    assert "Enter a valid date." in page
    assert "Alice" not in page
    assert "0 uploads" not in page


def test_audit_reversed_dates_list_nothing(
    login, admin, recruiter, customer_a, make_upload
):
    make_upload(customer_a, recruiter, first_name="Alice")
    params = {"created_from": "2026-03-10", "created_to": "2026-03-01"}

    page = login(admin).get(LIST_URL, params).content.decode()

    assert "Alice" not in page


def test_audit_list_has_seven_columns(login, admin, merged_upload):
    page = login(admin).get(LIST_URL).content.decode()

    assert page.count("<th>") == 7
    assert 'colspan="7"' not in page


def test_audit_empty_list_spans_columns(login, admin):
    page = login(admin).get(LIST_URL).content.decode()

    assert '<td colspan="7" class="muted">No uploads match these filters.' in page


def test_audit_long_error_truncated(login, admin, recruiter, customer_a, make_upload):
    error = "JazzHR rejected the upload: " + "the field is invalid; " * 20
    upload = make_upload(
        customer_a, recruiter, status=WorkStatus.FAILED, error=error.strip()
    )

    page = login(admin).get(LIST_URL).content.decode()
    detail = login(admin).get(detail_url(upload)).content.decode()

    assert f'title="{error.strip()}"' in page
    assert page.count(error.strip()) == 1
    assert error.strip() in detail


def test_audit_lists_attempts(login, admin, merged_upload):
    page = login(admin).get(LIST_URL).content.decode()

    assert "3 attempts" in page


def test_audit_paginates_fifty(login, admin, recruiter, customer_a, make_upload):
    uploads = [
        make_upload(customer_a, recruiter, created_at=days_ago(0) - i * MINUTE)
        for i in range(60)
    ]

    first = login(admin).get(LIST_URL).content.decode()
    second = login(admin).get(LIST_URL, {"page": 2}).content.decode()

    assert sum(str(upload.id) in first for upload in uploads) == 50
    assert sum(str(upload.id) in second for upload in uploads) == 10
    assert str(uploads[0].id) in first
    assert str(uploads[-1].id) in second


def test_audit_pagination_keeps_filters(
    login, admin, recruiter, customer_a, make_upload
):
    for _ in range(51):
        make_upload(customer_a, recruiter, status=WorkStatus.FAILED)

    page = login(admin).get(LIST_URL, {"status": "failed"}).content.decode()

    assert 'href="?status=failed&amp;page=2"' in page


def test_audit_query_count(
    login,
    admin,
    recruiter,
    outsider,
    customer_a,
    customer_b,
    make_upload,
    django_assert_max_num_queries,
):
    for i in range(60):
        customer, user = (customer_a, recruiter) if i % 2 else (customer_b, outsider)
        make_upload(customer, user, matches_shown=[MATCH])
    client = login(admin)

    # Session, user, count, page of uploads, and the two filter drop-downs.
    with django_assert_max_num_queries(6):
        response = client.get(LIST_URL)

    assert response.status_code == 200


def test_audit_htmx_renders_results(login, admin, merged_upload):
    response = login(admin).get(LIST_URL, headers={"HX-Request": "true"})
    page = response.content.decode()

    assert 'id="results"' in page
    assert "<html" not in page


def test_audit_detail_shows_check(login, admin, merged_upload):
    page = login(admin).get(detail_url(merged_upload)).content.decode()

    check = merged_upload.duplicate_check
    assert str(merged_upload.id) in page
    assert str(check.id) in page
    assert "Data Engineer" in page
    assert "job_42" in page
    assert "job is closed" in page
    assert "93%" in page
    assert "Same email address" in page
    assert "<dd>7</dd>" in page


def test_audit_detail_unknown_not_found(login, admin):
    url = reverse("dashboard:audit-upload-detail", args=[uuid.uuid4()])

    response = login(admin).get(url)

    assert response.status_code == 404


def test_audit_list_shows_actions(login, admin, recruiter, customer_a, make_upload):
    failed = make_upload(customer_a, recruiter, status=WorkStatus.FAILED)
    queued = make_upload(customer_a, recruiter, status=WorkStatus.QUEUED)
    done = make_upload(customer_a, recruiter, status=WorkStatus.SUCCEEDED)

    page = login(admin).get(LIST_URL, {"customer": "acme"}).content.decode()

    assert reverse("dashboard:upload-replay", args=[failed.id]) in page
    assert reverse("dashboard:upload-cancel", args=[queued.id]) in page
    assert reverse("dashboard:upload-replay", args=[done.id]) not in page
    assert reverse("dashboard:upload-cancel", args=[done.id]) not in page
    assert 'name="list_query" value="customer=acme"' in page


def test_audit_detail_shows_actions(login, admin, merged_upload):
    page = login(admin).get(detail_url(merged_upload)).content.decode()

    assert reverse("dashboard:upload-replay", args=[merged_upload.id]) in page
    assert 'name="page" value="audit-detail"' in page


def test_audit_detail_lists_support_actions(
    login, admin, support, merged_upload, make_upload
):
    SupportAction.objects.create(
        customer=merged_upload.customer,
        actor=support,
        kind=SupportActionKind.REPLAY_UPLOAD,
        upload=merged_upload,
        detail="Replayed after the job reopened.",
    )
    other = make_upload(merged_upload.customer, merged_upload.requested_by)
    SupportAction.objects.create(
        customer=merged_upload.customer,
        actor=support,
        kind=SupportActionKind.CANCEL_UPLOAD,
        upload=other,
    )

    page = login(admin).get(detail_url(merged_upload)).content.decode()

    assert "Support actions on this upload" in page
    assert "Replayed a failed upload" in page
    assert "Replayed after the job reopened." in page
    assert "sam.support@example.com" in page
    assert "Cancelled an unstarted upload" not in page


MINUTE = datetime.timedelta(minutes=1)
