from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from integrations.jazzhr.models import JazzHRCredential
from support_dashboard.accounts.services import create_user
from support_dashboard.customers.models import Ats
from support_dashboard.customers.services import create_customer
from tests.conftest import wait_for

JOBS = [
    {
        "title": "Backend Engineer",
        "status": "Open",
        "city": "Pittsburgh",
        "state": "PA",
        "department": "Engineering",
    },
    {
        "title": "Secret Acquisition Lead",
        "status": "Open",
        "city": "Boston",
        "state": "MA",
        "department": "Corporate",
        "confidential": True,
    },
    {
        "title": "Office Manager",
        "status": "On Hold",
        "city": "Austin",
        "state": "TX",
        "department": "Operations",
    },
]

APPLICANTS = [
    {
        "first_name": "Robert",
        "last_name": "Smith",
        "email": "robert.smith@example.com",
        "phone": "(412) 555-0100",
        "apply_date": "2026-11-02",
    },
    {
        "first_name": "Roberta",
        "last_name": "Smithers",
        "email": "roberta@example.org",
        "apply_date": "2026-10-12",
    },
    {
        "first_name": "José",
        "last_name": "García",
        "email": "jose.garcia@gmail.com",
        "apply_date": "2026-09-30",
    },
]


class ApiClient:
    """The recruiter JSON API, called in-process with a bearer token."""

    def __init__(self, token: str):
        self.client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")

    def post(self, path: str, data=None, **headers):
        return self.client.post(
            f"/api/v1/{path}",
            data=data or {},
            content_type="application/json",
            **headers,
        )

    def get(self, path: str):
        return self.client.get(f"/api/v1/{path}")

    def wait_until_finished(self, path: str, timeout: float = 30.0) -> dict:
        def finished():
            body = self.get(path).json()
            return body if body["status"] in {"succeeded", "failed"} else None

        return wait_for(finished, timeout=timeout, interval=0.2)


@pytest.fixture
def loaded_account(jazzhr_account):
    jobs = jazzhr_account.load("jobs", JOBS)
    jazzhr_account.load("applicants", APPLICANTS)
    jazzhr_account.job_ids = jobs["ids"]
    return jazzhr_account


@pytest.fixture
def customer(db):
    return create_customer("Acme Robotics", ats=Ats.JAZZHR)


@pytest.fixture
def recruiter(customer):
    user, _, token = create_user(
        "riley@acme.example", role="recruiter", customer=customer, first_name="Riley"
    )
    user.plain_token = token
    return user


@pytest.fixture
def api(recruiter) -> ApiClient:
    return ApiClient(recruiter.plain_token)


@pytest.fixture
def connected_customer(customer, recruiter, loaded_account):
    """The customer with the simulator account's key stored, as after a connect."""
    credential = JazzHRCredential(
        customer=customer, connected_by=recruiter, connected_at=timezone.now()
    )
    credential.set_api_key(loaded_account.api_key)
    credential.last_validated_at = timezone.now()
    credential.save()
    return customer
