"""The JSON API's contract: authentication, validation, scoping and idempotency."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.utils import timezone

from integrations.jazzhr import tasks
from integrations.jazzhr.models import JazzHRCredential, Upload
from support_dashboard.accounts.models import ApiToken
from support_dashboard.accounts.services import create_user
from support_dashboard.customers.services import create_customer

pytestmark = pytest.mark.django_db

CANDIDATE = {"first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.com"}


def connected(customer):
    credential = JazzHRCredential(customer=customer, connected_at=timezone.now())
    credential.set_api_key("sim0key0for0api0contract0tests0a")
    credential.save()
    return customer


@pytest.fixture
def enqueued(monkeypatch):
    sent = []
    monkeypatch.setattr(
        tasks.run_upload, "delay", lambda *a: sent.append(("upload", a))
    )
    monkeypatch.setattr(
        tasks.run_duplicate_check, "delay", lambda *a: sent.append(("check", a))
    )
    return sent


@pytest.fixture
def acme():
    return connected(create_customer("Acme Robotics", ats="jazzhr"))


def recruiter_client(customer, email="riley@acme.example") -> Client:
    _, _, token = create_user(email, role="recruiter", customer=customer)
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def post(client, path, data, **headers):
    return client.post(
        f"/api/v1/{path}",
        data=json.dumps(data),
        content_type="application/json",
        **headers,
    )


def test_missing_token_is_401(acme):
    response = Client().get("/api/v1/jazzhr/jobs")

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"


def test_unknown_token_is_401(acme):
    client = Client(HTTP_AUTHORIZATION="Bearer jzs_not-a-real-token")

    assert client.get("/api/v1/jazzhr/jobs").status_code == 401


def test_revoked_token_is_401(acme):
    client = recruiter_client(acme)
    ApiToken.objects.update(revoked_at=timezone.now())

    assert client.get("/api/v1/jazzhr/jobs").status_code == 401


def test_non_json_body_is_400(acme):
    client = recruiter_client(acme)

    response = client.post(
        "/api/v1/uploads", data="first_name=Ada", content_type="text/plain"
    )

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_json"


def test_malformed_json_is_400(acme):
    client = recruiter_client(acme)

    response = client.post(
        "/api/v1/uploads", data="{not json", content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_json"


def test_json_array_is_400(acme):
    client = recruiter_client(acme)

    response = post(client, "uploads", [CANDIDATE])

    assert response.status_code == 400


def test_non_string_field_is_400(acme, enqueued):
    client = recruiter_client(acme)

    response = post(client, "uploads", {**CANDIDATE, "first_name": ["Ada"]})

    assert response.status_code == 400
    assert "first_name" in response.json()["error"]["fields"]
    assert not Upload.objects.exists()


def test_missing_names_are_field_errors(acme, enqueued):
    client = recruiter_client(acme)

    response = post(client, "uploads", {"email": "ada@example.com"})

    fields = response.json()["error"]["fields"]
    assert response.status_code == 400
    assert set(fields) == {"first_name", "last_name"}
    assert enqueued == []


def test_bad_job_id_is_field_error(acme, enqueued):
    client = recruiter_client(acme)

    response = post(client, "uploads", {**CANDIDATE, "job_id": "../../users"})

    assert response.status_code == 400
    assert "job_id" in response.json()["error"]["fields"]


def test_upload_is_queued_after_commit(
    acme, enqueued, django_capture_on_commit_callbacks
):
    client = recruiter_client(acme)

    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, "uploads", CANDIDATE)

    body = response.json()
    assert response.status_code == 202
    assert body["status"] == "queued"
    assert body["action"] == "create"
    assert enqueued == [("upload", (body["id"],))]


def test_idempotency_key_returns_same_upload(acme, enqueued):
    client = recruiter_client(acme)

    first = post(client, "uploads", CANDIDATE, HTTP_IDEMPOTENCY_KEY="abc-123")
    second = post(client, "uploads", CANDIDATE, HTTP_IDEMPOTENCY_KEY="abc-123")

    assert first.status_code == 202
    assert second.status_code == 200
    assert first.json()["id"] == second.json()["id"]
    assert Upload.objects.count() == 1


def test_merge_action_recorded(acme, enqueued):
    client = recruiter_client(acme)

    response = post(
        client, "uploads", {**CANDIDATE, "merge_with_applicant_id": "prospect_1_ABC"}
    )

    assert response.json()["action"] == "merge"
    assert Upload.objects.get().merge_with_applicant_id == "prospect_1_ABC"


def test_other_customer_upload_is_404(acme, enqueued):
    globex = connected(create_customer("Globex", ats="jazzhr"))
    upload_id = post(recruiter_client(acme), "uploads", CANDIDATE).json()["id"]

    response = recruiter_client(globex, "gus@globex.example").get(
        f"/api/v1/uploads/{upload_id}"
    )

    assert response.status_code == 404


def test_other_customer_check_cannot_be_referenced(acme, enqueued):
    globex = connected(create_customer("Globex", ats="jazzhr"))
    check_id = post(recruiter_client(acme), "duplicate-checks", CANDIDATE).json()["id"]

    response = post(
        recruiter_client(globex, "gus@globex.example"),
        "uploads",
        {**CANDIDATE, "duplicate_check_id": check_id},
    )

    assert response.status_code == 400
    assert "duplicate_check_id" in response.json()["error"]["fields"]


def test_check_needs_jazzhr_enabled(enqueued):
    initech = create_customer("Initech", ats="none")

    response = post(recruiter_client(initech), "duplicate-checks", CANDIDATE)

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "ats_not_enabled"


def test_check_needs_connection(enqueued):
    globex = create_customer("Globex", ats="jazzhr")

    response = post(recruiter_client(globex), "duplicate-checks", CANDIDATE)

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "not_connected"


def test_openapi_lists_every_path():
    document = Client().get("/api/v1/openapi.json").json()

    assert document["openapi"].startswith("3.")
    assert set(document["paths"]) == {
        "/jazzhr/connect",
        "/jazzhr/jobs",
        "/duplicate-checks",
        "/duplicate-checks/{id}",
        "/uploads",
        "/uploads/{id}",
    }


def test_oversized_body_is_400(acme, enqueued):
    client = recruiter_client(acme)

    response = post(client, "uploads", {**CANDIDATE, "phone": "1" * 300_000})

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_json"
    assert not Upload.objects.exists()


def test_connect_attempts_are_limited(settings, enqueued):
    settings.JAZZHR_CONNECT_ATTEMPTS_PER_HOUR = 2
    globex = create_customer("Globex", ats="jazzhr")
    client = recruiter_client(globex)

    statuses = [
        post(client, "jazzhr/connect", {"api_key": "not a key"}).status_code
        for _ in range(3)
    ]

    assert statuses == [400, 400, 429]
    assert not JazzHRCredential.objects.filter(customer=globex).exists()


def test_wrong_method_is_json_405(acme):
    client = recruiter_client(acme)

    response = post(client, "jazzhr/jobs", {})

    assert response.status_code == 405
    assert response["Allow"] == "GET"
    assert response.json()["error"]["code"] == "method_not_allowed"


def test_malformed_id_is_json_404(acme):
    client = recruiter_client(acme)

    response = client.get("/api/v1/uploads/not-a-uuid")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_unknown_path_is_json_404():
    response = Client().get("/api/v1/nothing/here")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_idempotency_key_with_other_data_is_409(acme, enqueued):
    client = recruiter_client(acme)
    post(client, "uploads", CANDIDATE, HTTP_IDEMPOTENCY_KEY="abc-123")

    response = post(
        client,
        "uploads",
        {**CANDIDATE, "first_name": "Grace"},
        HTTP_IDEMPOTENCY_KEY="abc-123",
    )

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "idempotency_key_reused"
    assert Upload.objects.count() == 1


@pytest.mark.parametrize(
    "field, value",
    [
        ("first_name", "\u200b\u200b"),
        ("last_name", "1234"),
        ("linkedin_url", "https://evil.example/linkedin.com/in/ada"),
    ],
)
def test_unusable_candidate_values_rejected(acme, enqueued, field, value):
    client = recruiter_client(acme)

    response = post(client, "uploads", {**CANDIDATE, field: value})

    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
    assert not Upload.objects.exists()


def test_linkedin_url_on_subdomain_accepted(acme, enqueued):
    client = recruiter_client(acme)

    response = post(
        client,
        "uploads",
        {**CANDIDATE, "linkedin_url": "https://de.linkedin.com/in/ada-lovelace"},
    )

    assert response.status_code == 202


def test_non_ascii_api_key_rejected_locally():
    globex = create_customer("Globex", ats="jazzhr")

    response = post(recruiter_client(globex), "jazzhr/connect", {"api_key": "ключ😀"})

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_api_key"
