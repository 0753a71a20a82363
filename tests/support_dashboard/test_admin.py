from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from integrations.jazzhr.models import JazzHRCredential
from support_dashboard.accounts.services import create_user
from support_dashboard.customers.services import create_customer

API_KEY = "sim0key0never0shown0in0admin0aa"


@pytest.fixture
def admin_client_logged_in(client, db):
    user, password, _ = create_user("alex@example.com", role="admin")
    client.login(username=user.username, password=password)
    return client


@pytest.fixture
def credential(db):
    customer = create_customer("Acme Robotics", ats="jazzhr")
    credential = JazzHRCredential(customer=customer, connected_at=timezone.now())
    credential.set_api_key(API_KEY)
    credential.save()
    return credential


def test_every_model_is_registered():
    from django.apps import apps

    ours = [
        model
        for model in apps.get_models()
        if model._meta.app_label in {"accounts", "customers", "jazzhr"}
    ]
    missing = [model.__name__ for model in ours if not admin.site.is_registered(model)]
    assert missing == []


def test_changelists_load(admin_client_logged_in, credential):
    for model in admin.site._registry:
        if model._meta.app_label not in {"accounts", "customers", "jazzhr"}:
            continue
        url = reverse(
            f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"
        )
        response = admin_client_logged_in.get(url)
        assert response.status_code == 200, url


def test_credential_page_hides_key(admin_client_logged_in, credential):
    url = reverse("admin:jazzhr_jazzhrcredential_change", args=[credential.pk])

    page = admin_client_logged_in.get(url).content.decode()

    assert credential.key_fingerprint in page
    assert API_KEY not in page
    assert credential.encrypted_api_key not in page
