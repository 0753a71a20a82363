"""Personas, customers and a fake JazzHR client for the dashboard tests.

Customer A and customer B both use JazzHR with their own stored key. `recruiter`
works for A and `outsider` for B. `support` and `admin` are staff.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from integrations.jazzhr.models import (
    CredentialStatus,
    DuplicateCheck,
    JazzHRCredential,
    Upload,
    UploadAction,
    WorkStatus,
)
from integrations.jazzhr.services import connection
from integrations.jazzhr.types import Job
from support_dashboard.accounts.models import Role, User
from support_dashboard.customers.models import Ats, Customer

API_KEY_A = "jzk-acme-company-wide-key-5e1f"
API_KEY_B = "jzk-globex-company-wide-key-77c0"
STORED_KEYS = (API_KEY_A, API_KEY_B)

MATCH = {
    "applicant_id": "prospect_20240101120000_AB12",
    "first_name": "Ada",
    "last_name": "Lovelace",
    "email": "ada@example.com",
    "score": 0.934,
    "tier": "strong",
    "reasons": ["Same email address", "Same first and last name"],
}
OTHER_MATCH = {
    "applicant_id": "prospect_20240202120000_CD34",
    "first_name": "Ada",
    "last_name": "Byron",
    "email": "",
    "score": 0.61,
    "tier": "possible",
    "reasons": ["Similar name"],
}


class KeyCheckingClient(Client):
    """A test client that fails the test when any response contains a stored key."""

    def request(self, **request):
        response = super().request(**request)
        for key in STORED_KEYS:
            assert key.encode() not in response.content, "a page shows an API key"
        return response


@pytest.fixture
def client() -> KeyCheckingClient:
    return KeyCheckingClient()


@pytest.fixture
def login(client):
    """Log `user` in on the test client and return the client."""

    def log_in(user: User) -> KeyCheckingClient:
        client.force_login(user)
        return client

    return log_in


@pytest.fixture(autouse=True)
def empty_cache():
    """Start each test without cached JazzHR job lists of earlier tests."""
    cache.clear()
    yield
    cache.clear()


def connect_customer(customer: Customer, api_key: str, **fields) -> JazzHRCredential:
    now = timezone.now()
    credential = JazzHRCredential(
        customer=customer, connected_at=now, last_validated_at=now, **fields
    )
    credential.set_api_key(api_key)
    credential.save()
    return credential


@pytest.fixture
def customer_a(db) -> Customer:
    customer = Customer.objects.create(name="Acme Corp", slug="acme", ats=Ats.JAZZHR)
    connect_customer(customer, API_KEY_A)
    return customer


@pytest.fixture
def customer_b(db) -> Customer:
    customer = Customer.objects.create(name="Globex Inc", slug="globex", ats=Ats.JAZZHR)
    connect_customer(customer, API_KEY_B)
    return customer


def make_user(username: str, role: str, customer: Customer | None = None) -> User:
    return User.objects.create_user(
        username=username,
        email=f"{username}@example.com",
        password="not-used-in-tests",
        role=role,
        customer=customer,
    )


@pytest.fixture
def support(db) -> User:
    return make_user("sam.support", Role.SUPPORT)


@pytest.fixture
def admin(db) -> User:
    return make_user("alex.admin", Role.ADMIN)


@pytest.fixture
def recruiter(customer_a) -> User:
    """A recruiter of customer A."""
    return make_user("rita.recruiter", Role.RECRUITER, customer_a)


@pytest.fixture
def outsider(customer_b) -> User:
    """A recruiter of customer B, who must never see customer A's rows."""
    return make_user("otto.outsider", Role.RECRUITER, customer_b)


def set_created_at(row, created_at: datetime.datetime | None):
    if created_at is not None:
        type(row).objects.filter(pk=row.pk).update(created_at=created_at)
        row.refresh_from_db()
    return row


@pytest.fixture
def make_check():
    def create(
        customer: Customer,
        user: User,
        created_at: datetime.datetime | None = None,
        **fields,
    ) -> DuplicateCheck:
        values = {
            "first_name": "Ada",
            "last_name": "Lovelace",
            "email": "ada@example.com",
            "status": WorkStatus.QUEUED,
            **fields,
        }
        check = DuplicateCheck.objects.create(
            customer=customer, requested_by=user, **values
        )
        return set_created_at(check, created_at)

    return create


@pytest.fixture
def make_upload():
    def create(
        customer: Customer,
        user: User,
        created_at: datetime.datetime | None = None,
        **fields,
    ) -> Upload:
        values = {
            "first_name": "Ada",
            "last_name": "Lovelace",
            "email": "ada@example.com",
            "action": UploadAction.CREATE,
            "status": WorkStatus.QUEUED,
            **fields,
        }
        upload = Upload.objects.create(customer=customer, requested_by=user, **values)
        return set_created_at(upload, created_at)

    return create


class FakeJazzHR:
    """Stands in for JazzHRClient: returns `jobs`, or raises `error` from every call."""

    def __init__(self) -> None:
        self.error: Exception | None = None
        self.jobs: list[Job] = []
        self.api_keys: list[str] = []
        self.job_list_requests: list[bool] = []

    def client_for_key(self, api_key: str, **options) -> FakeJazzHR:
        self.api_keys.append(api_key)
        return self

    def validate_key(self) -> None:
        if self.error:
            raise self.error

    def list_jobs(self, include_confidential: bool = True) -> list[Job]:
        self.job_list_requests.append(include_confidential)
        if self.error:
            raise self.error
        return self.jobs


@pytest.fixture
def fake_jazzhr(monkeypatch) -> FakeJazzHR:
    """Replace the JazzHR client that the connection service builds."""
    fake = FakeJazzHR()
    monkeypatch.setattr(connection, "build_client", fake.client_for_key)
    return fake


def make_job(job_id: str, title: str, city: str = "") -> Job:
    return Job(
        id=job_id,
        title=title,
        status="Open",
        city=city,
        state="",
        department="",
        original_open_date=None,
        board_code="",
    )


def invalidate(customer: Customer) -> None:
    JazzHRCredential.objects.filter(customer=customer).update(
        status=CredentialStatus.INVALID, last_error="JazzHR rejected the API key."
    )


# Headers of a request that htmx sends.
HTMX = {"HX-Request": "true"}
