from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import timezone

from integrations.jazzhr.models import JazzHRCredential
from support_dashboard import encryption
from support_dashboard.customers.services import create_customer

API_KEY = "sim0key0for0credential0tests0aa"


@pytest.fixture
def credential(db):
    customer = create_customer("Acme Robotics", ats="jazzhr")
    credential = JazzHRCredential(customer=customer, connected_at=timezone.now())
    credential.set_api_key(API_KEY)
    credential.save()
    return credential


def test_credential_stores_fingerprint_only(credential):
    stored = JazzHRCredential.objects.get(pk=credential.pk)

    assert stored.key_fingerprint == API_KEY[-4:]
    assert API_KEY not in stored.encrypted_api_key
    assert stored.api_key() == API_KEY


def test_credential_bound_to_customer(credential):
    other = create_customer("Globex", ats="jazzhr")
    copy = JazzHRCredential(
        customer=other,
        connected_at=timezone.now(),
        encrypted_api_key=credential.encrypted_api_key,
    )

    with pytest.raises(encryption.DecryptionError):
        copy.api_key()


def test_reencrypt_moves_to_primary_key(credential, settings):
    new_key = encryption.generate_key()
    settings.FIELD_ENCRYPTION_KEYS = f"k2:{new_key},{settings.FIELD_ENCRYPTION_KEYS}"

    call_command("reencrypt_credentials")

    stored = JazzHRCredential.objects.get(pk=credential.pk)
    assert stored.encrypted_api_key.startswith("v1:k2:")
    assert stored.api_key() == API_KEY
