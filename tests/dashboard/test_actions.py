from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from integrations.jazzhr.errors import InvalidApiKey, RateLimited, TransientError
from integrations.jazzhr.models import (
    CredentialStatus,
    DuplicateCheck,
    IndexSyncState,
    JazzHRCredential,
    SupportAction,
    SupportActionKind,
    SyncPhase,
    Upload,
    WorkStatus,
)
from support_dashboard.customers.models import Ats, Customer
from tests.dashboard.conftest import API_KEY_A, HTMX, invalidate


def customer_url(customer: Customer) -> str:
    return reverse("dashboard:customer-detail", args=[customer.slug])


def revalidate_url(customer: Customer) -> str:
    return reverse("dashboard:customer-revalidate-key", args=[customer.slug])


def sync_url(customer: Customer) -> str:
    return reverse("dashboard:customer-sync-index", args=[customer.slug])


def replay_url(upload: Upload) -> str:
    return reverse("dashboard:upload-replay", args=[upload.id])


def cancel_url(upload: Upload) -> str:
    return reverse("dashboard:upload-cancel", args=[upload.id])


def rerun_url(check: DuplicateCheck) -> str:
    return reverse("dashboard:check-rerun", args=[check.id])


def status_of(row) -> str:
    row.refresh_from_db()
    return row.status


@pytest.fixture
def failed_upload(customer_a, recruiter, make_upload) -> Upload:
    return make_upload(
        customer_a,
        recruiter,
        first_name="Grace",
        last_name="Hopper",
        status=WorkStatus.FAILED,
        error="JazzHR rejected the upload: job is closed",
        attempts=3,
    )


@pytest.fixture
def queued_upload(customer_a, recruiter, make_upload) -> Upload:
    return make_upload(customer_a, recruiter, first_name="Alan", last_name="Turing")


# Re-validate key


def test_revalidate_valid_key(login, support, customer_a, fake_jazzhr):
    JazzHRCredential.objects.filter(customer=customer_a).update(last_validated_at=None)

    response = login(support).post(revalidate_url(customer_a), headers=HTMX)
    page = response.content.decode()

    credential = JazzHRCredential.objects.get(customer=customer_a)
    assert response.status_code == 200
    assert "JazzHR accepted the key …5e1f." in page
    assert 'id="connection"' in page
    assert "<html" not in page
    assert fake_jazzhr.api_keys == [API_KEY_A]
    assert credential.last_validated_at is not None


def test_revalidate_records_action(login, support, customer_a, fake_jazzhr):
    response = login(support).post(revalidate_url(customer_a), headers=HTMX)
    page = response.content.decode()

    action = SupportAction.objects.get()
    assert action.kind == SupportActionKind.REVALIDATE_KEY
    assert action.actor == support
    assert action.customer == customer_a
    assert action.detail == "Key …5e1f is valid."
    assert 'id="support-actions" hx-swap-oob="true"' in page
    assert "Re-validated the JazzHR key" in page


def test_revalidate_rejected_key(login, support, customer_a, fake_jazzhr):
    fake_jazzhr.error = InvalidApiKey("JazzHR rejected the API key (HTTP 401).")

    response = login(support).post(revalidate_url(customer_a), headers=HTMX)
    page = response.content.decode()

    credential = JazzHRCredential.objects.get(customer=customer_a)
    assert "The saved key …5e1f no longer works." in page
    assert "A recruiter of Acme Corp must reconnect from the sidebar." in page
    assert credential.status == CredentialStatus.INVALID
    assert 'id="reconnect-banner" hx-swap-oob="true"' in page
    assert "Needs reconnect." in page
    assert SupportAction.objects.get().detail == "Key …5e1f is rejected by JazzHR."


def test_revalidate_unreachable(login, support, customer_a, fake_jazzhr):
    fake_jazzhr.error = TransientError("Timed out connecting to JazzHR (GET /users).")

    response = login(support).post(revalidate_url(customer_a), headers=HTMX)
    page = response.content.decode()

    credential = JazzHRCredential.objects.get(customer=customer_a)
    assert "JazzHR could not be reached: Timed out connecting" in page
    assert credential.status == CredentialStatus.VALID
    assert "could not be reached" in SupportAction.objects.get().detail


def test_revalidate_rate_limited(login, support, customer_a, fake_jazzhr):
    fake_jazzhr.error = RateLimited(retry_after=30)

    response = login(support).post(revalidate_url(customer_a), headers=HTMX)

    assert "JazzHR is limiting requests" in response.content.decode()


def test_revalidate_not_connected(login, support, fake_jazzhr):
    customer = Customer.objects.create(name="Initech", slug="initech", ats=Ats.JAZZHR)

    response = login(support).post(revalidate_url(customer), headers=HTMX)

    assert response.status_code == 409
    assert "Initech is not connected to JazzHR yet" in response.content.decode()
    assert fake_jazzhr.api_keys == []
    assert not SupportAction.objects.exists()


def test_revalidate_resumes_waiting_uploads(
    login, support, recruiter, customer_a, make_upload, fake_jazzhr
):
    invalidate(customer_a)
    upload = make_upload(customer_a, recruiter, status=WorkStatus.WAITING)

    response = login(support).post(revalidate_url(customer_a), headers=HTMX)
    page = response.content.decode()

    assert status_of(upload) == WorkStatus.QUEUED
    assert 'id="activity"' in page
    assert 'hx-trigger="every 2s"' in page
    assert 'id="reconnect-banner" hx-swap-oob="true"' in page
    assert "Needs reconnect." not in page


def test_revalidate_without_htmx_redirects(login, support, customer_a, fake_jazzhr):
    response = login(support).post(revalidate_url(customer_a), follow=True)

    assert response.redirect_chain == [(customer_url(customer_a), 302)]
    assert "JazzHR accepted the key …5e1f." in response.content.decode()


def test_revalidate_recruiter_forbidden(login, recruiter, customer_a, fake_jazzhr):
    response = login(recruiter).post(revalidate_url(customer_a))

    assert response.status_code == 403
    assert fake_jazzhr.api_keys == []
    assert not SupportAction.objects.exists()


def test_revalidate_requires_csrf_token(support, customer_a, fake_jazzhr):
    client = Client(enforce_csrf_checks=True)
    client.force_login(support)

    response = client.post(revalidate_url(customer_a))

    assert response.status_code == 403
    assert fake_jazzhr.api_keys == []


# Replay


def test_replay_queues_failed_upload(login, support, failed_upload):
    response = login(support).post(
        replay_url(failed_upload), {"page": "customer"}, headers=HTMX
    )

    failed_upload.refresh_from_db()
    assert response.status_code == 200
    assert failed_upload.status == WorkStatus.QUEUED
    assert failed_upload.attempts == 0
    assert failed_upload.error == ""


def test_replay_records_action(login, support, failed_upload):
    login(support).post(replay_url(failed_upload), {"page": "customer"}, headers=HTMX)

    action = SupportAction.objects.get()
    assert action.kind == SupportActionKind.REPLAY_UPLOAD
    assert action.actor == support
    assert action.upload == failed_upload
    assert action.customer == failed_upload.customer
    assert action.created_at is not None


def test_replay_swaps_customer_panels(login, support, failed_upload):
    response = login(support).post(
        replay_url(failed_upload), {"page": "customer"}, headers=HTMX
    )
    page = response.content.decode()

    assert "<html" not in page
    assert page.strip().startswith('<section id="activity"')
    assert 'hx-trigger="every 2s"' in page
    assert 'id="action-notice" hx-swap-oob="true"' in page
    assert "The upload of Grace Hopper is queued again." in page
    assert 'id="support-actions" hx-swap-oob="true"' in page
    assert "Replayed a failed upload" in page


def test_replay_not_failed_refused(login, support, queued_upload):
    response = login(support).post(
        replay_url(queued_upload), {"page": "customer"}, headers=HTMX
    )

    assert response.status_code == 409
    assert "Only a failed upload can be replayed" in response.content.decode()
    assert status_of(queued_upload) == WorkStatus.QUEUED
    assert not SupportAction.objects.exists()


def test_replay_without_htmx_redirects(login, support, failed_upload, customer_a):
    response = login(support).post(
        replay_url(failed_upload), {"page": "customer"}, follow=True
    )

    assert response.redirect_chain == [(customer_url(customer_a), 302)]
    assert "The upload of Grace Hopper is queued again." in response.content.decode()


def test_replay_recruiter_forbidden(login, recruiter, failed_upload):
    response = login(recruiter).post(replay_url(failed_upload), {"page": "customer"})

    assert response.status_code == 403
    assert status_of(failed_upload) == WorkStatus.FAILED
    assert not SupportAction.objects.exists()


def test_replay_anonymous_redirects_to_login(client, failed_upload):
    response = client.post(replay_url(failed_upload), {"page": "customer"})

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert status_of(failed_upload) == WorkStatus.FAILED


def test_replay_get_not_allowed(login, support, failed_upload):
    response = login(support).get(replay_url(failed_upload))

    assert response.status_code == 405


def test_replay_requires_csrf_token(support, failed_upload):
    client = Client(enforce_csrf_checks=True)
    client.force_login(support)

    response = client.post(replay_url(failed_upload), {"page": "customer"})

    assert response.status_code == 403
    assert status_of(failed_upload) == WorkStatus.FAILED


def test_replay_without_page_bad_request(login, support, failed_upload):
    response = login(support).post(replay_url(failed_upload), headers=HTMX)

    assert response.status_code == 400
    assert status_of(failed_upload) == WorkStatus.FAILED


def test_replay_audit_page_support_forbidden(login, support, failed_upload):
    response = login(support).post(
        replay_url(failed_upload), {"page": "audit-list"}, headers=HTMX
    )

    assert response.status_code == 403
    assert status_of(failed_upload) == WorkStatus.FAILED


def test_replay_audit_list_renders_row(login, admin, failed_upload):
    response = login(admin).post(
        replay_url(failed_upload), {"page": "audit-list"}, headers=HTMX
    )
    page = response.content.decode()

    assert page.strip().startswith(f'<tr id="upload-{failed_upload.id}">')
    assert "<html" not in page
    assert "The upload of Grace Hopper is queued again." in page
    assert 'value="audit-list"' in page


def test_replay_audit_list_keeps_filters(login, admin, failed_upload):
    data = {"page": "audit-list", "list_query": "status=failed&page=2"}

    response = login(admin).post(replay_url(failed_upload), data)

    assert response.status_code == 302
    assert response.url == reverse("dashboard:audit-upload-list") + (
        "?status=failed&page=2"
    )


def test_replay_audit_list_query_reencoded(login, admin, failed_upload):
    data = {"page": "audit-list", "list_query": "status=failed\r\nX-Injected: 1"}

    response = login(admin).post(replay_url(failed_upload), data)

    assert "\n" not in response.url
    assert response.url.startswith(reverse("dashboard:audit-upload-list") + "?")


def test_replay_audit_detail_swaps_panels(login, admin, failed_upload):
    response = login(admin).post(
        replay_url(failed_upload), {"page": "audit-detail"}, headers=HTMX
    )
    page = response.content.decode()

    assert 'id="outcome"' in page
    assert 'id="upload-status" hx-swap-oob="true"' in page
    assert 'id="upload-support-actions" hx-swap-oob="true"' in page
    assert "Replayed a failed upload" in page
    assert "alex.admin@example.com" in page
    assert "<html" not in page


def test_replay_audit_detail_without_htmx_redirects(login, admin, failed_upload):
    response = login(admin).post(
        replay_url(failed_upload), {"page": "audit-detail"}, follow=True
    )
    detail_url = reverse("dashboard:audit-upload-detail", args=[failed_upload.id])

    assert response.redirect_chain == [(detail_url, 302)]
    assert "The upload of Grace Hopper is queued again." in response.content.decode()


def test_replay_unknown_upload_not_found(login, support, db):
    url = reverse(
        "dashboard:upload-replay", args=["00000000-0000-0000-0000-000000000000"]
    )

    response = login(support).post(url, {"page": "customer"})

    assert response.status_code == 404


# Cancel


@pytest.mark.parametrize("status", [WorkStatus.QUEUED, WorkStatus.WAITING])
def test_cancel_unstarted_upload(login, support, queued_upload, status):
    Upload.objects.filter(pk=queued_upload.pk).update(status=status)

    response = login(support).post(
        cancel_url(queued_upload), {"page": "customer"}, headers=HTMX
    )

    queued_upload.refresh_from_db()
    assert response.status_code == 200
    assert queued_upload.status == WorkStatus.CANCELLED
    assert queued_upload.error == "Cancelled by sam.support@example.com."
    assert "The upload of Alan Turing is cancelled." in response.content.decode()


def test_cancel_records_action(login, support, queued_upload):
    login(support).post(cancel_url(queued_upload), {"page": "customer"}, headers=HTMX)

    action = SupportAction.objects.get()
    assert action.kind == SupportActionKind.CANCEL_UPLOAD
    assert action.actor == support
    assert action.upload == queued_upload


def test_cancel_running_refused(login, support, queued_upload):
    Upload.objects.filter(pk=queued_upload.pk).update(status=WorkStatus.RUNNING)

    response = login(support).post(
        cancel_url(queued_upload), {"page": "customer"}, headers=HTMX
    )

    assert response.status_code == 409
    assert "Only a queued or waiting upload can be cancelled" in (
        response.content.decode()
    )
    assert status_of(queued_upload) == WorkStatus.RUNNING
    assert not SupportAction.objects.exists()


def test_cancel_recruiter_forbidden(login, recruiter, queued_upload):
    response = login(recruiter).post(cancel_url(queued_upload), {"page": "customer"})

    assert response.status_code == 403
    assert status_of(queued_upload) == WorkStatus.QUEUED


def test_cancel_audit_list_renders_row(login, admin, queued_upload):
    response = login(admin).post(
        cancel_url(queued_upload), {"page": "audit-list"}, headers=HTMX
    )
    page = response.content.decode()

    assert page.strip().startswith(f'<tr id="upload-{queued_upload.id}">')
    assert "Cancelled" in page
    assert "Cancel the upload" not in page


# Re-run


@pytest.fixture
def finished_check(customer_a, recruiter, make_check) -> DuplicateCheck:
    return make_check(
        customer_a,
        recruiter,
        first_name="Ada",
        phone="+1 412 555 0100",
        status=WorkStatus.FAILED,
        error="JazzHR could not be reached.",
    )


def test_rerun_queues_new_check(login, support, finished_check):
    response = login(support).post(rerun_url(finished_check), headers=HTMX)

    rerun = DuplicateCheck.objects.exclude(pk=finished_check.pk).get()
    assert response.status_code == 200
    assert rerun.status == WorkStatus.QUEUED
    assert rerun.requested_by == support
    assert rerun.phone == "+1 412 555 0100"
    assert status_of(finished_check) == WorkStatus.FAILED


def test_rerun_records_action(login, support, finished_check):
    login(support).post(rerun_url(finished_check), headers=HTMX)

    rerun = DuplicateCheck.objects.exclude(pk=finished_check.pk).get()
    action = SupportAction.objects.get()
    assert action.kind == SupportActionKind.RERUN_CHECK
    assert action.actor == support
    assert action.duplicate_check == rerun
    assert str(finished_check.id) in action.detail


def test_rerun_swaps_activity(login, support, finished_check):
    response = login(support).post(rerun_url(finished_check), headers=HTMX)
    page = response.content.decode()

    assert 'id="activity"' in page
    assert 'hx-trigger="every 2s"' in page
    assert "A new duplicate check for Ada Lovelace is queued." in page
    assert "Re-ran a duplicate check" in page


def test_rerun_rejected_key_refused(login, support, customer_a, finished_check):
    invalidate(customer_a)

    response = login(support).post(rerun_url(finished_check), headers=HTMX)

    assert response.status_code == 409
    assert "JazzHR rejected the saved API key" in response.content.decode()
    assert DuplicateCheck.objects.count() == 1
    assert not SupportAction.objects.exists()


def test_rerun_without_htmx_redirects(login, support, customer_a, finished_check):
    response = login(support).post(rerun_url(finished_check), follow=True)

    assert response.redirect_chain == [(customer_url(customer_a), 302)]
    assert "A new duplicate check for Ada Lovelace is queued." in (
        response.content.decode()
    )


def test_rerun_recruiter_forbidden(login, recruiter, finished_check):
    response = login(recruiter).post(rerun_url(finished_check))

    assert response.status_code == 403
    assert DuplicateCheck.objects.count() == 1


# Sync now


def test_sync_starts_index_sync(login, support, customer_a):
    response = login(support).post(sync_url(customer_a), headers=HTMX)
    page = response.content.decode()

    state = IndexSyncState.objects.get(customer=customer_a)
    assert response.status_code == 200
    assert state.phase == SyncPhase.LISTING
    assert state.is_full_sync
    assert "Started a full sync of the applicant index." in page
    assert page.strip().startswith('<section class="card" id="index"')
    assert 'hx-trigger="every 3s"' in page


def test_sync_running_left_alone(login, support, customer_a):
    IndexSyncState.objects.create(
        customer=customer_a, phase=SyncPhase.FETCHING_DETAILS, run_token="abc"
    )

    response = login(support).post(sync_url(customer_a), headers=HTMX)

    state = IndexSyncState.objects.get(customer=customer_a)
    assert "A sync is running already." in response.content.decode()
    assert state.phase == SyncPhase.FETCHING_DETAILS
    assert state.run_token == "abc"


def test_sync_rejected_key_refused(login, support, customer_a):
    invalidate(customer_a)

    response = login(support).post(sync_url(customer_a), headers=HTMX)

    assert response.status_code == 409
    assert "JazzHR rejected the saved API key" in response.content.decode()
    assert not IndexSyncState.objects.exists()


def test_sync_without_htmx_redirects(login, support, customer_a):
    response = login(support).post(sync_url(customer_a), follow=True)

    assert response.redirect_chain == [(customer_url(customer_a), 302)]
    assert "Started a full sync of the applicant index." in response.content.decode()


def test_sync_recruiter_forbidden(login, recruiter, customer_a):
    response = login(recruiter).post(sync_url(customer_a))

    assert response.status_code == 403
    assert not IndexSyncState.objects.exists()
