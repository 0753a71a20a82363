from __future__ import annotations

import pytest
from django.urls import reverse

from integrations.jazzhr import tasks
from integrations.jazzhr.errors import InvalidApiKey, TransientError
from integrations.jazzhr.models import (
    DuplicateCheck,
    JazzHRCredential,
    Upload,
    UploadAction,
    WorkStatus,
)
from support_dashboard.customers.models import Ats, Customer
from tests.dashboard.conftest import MATCH, OTHER_MATCH, invalidate, make_job

SIDEBAR_URL = reverse("dashboard:sidebar")
CONNECT_URL = reverse("dashboard:sidebar-connect")
JOBS_URL = reverse("dashboard:sidebar-jobs")
CHECKS_URL = reverse("dashboard:sidebar-check-create")
UPLOADS_URL = reverse("dashboard:sidebar-upload-create")
HTMX = {"HX-Request": "true"}
NEW_KEY = "jzk-brand-new-key-pasted-9a9a"

CANDIDATE = {
    "first_name": "Ada",
    "last_name": "Lovelace",
    "email": "ada@example.com",
    "phone": "+44 20 7946 0000",
    "linkedin_url": "https://www.linkedin.com/in/ada-lovelace",
}


def check_url(check: DuplicateCheck) -> str:
    return reverse("dashboard:sidebar-check", args=[check.id])


def upload_url(upload: Upload) -> str:
    return reverse("dashboard:sidebar-upload", args=[upload.id])


@pytest.fixture
def succeeded_check(make_check, customer_a, recruiter) -> DuplicateCheck:
    return make_check(
        customer_a,
        recruiter,
        status=WorkStatus.SUCCEEDED,
        matches=[MATCH, OTHER_MATCH],
    )


@pytest.fixture
def no_enqueue(monkeypatch) -> list[str]:
    """Record the ids passed to the Celery tasks instead of sending them."""
    sent = []
    monkeypatch.setattr(tasks.run_duplicate_check, "delay", sent.append)
    monkeypatch.setattr(tasks.run_upload, "delay", sent.append)
    return sent


def test_home_sends_recruiter_to_sidebar(login, recruiter):
    response = login(recruiter).get(reverse("dashboard:home"))

    assert response.url == SIDEBAR_URL


def test_sidebar_anonymous_redirects_to_login(client, db):
    response = client.get(SIDEBAR_URL)

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={SIDEBAR_URL}"


@pytest.mark.parametrize("persona", ["support", "admin"])
def test_sidebar_staff_forbidden(login, request, persona):
    response = login(request.getfixturevalue(persona)).get(SIDEBAR_URL)

    assert response.status_code == 403


@pytest.mark.parametrize(
    "url",
    [CONNECT_URL, CHECKS_URL, UPLOADS_URL],
)
def test_sidebar_posts_staff_forbidden(login, support, url):
    response = login(support).post(url, CANDIDATE)

    assert response.status_code == 403


def test_sidebar_ats_not_jazzhr(login, recruiter, customer_a):
    Customer.objects.filter(pk=customer_a.pk).update(ats=Ats.NONE)

    page = login(recruiter).get(SIDEBAR_URL).content.decode()

    assert "JazzHR is not enabled for Acme Corp" in page
    assert 'id="candidate-form"' not in page
    assert "<dialog" not in page


def test_sidebar_not_connected_offers_connect(login, recruiter, customer_a):
    JazzHRCredential.objects.filter(customer=customer_a).delete()

    page = login(recruiter).get(SIDEBAR_URL).content.decode()

    assert '<dialog id="connect-dialog"' in page
    assert "Settings → Integrations" in page
    assert 'type="password" name="api_key"' in page
    assert 'id="candidate-form"' not in page


def test_sidebar_invalid_key_offers_connect(login, recruiter, customer_a):
    invalidate(customer_a)

    page = login(recruiter).get(SIDEBAR_URL).content.decode()

    assert "JazzHR rejected the saved API key (…5e1f)" in page
    assert '<dialog id="connect-dialog"' in page


def test_sidebar_connected_shows_form(login, recruiter, customer_a):
    page = login(recruiter).get(SIDEBAR_URL).content.decode()

    assert 'id="candidate-form"' in page
    assert f'hx-get="{JOBS_URL}?job_id="' in page
    assert 'hx-trigger="load"' in page
    assert "Confidential jobs are hidden" in page
    assert "<dialog" not in page


def test_connect_stores_key(login, recruiter, customer_a, fake_jazzhr):
    JazzHRCredential.objects.filter(customer=customer_a).delete()

    response = login(recruiter).post(CONNECT_URL, {"api_key": NEW_KEY}, headers=HTMX)
    page = response.content.decode()

    credential = JazzHRCredential.objects.get(customer=customer_a)
    assert response.status_code == 200
    assert "…9a9a" in page
    assert NEW_KEY not in page
    assert credential.api_key() == NEW_KEY
    assert credential.connected_by == recruiter
    assert fake_jazzhr.api_keys == [NEW_KEY]


def test_connect_rejected_key(login, recruiter, customer_a, fake_jazzhr):
    JazzHRCredential.objects.filter(customer=customer_a).delete()
    fake_jazzhr.error = InvalidApiKey("JazzHR rejected the API key (HTTP 401).")

    response = login(recruiter).post(CONNECT_URL, {"api_key": NEW_KEY}, headers=HTMX)
    page = response.content.decode()

    assert response.status_code == 422
    assert "JazzHR rejected the API key (HTTP 401)." in page
    assert NEW_KEY not in page
    assert not JazzHRCredential.objects.filter(customer=customer_a).exists()


def test_connect_unreachable(login, recruiter, customer_a, fake_jazzhr):
    invalidate(customer_a)
    fake_jazzhr.error = TransientError("Timed out connecting to JazzHR (GET /users).")

    response = login(recruiter).post(CONNECT_URL, {"api_key": NEW_KEY}, headers=HTMX)
    page = response.content.decode()

    credential = JazzHRCredential.objects.get(customer=customer_a)
    assert response.status_code == 422
    assert "JazzHR could not be reached" in page
    assert NEW_KEY not in page
    assert credential.key_fingerprint == "5e1f"


def test_connect_empty_key(login, recruiter, customer_a, fake_jazzhr):
    response = login(recruiter).post(CONNECT_URL, {"api_key": ""}, headers=HTMX)

    assert response.status_code == 422
    assert "This field is required." in response.content.decode()
    assert fake_jazzhr.api_keys == []


def test_connect_without_htmx_renders_page(login, recruiter, customer_a, fake_jazzhr):
    JazzHRCredential.objects.filter(customer=customer_a).delete()

    response = login(recruiter).post(CONNECT_URL, {"api_key": NEW_KEY})
    page = response.content.decode()

    assert response.status_code == 200
    assert "<html" in page
    assert "…9a9a" in page
    assert NEW_KEY not in page


def test_jobs_lists_open_jobs(login, recruiter, customer_a, fake_jazzhr):
    fake_jazzhr.jobs = [
        make_job("job_1", "Data Engineer", "Berlin"),
        make_job("job_2", "Nurse"),
    ]

    response = login(recruiter).get(JOBS_URL, {"job_id": "job_2"}, headers=HTMX)
    page = response.content.decode()

    assert "Data Engineer · Berlin" in page
    assert '<option value="job_2" selected>' in page
    assert fake_jazzhr.job_list_requests == [False]


def test_jobs_error_allows_upload(login, recruiter, customer_a, fake_jazzhr):
    fake_jazzhr.error = TransientError("JazzHR failed with HTTP 503 on GET /jobs.")

    response = login(recruiter).get(JOBS_URL, headers=HTMX)
    page = response.content.decode()

    assert response.status_code == 200
    assert "JazzHR could not be reached" in page
    assert "You can still upload without a job." in page
    assert "<select" not in page


def test_jobs_outsider_uses_own_key(login, outsider, customer_a, fake_jazzhr):
    login(outsider).get(JOBS_URL, headers=HTMX)

    assert fake_jazzhr.api_keys == ["jzk-globex-company-wide-key-77c0"]


def test_check_create_records_check(login, recruiter, customer_a, outsider):
    response = login(recruiter).post(CHECKS_URL, CANDIDATE, headers=HTMX)
    page = response.content.decode()

    check = DuplicateCheck.objects.get()
    assert response.status_code == 200
    assert check.customer == customer_a
    assert check.requested_by == recruiter
    assert check.linkedin_url == CANDIDATE["linkedin_url"]
    assert f'hx-get="{check_url(check)}"' in page
    assert 'hx-trigger="every 2s"' in page


def test_check_create_enqueues_task(
    login, recruiter, no_enqueue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        login(recruiter).post(CHECKS_URL, CANDIDATE, headers=HTMX)

    assert no_enqueue == [str(DuplicateCheck.objects.get().id)]


def test_check_create_invalid_input(login, recruiter):
    data = {**CANDIDATE, "last_name": "", "email": "not-an-email"}

    response = login(recruiter).post(CHECKS_URL, data, headers=HTMX)
    page = response.content.decode()

    assert response.status_code == 422
    assert page.lstrip().startswith('<form id="candidate-form"')
    assert "This field is required." in page
    assert "Enter a valid email address." in page
    assert 'value="Ada"' in page
    assert not DuplicateCheck.objects.exists()


def test_check_create_invalid_without_htmx(login, recruiter):
    response = login(recruiter).post(CHECKS_URL, {**CANDIDATE, "first_name": ""})

    assert response.status_code == 422
    assert "<html" in response.content.decode()
    assert not DuplicateCheck.objects.exists()


def test_check_create_not_connected(login, recruiter, customer_a):
    invalidate(customer_a)

    response = login(recruiter).post(CHECKS_URL, CANDIDATE, headers=HTMX)

    assert response.status_code == 409
    assert "JazzHR rejected the saved API key" in response.content.decode()
    assert not DuplicateCheck.objects.exists()


def test_check_detail_polls_while_queued(login, recruiter, customer_a, make_check):
    check = make_check(customer_a, recruiter)

    page = login(recruiter).get(check_url(check), headers=HTMX).content.decode()

    assert 'hx-trigger="every 2s"' in page
    assert "Checking JazzHR for duplicates" in page


def test_check_detail_shows_matches(login, recruiter, succeeded_check):
    url = check_url(succeeded_check)

    page = login(recruiter).get(url, headers=HTMX).content.decode()

    assert "hx-trigger" not in page
    assert "Ada Lovelace" in page
    assert "ada@example.com" in page
    assert "93%" in page
    assert "61%" in page
    assert "strong" in page
    assert "possible" in page
    assert "Same email address" in page
    assert f'value="{MATCH["applicant_id"]}"' in page
    assert "Merge with selected profile" in page
    assert "Upload as new candidate" in page


def test_check_detail_no_matches(login, recruiter, customer_a, make_check):
    check = make_check(customer_a, recruiter, status=WorkStatus.SUCCEEDED)

    page = login(recruiter).get(check_url(check), headers=HTMX).content.decode()

    assert "No potential duplicates found" in page
    assert "Merge with selected profile" not in page
    assert "Upload as new candidate" in page


def test_check_detail_failed_shows_error(login, recruiter, customer_a, make_check):
    check = make_check(
        customer_a,
        recruiter,
        status=WorkStatus.FAILED,
        error="JazzHR failed with HTTP 503 on GET /applicants.",
    )

    page = login(recruiter).get(check_url(check), headers=HTMX).content.decode()

    assert "The duplicate check failed: JazzHR failed with HTTP 503" in page
    assert "No potential duplicates" not in page
    assert "Upload as new candidate" not in page
    assert "hx-trigger" not in page


def test_check_detail_without_htmx_prefills_form(login, recruiter, succeeded_check):
    response = login(recruiter).get(check_url(succeeded_check))
    page = response.content.decode()

    assert "<html" in page
    assert 'value="Lovelace"' in page
    assert "Merge with selected profile" in page


def test_check_detail_outsider_not_found(login, outsider, succeeded_check):
    response = login(outsider).get(check_url(succeeded_check), headers=HTMX)

    assert response.status_code == 404


def test_upload_create_new_candidate(login, recruiter, customer_a, succeeded_check):
    data = {
        **CANDIDATE,
        "action": "create",
        "duplicate_check_id": succeeded_check.id,
        "merge_with_applicant_id": MATCH["applicant_id"],
        "job_id": "job_1",
    }

    response = login(recruiter).post(UPLOADS_URL, data, headers=HTMX)
    page = response.content.decode()

    upload = Upload.objects.get()
    assert response.status_code == 200
    assert upload.customer == customer_a
    assert upload.requested_by == recruiter
    assert upload.action == UploadAction.CREATE
    assert upload.merge_with_applicant_id == ""
    assert upload.job_id == "job_1"
    assert upload.duplicate_check == succeeded_check
    assert upload.matches_shown == [MATCH, OTHER_MATCH]
    assert f'hx-get="{upload_url(upload)}"' in page
    assert 'hx-trigger="every 2s"' in page


def test_upload_create_merge(login, recruiter, succeeded_check):
    data = {
        **CANDIDATE,
        "action": "merge",
        "duplicate_check_id": succeeded_check.id,
        "merge_with_applicant_id": OTHER_MATCH["applicant_id"],
    }

    login(recruiter).post(UPLOADS_URL, data, headers=HTMX)

    upload = Upload.objects.get()
    assert upload.action == UploadAction.MERGE
    assert upload.merge_with_applicant_id == OTHER_MATCH["applicant_id"]


def test_upload_create_enqueues_task(
    login, recruiter, succeeded_check, no_enqueue, django_capture_on_commit_callbacks
):
    data = {**CANDIDATE, "action": "create", "duplicate_check_id": succeeded_check.id}

    with django_capture_on_commit_callbacks(execute=True):
        login(recruiter).post(UPLOADS_URL, data, headers=HTMX)

    assert no_enqueue == [str(Upload.objects.get().id)]


def test_upload_repeated_key_creates_one(login, recruiter, succeeded_check):
    data = {
        **CANDIDATE,
        "action": "create",
        "duplicate_check_id": succeeded_check.id,
        "idempotency_key": "0f3c9b1e",
    }

    login(recruiter).post(UPLOADS_URL, data, headers=HTMX)
    login(recruiter).post(UPLOADS_URL, data, headers=HTMX)

    assert Upload.objects.count() == 1


def test_upload_merge_needs_selection(login, recruiter, succeeded_check):
    data = {**CANDIDATE, "action": "merge", "duplicate_check_id": succeeded_check.id}

    response = login(recruiter).post(UPLOADS_URL, data, headers=HTMX)
    page = response.content.decode()

    assert response.status_code == 422
    assert "Select the profile to merge with." in page
    assert "Ada Lovelace" in page
    assert not Upload.objects.exists()


def test_upload_merge_unknown_applicant(login, recruiter, succeeded_check):
    data = {
        **CANDIDATE,
        "action": "merge",
        "duplicate_check_id": succeeded_check.id,
        "merge_with_applicant_id": "prospect_someone_else",
    }

    response = login(recruiter).post(UPLOADS_URL, data, headers=HTMX)

    assert response.status_code == 422
    assert "profiles found by the duplicate check" in response.content.decode()
    assert not Upload.objects.exists()


def test_upload_other_company_check_rejected(
    login, outsider, succeeded_check, customer_b
):
    data = {
        **CANDIDATE,
        "action": "merge",
        "duplicate_check_id": succeeded_check.id,
        "merge_with_applicant_id": MATCH["applicant_id"],
    }

    response = login(outsider).post(UPLOADS_URL, data, headers=HTMX)

    assert response.status_code == 422
    assert "No such duplicate check for your company." in response.content.decode()
    assert not Upload.objects.exists()


def test_upload_invalid_input(login, recruiter, succeeded_check):
    data = {
        **CANDIDATE,
        "phone": "12",
        "action": "create",
        "duplicate_check_id": succeeded_check.id,
    }

    response = login(recruiter).post(UPLOADS_URL, data, headers=HTMX)

    assert response.status_code == 422
    assert "at least 5 digits" in response.content.decode()
    assert not Upload.objects.exists()


def test_upload_missing_action(login, recruiter, succeeded_check):
    data = {**CANDIDATE, "duplicate_check_id": succeeded_check.id}

    response = login(recruiter).post(UPLOADS_URL, data, headers=HTMX)

    assert response.status_code == 422
    assert "Upload as new candidate”." in response.content.decode()
    assert not Upload.objects.exists()


def test_upload_not_connected(login, recruiter, customer_a, succeeded_check):
    JazzHRCredential.objects.filter(customer=customer_a).delete()
    data = {**CANDIDATE, "action": "create", "duplicate_check_id": succeeded_check.id}

    response = login(recruiter).post(UPLOADS_URL, data, headers=HTMX)

    assert response.status_code == 409
    assert not Upload.objects.exists()


def test_upload_detail_succeeded(login, recruiter, customer_a, make_upload):
    upload = make_upload(
        customer_a,
        recruiter,
        status=WorkStatus.SUCCEEDED,
        jazzhr_applicant_id="prospect_20240505101010_ZZ99",
    )

    page = login(recruiter).get(upload_url(upload), headers=HTMX).content.decode()

    assert "Uploaded: JazzHR applicant" in page
    assert "prospect_20240505101010_ZZ99" in page
    assert "hx-trigger" not in page


def test_upload_detail_failed(login, recruiter, customer_a, make_upload):
    upload = make_upload(
        customer_a,
        recruiter,
        status=WorkStatus.FAILED,
        error="JazzHR rejected the upload: email was not set",
    )

    page = login(recruiter).get(upload_url(upload), headers=HTMX).content.decode()

    assert "The upload failed: JazzHR rejected the upload" in page
    assert "Uploaded:" not in page


def test_upload_detail_polls_while_running(login, recruiter, customer_a, make_upload):
    upload = make_upload(customer_a, recruiter, status=WorkStatus.RUNNING)

    page = login(recruiter).get(upload_url(upload), headers=HTMX).content.decode()

    assert 'hx-trigger="every 2s"' in page


def test_upload_detail_waiting_stops_polling(login, recruiter, customer_a, make_upload):
    upload = make_upload(
        customer_a,
        recruiter,
        status="waiting",
        error="Waiting: JazzHR rejected the company's API key.",
    )

    page = login(recruiter).get(upload_url(upload), headers=HTMX).content.decode()

    assert "Waiting: JazzHR rejected the company" in page
    assert "hx-trigger" not in page
    assert "Start over" in page


def test_upload_detail_outsider_not_found(login, outsider, customer_a, make_upload):
    upload = make_upload(customer_a, customer_a.users.first())

    response = login(outsider).get(upload_url(upload), headers=HTMX)

    assert response.status_code == 404


def test_upload_page_invalid_key_shows_status(
    login, recruiter, customer_a, make_upload
):
    invalidate(customer_a)
    upload = make_upload(
        customer_a,
        recruiter,
        status=WorkStatus.WAITING,
        error="Waiting: JazzHR rejected the company's API key.",
    )

    page = login(recruiter).get(upload_url(upload)).content.decode()

    assert '<dialog id="connect-dialog"' in page
    assert 'class="status status-waiting"' in page
    assert "Waiting: JazzHR rejected the company" in page


def test_upload_page_ats_off_shows_status(login, recruiter, customer_a, make_upload):
    Customer.objects.filter(pk=customer_a.pk).update(ats=Ats.NONE)
    upload = make_upload(
        customer_a,
        recruiter,
        status=WorkStatus.WAITING,
        error="Waiting: JazzHR is turned off for Acme Corp.",
    )

    page = login(recruiter).get(upload_url(upload)).content.decode()

    assert "JazzHR is not enabled for Acme Corp" in page
    assert "Waiting: JazzHR is turned off for Acme Corp." in page


def test_connect_counts_resumed_uploads(
    login, recruiter, outsider, customer_a, customer_b, make_upload, fake_jazzhr
):
    invalidate(customer_a)
    for _ in range(2):
        make_upload(customer_a, recruiter, status=WorkStatus.WAITING)
    make_upload(customer_a, recruiter, status=WorkStatus.FAILED)
    make_upload(customer_b, outsider, status=WorkStatus.WAITING)

    response = login(recruiter).post(CONNECT_URL, {"api_key": NEW_KEY}, headers=HTMX)
    page = response.content.decode()

    assert response.status_code == 200
    assert "2 waiting uploads resumed." in page


def test_connect_counts_one_resumed_upload(
    login, recruiter, customer_a, make_upload, fake_jazzhr
):
    invalidate(customer_a)
    make_upload(customer_a, recruiter, status=WorkStatus.WAITING)

    page = login(recruiter).post(CONNECT_URL, {"api_key": NEW_KEY}).content.decode()

    assert "1 waiting upload resumed." in page


def test_connect_without_waiting_uploads(login, recruiter, customer_a, fake_jazzhr):
    invalidate(customer_a)

    response = login(recruiter).post(CONNECT_URL, {"api_key": NEW_KEY}, headers=HTMX)

    assert "resumed" not in response.content.decode()


def test_upload_page_preselects_job(login, recruiter, customer_a, make_upload):
    upload = make_upload(customer_a, recruiter, job_id="job_7", job_title="Nurse")

    page = login(recruiter).get(upload_url(upload)).content.decode()

    assert f'hx-get="{JOBS_URL}?job_id=job_7"' in page


def test_check_create_without_htmx_redirects(login, recruiter):
    response = login(recruiter).post(CHECKS_URL, CANDIDATE)

    check = DuplicateCheck.objects.get()
    assert response.status_code == 303
    assert response.url == check_url(check)


def test_check_page_refreshes_while_queued(login, recruiter, customer_a, make_check):
    check = make_check(customer_a, recruiter)

    page = login(recruiter).get(check_url(check)).content.decode()

    assert "<html" in page
    assert "Checking JazzHR for duplicates" in page
    assert '<meta http-equiv="refresh" content="2">' in page


def test_check_page_done_stops_refresh(login, recruiter, succeeded_check):
    page = login(recruiter).get(check_url(succeeded_check)).content.decode()

    assert 'http-equiv="refresh"' not in page


def test_upload_create_without_htmx_redirects(login, recruiter, succeeded_check):
    data = {**CANDIDATE, "action": "create", "duplicate_check_id": succeeded_check.id}

    response = login(recruiter).post(UPLOADS_URL, data)

    upload = Upload.objects.get()
    assert response.status_code == 303
    assert response.url == upload_url(upload)


def test_upload_repeated_key_without_htmx(login, recruiter, succeeded_check):
    data = {
        **CANDIDATE,
        "action": "create",
        "duplicate_check_id": succeeded_check.id,
        "idempotency_key": "5d2e7a40",
    }

    login(recruiter).post(UPLOADS_URL, data)
    response = login(recruiter).post(UPLOADS_URL, data)

    upload = Upload.objects.get()
    assert response.status_code == 303
    assert response.url == upload_url(upload)


def test_upload_page_refreshes_while_queued(login, recruiter, customer_a, make_upload):
    upload = make_upload(customer_a, recruiter)

    page = login(recruiter).get(upload_url(upload)).content.decode()

    assert "Uploading to JazzHR" in page
    assert '<meta http-equiv="refresh" content="2">' in page


def test_upload_page_done_stops_refresh(login, recruiter, customer_a, make_upload):
    upload = make_upload(customer_a, recruiter, status=WorkStatus.SUCCEEDED)

    page = login(recruiter).get(upload_url(upload)).content.decode()

    assert 'http-equiv="refresh"' not in page
