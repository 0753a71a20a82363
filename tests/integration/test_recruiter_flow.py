"""The recruiter flow through the JSON API, a real worker and the JazzHR simulator."""

from __future__ import annotations

import pytest

from integrations.jazzhr.models import DuplicateCheck, JazzHRCredential, Upload
from support_dashboard.accounts.services import create_user
from support_dashboard.customers.models import Ats
from support_dashboard.customers.services import create_customer
from tests.integration.conftest import ApiClient

pytestmark = pytest.mark.worker


def test_connect_stores_encrypted_key(api, customer, jazzhr_account, use_simulator):
    response = api.post("jazzhr/connect", {"api_key": jazzhr_account.api_key})

    assert response.status_code == 200
    assert response.json() == {
        "connected": True,
        "key_fingerprint": jazzhr_account.api_key[-4:],
    }
    credential = JazzHRCredential.objects.get(customer=customer)
    assert jazzhr_account.api_key not in credential.encrypted_api_key
    assert credential.api_key() == jazzhr_account.api_key


def test_connect_invalid_key_rejected(api, customer, use_simulator):
    response = api.post("jazzhr/connect", {"api_key": "not-a-real-jazzhr-key-1234"})

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_api_key"
    assert not JazzHRCredential.objects.filter(customer=customer).exists()


def test_connect_needs_jazzhr_enabled(api, customer, jazzhr_account, use_simulator):
    customer.ats = Ats.NONE
    customer.save()

    response = api.post("jazzhr/connect", {"api_key": jazzhr_account.api_key})

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "ats_not_enabled"


def test_jobs_never_list_confidential(api, connected_customer, use_simulator):
    response = api.get("jazzhr/jobs")

    assert response.status_code == 200
    titles = {job["title"] for job in response.json()["jobs"]}
    assert "Backend Engineer" in titles
    assert "Office Manager" in titles
    assert "Secret Acquisition Lead" not in titles


def test_check_then_upload_creates_new_applicant(
    api, connected_customer, loaded_account, worker
):
    job_id = connected_customer_job(api, "Backend Engineer")
    check = api.post(
        "duplicate-checks",
        {
            "first_name": "Bob",
            "last_name": "Smith",
            "email": "Robert.Smith@example.com",
        },
    )
    assert check.status_code == 202
    result = api.wait_until_finished(f"duplicate-checks/{check.json()['id']}")
    assert result["status"] == "succeeded"
    top = result["matches"][0]
    assert (top["first_name"], top["last_name"]) == ("Robert", "Smith")
    assert top["tier"] == "strong"
    assert any("email" in reason for reason in top["reasons"])

    upload = api.post(
        "uploads",
        {
            "first_name": "Dana",
            "last_name": "Whitfield",
            "email": "dana@example.net",
            "job_id": job_id,
            "duplicate_check_id": check.json()["id"],
        },
    )
    assert upload.status_code == 202
    done = api.wait_until_finished(f"uploads/{upload.json()['id']}")
    assert done["status"] == "succeeded", done["error"]
    assert done["action"] == "create"
    applicant = loaded_account.get(f"/applicants/{done['applicant_id']}")
    assert applicant["email"] == "dana@example.net"
    assert applicant_progress(applicant, job_id) == "New"


def test_merge_attaches_job_and_note(api, connected_customer, loaded_account, worker):
    account = loaded_account
    robert = next(
        row
        for row in as_list(account.get("/applicants/name/Smith"))
        if row["first_name"] == "Robert"
    )
    job_id = connected_customer_job(api, "Office Manager")

    upload = api.post(
        "uploads",
        {
            "first_name": "Bob",
            "last_name": "Smith",
            "job_id": job_id,
            "merge_with_applicant_id": robert["id"],
        },
    )
    done = api.wait_until_finished(f"uploads/{upload.json()['id']}")

    assert done["status"] == "succeeded", done["error"]
    assert done["action"] == "merge"
    assert done["applicant_id"] == robert["id"]
    applicant = account.get(f"/applicants/{robert['id']}")
    assert job_id in {job["job_id"] for job in as_list(applicant["jobs"])}
    notes = " ".join(comment["text"] for comment in as_list(applicant["comments"]))
    assert "riley@acme.example" in notes or "Riley" in notes


def test_bad_input_creates_nothing(
    api, connected_customer, loaded_account, use_simulator
):
    account = loaded_account
    before = len(account.requests_log())

    response = api.post("uploads", {"first_name": "Ada", "email": "not-an-email"})

    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert "last_name" in fields
    assert "email" in fields
    assert Upload.objects.count() == 0
    assert len(account.requests_log()) == before


def test_check_fails_when_jazzhr_is_down(
    api, connected_customer, loaded_account, worker
):
    loaded_account.set_faults(error_rate=1.0)

    check = api.post("duplicate-checks", {"first_name": "Robert", "last_name": "Smith"})
    result = api.wait_until_finished(f"duplicate-checks/{check.json()['id']}")

    assert result["status"] == "failed"
    assert result["matches"] == []
    assert result["error"]
    assert DuplicateCheck.objects.get().attempts == 3


def test_recruiter_sees_only_own_customer(api, connected_customer, worker):
    other = create_customer("Globex", ats=Ats.JAZZHR)
    _, _, other_token = create_user(
        "olga@globex.example", role="recruiter", customer=other
    )
    check = api.post("duplicate-checks", {"first_name": "Robert", "last_name": "Smith"})

    response = ApiClient(other_token).get(f"duplicate-checks/{check.json()['id']}")

    assert response.status_code == 404


# Helpers


def as_list(value):
    """JazzHR sends a one-item collection as a bare object."""
    if isinstance(value, dict):
        return [value]
    return value or []


def applicant_progress(applicant: dict, job_id: str) -> str:
    for job in as_list(applicant["jobs"]):
        if job["job_id"] == job_id:
            return job["applicant_progress"]
    raise AssertionError(f"Applicant is not on job {job_id}")


def connected_customer_job(api, title: str) -> str:
    jobs = api.get("jazzhr/jobs").json()["jobs"]
    return next(job["id"] for job in jobs if job["title"] == title)
