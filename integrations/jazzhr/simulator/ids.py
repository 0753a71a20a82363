"""Identifier formats used by JazzHR records and by the simulator's API keys."""

from __future__ import annotations

import random
import secrets
import string
from datetime import datetime

ID_ALPHABET = string.ascii_uppercase + string.digits
ID_SUFFIX_LENGTH = 16
# Maps each random byte to a character of ID_ALPHABET. 256 is not a multiple of 36,
# so the first four characters come up slightly more often. Simulated ids can
# live with that bias.
BYTE_TO_ID_CHARACTER = bytes(
    ord(ID_ALPHABET[value % len(ID_ALPHABET)]) for value in range(256)
)


def format_id_timestamp(created_at: datetime) -> str:
    return created_at.strftime("%Y%m%d%H%M%S")


def make_record_id(prefix: str, rng: random.Random, timestamp: str) -> str:
    """Build an id like ``prospect_20121030151055_BKTQHUTGXV4FGQVS``.

    ``timestamp`` is the creation time formatted by ``format_id_timestamp``, passed in
    already formatted so bulk loads format it once per batch.
    """
    suffix = rng.randbytes(ID_SUFFIX_LENGTH).translate(BYTE_TO_ID_CHARACTER).decode()
    return f"{prefix}_{timestamp}_{suffix}"


def make_api_key() -> str:
    return secrets.token_hex(16)
