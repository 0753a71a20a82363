from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from support_dashboard import encryption
from support_dashboard.encryption import DecryptionError, Keyring

KEY_A = encryption.generate_key()
KEY_B = encryption.generate_key()


def keyring(spec: str) -> Keyring:
    return Keyring.parse(spec)


def test_round_trip():
    ring = keyring(f"a:{KEY_A}")
    token = encryption.encrypt("secret-api-key", "row:1", ring)

    assert encryption.decrypt(token, "row:1", ring) == "secret-api-key"


def test_ciphertext_hides_plaintext_and_names_key():
    ring = keyring(f"a:{KEY_A}")
    token = encryption.encrypt("secret-api-key", "row:1", ring)

    assert "secret-api-key" not in token
    assert token.startswith("v1:a:")


def test_same_plaintext_encrypts_differently():
    ring = keyring(f"a:{KEY_A}")

    assert encryption.encrypt("k", "row:1", ring) != encryption.encrypt(
        "k", "row:1", ring
    )


def test_wrong_key_raises():
    token = encryption.encrypt("secret-api-key", "row:1", keyring(f"a:{KEY_A}"))

    with pytest.raises(DecryptionError):
        encryption.decrypt(token, "row:1", keyring(f"a:{KEY_B}"))


def test_unknown_key_id_raises():
    token = encryption.encrypt("secret-api-key", "row:1", keyring(f"a:{KEY_A}"))

    with pytest.raises(DecryptionError, match="not in FIELD_ENCRYPTION_KEYS"):
        encryption.decrypt(token, "row:1", keyring(f"b:{KEY_B}"))


def test_value_moved_to_other_row_raises():
    ring = keyring(f"a:{KEY_A}")
    token = encryption.encrypt("secret-api-key", "row:1", ring)

    with pytest.raises(DecryptionError):
        encryption.decrypt(token, "row:2", ring)


def test_tampered_value_raises():
    ring = keyring(f"a:{KEY_A}")
    token = encryption.encrypt("secret-api-key", "row:1", ring)
    tampered = token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1]

    with pytest.raises(DecryptionError):
        encryption.decrypt(tampered, "row:1", ring)


def test_plaintext_is_never_returned_as_key():
    with pytest.raises(DecryptionError):
        encryption.decrypt("plain-api-key", "row:1", keyring(f"a:{KEY_A}"))


def test_rotation_old_key_still_decrypts():
    old = encryption.encrypt("secret-api-key", "row:1", keyring(f"a:{KEY_A}"))
    rotated = keyring(f"b:{KEY_B},a:{KEY_A}")

    assert encryption.decrypt(old, "row:1", rotated) == "secret-api-key"
    assert encryption.needs_rotation(old, rotated)
    assert encryption.encrypt("x", "row:1", rotated).startswith("v1:b:")


@pytest.mark.parametrize(
    "spec",
    ["", "nokey", "a:not-base64!!", "a:" + "QUJD", f"a:{KEY_A}:extra"],
)
def test_bad_keyring_rejected(spec):
    with pytest.raises(ImproperlyConfigured):
        Keyring.parse(spec)
