from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction

from integrations.jazzhr.models import JazzHRCredential
from support_dashboard import encryption


class Command(BaseCommand):
    help = (
        "Re-encrypt stored JazzHR API keys with the first key of "
        "FIELD_ENCRYPTION_KEYS, after a new key was put first."
    )

    def handle(self, *args, **options) -> None:
        keyring = encryption.current_keyring()
        rotated = 0
        for credential_id in JazzHRCredential.objects.values_list("pk", flat=True):
            with transaction.atomic():
                credential = JazzHRCredential.objects.select_for_update().get(
                    pk=credential_id
                )
                if not encryption.needs_rotation(credential.encrypted_api_key, keyring):
                    continue
                credential.set_api_key(credential.api_key())
                credential.save(update_fields=["encrypted_api_key", "updated_at"])
                rotated += 1
        self.stdout.write(
            f"Re-encrypted {rotated} credential(s) with key {keyring.primary_key_id!r}."
        )
