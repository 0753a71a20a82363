"""Duplicate detection between sourced candidates and JazzHR applicants.

Pure functions without Django or HTTP: `compare` and `rank_matches` decide and
explain matches, `blocking_keys` and `search_names` find the applicants to compare.
"""

from __future__ import annotations

from integrations.jazzhr.matching.blocking import blocking_keys, search_names
from integrations.jazzhr.matching.contacts import (
    canonical_email,
    linkedin_slug,
    phone_digits,
)
from integrations.jazzhr.matching.prepared import PreparedPerson, prepare
from integrations.jazzhr.matching.records import Match, Person, Tier
from integrations.jazzhr.matching.scoring import compare, rank_matches

__all__ = [
    "Match",
    "Person",
    "PreparedPerson",
    "Tier",
    "blocking_keys",
    "canonical_email",
    "compare",
    "linkedin_slug",
    "phone_digits",
    "prepare",
    "rank_matches",
    "search_names",
]
