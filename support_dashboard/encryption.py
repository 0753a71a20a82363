"""Authenticated encryption of secrets at rest (AES-256-GCM).

A stored value reads `v1:<key id>:<urlsafe base64 of nonce + ciphertext>`. The key id
lets keys rotate: the first key of `FIELD_ENCRYPTION_KEYS` encrypts, every listed key
decrypts. The associated data binds a value to the row it belongs to, so a ciphertext
copied onto another row does not decrypt.
"""

from __future__ import annotations

import base64
import binascii
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

FORMAT_VERSION = "v1"
NONCE_BYTES = 12


class DecryptionError(Exception):
    """The value cannot be decrypted: unknown key id, wrong key, or tampered data."""


@dataclass(frozen=True)
class Keyring:
    primary_key_id: str
    keys: dict[str, bytes]

    @classmethod
    def parse(cls, spec: str) -> Keyring:
        """Parse `id:base64key,id2:base64key`; the first entry is the primary key."""
        keys: dict[str, bytes] = {}
        for entry in filter(None, (part.strip() for part in spec.split(","))):
            key_id, separator, encoded = entry.partition(":")
            if not separator or not key_id or ":" in encoded:
                raise ImproperlyConfigured(
                    "FIELD_ENCRYPTION_KEYS entries must look like 'key_id:base64key'."
                )
            try:
                key = base64.urlsafe_b64decode(encoded.encode("ascii"))
            except (binascii.Error, ValueError) as exc:
                raise ImproperlyConfigured(
                    f"FIELD_ENCRYPTION_KEYS key {key_id!r} is not valid base64."
                ) from exc
            if len(key) != 32:
                raise ImproperlyConfigured(
                    f"FIELD_ENCRYPTION_KEYS key {key_id!r} must decode to 32 bytes, "
                    f"not {len(key)}."
                )
            keys[key_id] = key
        if not keys:
            raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS lists no key.")
        return cls(primary_key_id=next(iter(keys)), keys=keys)


def current_keyring() -> Keyring:
    return Keyring.parse(settings.FIELD_ENCRYPTION_KEYS)


def generate_key() -> str:
    """Return a new random key, encoded for FIELD_ENCRYPTION_KEYS."""
    return base64.urlsafe_b64encode(os.urandom(32)).decode("ascii")


def encrypt(
    plaintext: str, associated_data: str, keyring: Keyring | None = None
) -> str:
    keyring = keyring or current_keyring()
    nonce = os.urandom(NONCE_BYTES)
    aead = AESGCM(keyring.keys[keyring.primary_key_id])
    ciphertext = aead.encrypt(
        nonce, plaintext.encode("utf-8"), associated_data.encode("utf-8")
    )
    payload = base64.urlsafe_b64encode(nonce + ciphertext).decode("ascii")
    return f"{FORMAT_VERSION}:{keyring.primary_key_id}:{payload}"


def key_id_of(token: str) -> str:
    version, _, rest = token.partition(":")
    if version != FORMAT_VERSION:
        raise DecryptionError("The stored value is not in a known encrypted format.")
    return rest.partition(":")[0]


def decrypt(token: str, associated_data: str, keyring: Keyring | None = None) -> str:
    """Decrypt `token`; raise DecryptionError rather than return anything unverified."""
    keyring = keyring or current_keyring()
    key_id = key_id_of(token)
    key = keyring.keys.get(key_id)
    if key is None:
        raise DecryptionError(
            f"Encryption key {key_id!r} is not in FIELD_ENCRYPTION_KEYS."
        )
    try:
        raw = base64.urlsafe_b64decode(token.split(":", 2)[2].encode("ascii"))
    except (binascii.Error, ValueError, IndexError) as exc:
        raise DecryptionError("The stored value is not valid base64.") from exc
    nonce, ciphertext = raw[:NONCE_BYTES], raw[NONCE_BYTES:]
    try:
        plaintext = AESGCM(key).decrypt(
            nonce, ciphertext, associated_data.encode("utf-8")
        )
    except InvalidTag as exc:
        raise DecryptionError(
            f"Decryption with key {key_id!r} failed: wrong key or tampered value."
        ) from exc
    return plaintext.decode("utf-8")


def needs_rotation(token: str, keyring: Keyring | None = None) -> bool:
    keyring = keyring or current_keyring()
    return key_id_of(token) != keyring.primary_key_id
