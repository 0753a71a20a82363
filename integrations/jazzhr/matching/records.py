"""Value types shared by the matcher and its callers."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


@dataclass(frozen=True)
class Person:
    """Identity fields of a candidate or a JazzHR applicant, as entered."""

    first_name: str = ""
    last_name: str = ""
    email: str = ""
    phone: str = ""
    linkedin_url: str = ""


class Tier(StrEnum):
    STRONG = "strong"
    POSSIBLE = "possible"


@dataclass(frozen=True)
class Match:
    """An applicant that may be the candidate, with a score in [0, 1] and reasons.

    Reasons are short phrases for a recruiter, most important first.
    """

    applicant_id: str
    tier: Tier
    score: float
    reasons: tuple[str, ...]
