"""Canonical forms of emails, phone numbers and LinkedIn profile URLs."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from urllib.parse import unquote

import phonenumbers

GMAIL_DOMAIN = "gmail.com"
GMAIL_DOMAINS = frozenset({"gmail.com", "googlemail.com"})

# Role mailboxes: the same user name at two domains is no evidence about a person.
ROLE_LOCAL_PARTS = frozenset(
    {
        "admin",
        "careers",
        "contact",
        "hello",
        "hi",
        "hr",
        "info",
        "jobs",
        "mail",
        "me",
        "office",
        "recruiting",
        "resume",
        "sales",
        "support",
    }
)
MIN_LOCAL_KEY_LENGTH = 4

# Fewer digits than this cannot identify a subscriber in any numbering plan.
MIN_PHONE_DIGITS = 7
FALLBACK_PHONE_DIGITS = 10

_NON_DIGITS = re.compile(r"\D+")
_LINKEDIN_PROFILE = re.compile(
    r"^(?:https?://)?(?:[a-z0-9-]+\.)?linkedin\.com/in/([^/?#\s]+)",
    re.IGNORECASE,
)


class Relation(Enum):
    """Relation between a candidate's contact field and the applicant's."""

    SAME = "same"
    VARIANT = "variant"
    DIFFERENT = "different"
    MISSING = "missing"


@dataclass(frozen=True, slots=True)
class EmailAddress:
    """An email address in the forms the matcher compares.

    `cleaned` is trimmed and case-folded, `canonical` also applies Gmail's rules, and
    `local_key` is the user name without dots or +tag (empty for role mailboxes).
    """

    cleaned: str = ""
    canonical: str = ""
    local_key: str = ""
    domain: str = ""


def clean_email(raw: str) -> str:
    """Return the address trimmed and case-folded, or "" unless it is user@domain."""
    email = (raw or "").strip().casefold()
    email = email.removeprefix("mailto:").strip("<> \t")
    local, at, domain = email.rpartition("@")
    if not at or not local or "." not in domain or "@" in local:
        return ""
    return email


def canonical_email(raw: str) -> str:
    """Return the address used to decide "same email".

    Gmail ignores dots and everything after "+" in the user name, and googlemail.com
    is the same mailbox as gmail.com. Other domains keep their user name as typed,
    because many providers treat dots as significant.
    """
    email = clean_email(raw)
    if not email:
        return ""
    local, _, domain = email.rpartition("@")
    if domain not in GMAIL_DOMAINS:
        return email
    local = local.partition("+")[0].replace(".", "")
    if not local:
        return ""
    return f"{local}@{GMAIL_DOMAIN}"


def parse_email(raw: str) -> EmailAddress:
    cleaned = clean_email(raw)
    if not cleaned:
        return EmailAddress()
    local, _, domain = cleaned.rpartition("@")
    local_key = local.partition("+")[0].replace(".", "")
    if local_key in ROLE_LOCAL_PARTS or len(local_key) < MIN_LOCAL_KEY_LENGTH:
        local_key = ""
    return EmailAddress(
        cleaned=cleaned,
        canonical=canonical_email(cleaned),
        local_key=local_key,
        domain=domain,
    )


def compare_emails(
    candidate: EmailAddress, applicant: EmailAddress
) -> tuple[Relation, str]:
    """Return how two addresses relate and the reason to show for it."""
    if not candidate.canonical or not applicant.canonical:
        return Relation.MISSING, ""
    if candidate.canonical == applicant.canonical:
        return Relation.SAME, _same_email_reason(candidate, applicant)
    if candidate.local_key and candidate.local_key == applicant.local_key:
        return Relation.VARIANT, _email_variant_reason(candidate, applicant)
    return Relation.DIFFERENT, "different email"


def _same_email_reason(candidate: EmailAddress, applicant: EmailAddress) -> str:
    if candidate.cleaned == applicant.cleaned:
        return "same email"
    ignored = _ignored_differences(candidate, applicant, dots_label="Gmail dots")
    if candidate.domain != applicant.domain:
        ignored.append("googlemail.com")
    return "same email ignoring " + _join_words(ignored)


def _email_variant_reason(candidate: EmailAddress, applicant: EmailAddress) -> str:
    if candidate.domain != applicant.domain:
        return "same email user name at another domain"
    ignored = _ignored_differences(candidate, applicant, dots_label="dots")
    return "same email ignoring " + _join_words(ignored)


def _join_words(words: list[str]) -> str:
    if len(words) < 2:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def _ignored_differences(
    candidate: EmailAddress, applicant: EmailAddress, dots_label: str
) -> list[str]:
    candidate_local = candidate.cleaned.rpartition("@")[0]
    applicant_local = applicant.cleaned.rpartition("@")[0]
    candidate_user, _, candidate_tag = candidate_local.partition("+")
    applicant_user, _, applicant_tag = applicant_local.partition("+")
    ignored = []
    if candidate_user != applicant_user:
        ignored.append(dots_label)
    if candidate_tag != applicant_tag:
        ignored.append("+tag")
    return ignored


def phone_digits(raw: str, default_region: str = "US") -> str:
    """Return the national significant number of a phone number, or "".

    Numbers without a country code are read in `default_region`. A leading "00"
    is read as the international prefix used outside North America. When the
    number is not valid there, a single leading 0 is taken as the national trunk
    prefix of another country ("07400 123456" from the UK) and dropped. Other
    invalid numbers keep their last 10 digits. Fewer than 7 digits return "", so
    placeholders never match.
    """
    digits = _NON_DIGITS.sub("", raw or "")
    if len(digits) < MIN_PHONE_DIGITS:
        return ""
    number = _parse_phone(raw, digits, default_region)
    if number is not None and phonenumbers.is_valid_number(number):
        return phonenumbers.national_significant_number(number)
    if digits.startswith("0") and not digits.startswith("00"):
        return digits[1:]
    return digits[-FALLBACK_PHONE_DIGITS:]


def _parse_phone(
    raw: str, digits: str, default_region: str
) -> phonenumbers.PhoneNumber | None:
    text = "+" + digits[2:] if digits.startswith("00") else raw
    try:
        return phonenumbers.parse(text, default_region)
    except phonenumbers.NumberParseException:
        return None


def linkedin_slug(raw: str) -> str:
    """Return the case-folded profile slug of a linkedin.com/in/ URL, or "".

    Accepts URLs with or without scheme, with "www." or a locale subdomain such as
    "uk.", and with a trailing path, query or fragment.
    """
    match = _LINKEDIN_PROFILE.match((raw or "").strip())
    if match is None:
        return ""
    return unquote(match.group(1)).strip().casefold()


def compare_values(candidate: str, applicant: str) -> Relation:
    """Return how two canonical phone numbers or slugs relate. Empty never matches."""
    if not candidate or not applicant:
        return Relation.MISSING
    if candidate == applicant:
        return Relation.SAME
    return Relation.DIFFERENT
