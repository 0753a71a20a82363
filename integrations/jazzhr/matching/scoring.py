"""Decide whether a candidate and an applicant may be one person, and explain why.

Scores are hand-set weights that order matches within a tier. They are not
calibrated probabilities.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from integrations.jazzhr.matching.contacts import (
    Relation,
    compare_emails,
    compare_values,
)
from integrations.jazzhr.matching.names import (
    NameDifference,
    NameMatch,
    compare_names,
    describe_name_difference,
)
from integrations.jazzhr.matching.prepared import PreparedPerson, prepare
from integrations.jazzhr.matching.records import Match, Person, Tier

# Matches scoring below this are dropped: a namesake with a different email and a
# different phone stays just above it when the name is identical.
MIN_SCORE = 0.3

STRONG_EMAIL_SCORE = 0.96
STRONG_LINKEDIN_SCORE = 0.94
STRONG_PHONE_SCORE = 0.86
EXTRA_IDENTIFIER_BONUS = 0.02
STRONG_NAME_BONUS = 0.03
STRONG_NAME_MISMATCH_PENALTY = 0.06
STRONG_CONFLICT_PENALTY = 0.06

DEMOTED_STRONG_SCORE = 0.78
POSSIBLE_NAME_BONUS = 0.05
DEMOTED_CONFLICT_PENALTY = 0.05
POSSIBLE_NAME_BASE = 0.3
POSSIBLE_NAME_WEIGHT = 0.45
POSSIBLE_CONTACT_BASE = 0.45
POSSIBLE_CONTACT_BONUS = 0.1
DIFFERENT_EMAIL_PENALTY = 0.25
DIFFERENT_PHONE_PENALTY = 0.15
DIFFERENT_LINKEDIN_PENALTY = 0.25

TIER_ORDER = {Tier.STRONG: 0, Tier.POSSIBLE: 1}
LINKING_RELATIONS = frozenset({Relation.SAME, Relation.VARIANT})


class Evidence(NamedTuple):
    """Every comparison between one candidate and one applicant.

    `name_difference` is only filled when the names differ and a contact field
    links the two people, because only the tier and reasons of such a match use it.
    """

    email: Relation
    email_reason: str
    phone: Relation
    linkedin: Relation
    name: NameMatch | None
    has_name_conflict: bool
    name_difference: NameDifference | None


def compare(
    candidate: Person, applicant: Person, applicant_id: str = ""
) -> Match | None:
    """Return the match between two people, or None when nothing links them."""
    return compare_prepared(prepare(candidate), prepare(applicant), applicant_id)


def rank_matches(
    candidate: Person, applicants: Iterable[tuple[str, Person]], limit: int = 10
) -> list[Match]:
    """Return up to `limit` matches: strong first, then by score, then by id."""
    prepared = prepare(candidate)
    matches = []
    for applicant_id, applicant in applicants:
        match = compare_prepared(prepared, prepare(applicant), applicant_id)
        if match is not None:
            matches.append(match)
    matches.sort(key=sort_key)
    return matches[:limit]


def sort_key(match: Match) -> tuple[int, float, str]:
    return TIER_ORDER[match.tier], -match.score, match.applicant_id


def compare_prepared(
    candidate: PreparedPerson, applicant: PreparedPerson, applicant_id: str = ""
) -> Match | None:
    evidence = gather_evidence(candidate, applicant)
    tier = decide_tier(evidence)
    if tier is None:
        return None
    if tier is Tier.STRONG:
        score = strong_score(evidence)
    else:
        score = possible_score(evidence)
    if score < MIN_SCORE:
        return None
    return Match(applicant_id, tier, round(score, 3), explain(evidence))


def gather_evidence(candidate: PreparedPerson, applicant: PreparedPerson) -> Evidence:
    email, email_reason = compare_emails(candidate.email, applicant.email)
    if email is Relation.VARIANT and _is_name_handle(candidate, applicant):
        # A user name spelt from the name neither links nor separates the two.
        email, email_reason = Relation.MISSING, ""
    phone = compare_values(candidate.phone, applicant.phone)
    linkedin = compare_values(candidate.linkedin, applicant.linkedin)
    name = None
    # Every name match shares a form, so disjoint forms skip the name rules.
    if not candidate.name_forms.isdisjoint(applicant.name_forms):
        name = compare_names(candidate.names, applicant.names)
    has_name_conflict = name is None and candidate.has_name and applicant.has_name
    name_difference = None
    if has_name_conflict and LINKING_RELATIONS.intersection((email, phone, linkedin)):
        name_difference = describe_name_difference(candidate.names, applicant.names)
    return Evidence(
        email, email_reason, phone, linkedin, name, has_name_conflict, name_difference
    )


def _is_name_handle(candidate: PreparedPerson, applicant: PreparedPerson) -> bool:
    handle = candidate.email.local_key.replace("_", "").replace("-", "")
    return handle in candidate.email_handles or handle in applicant.email_handles


def decide_tier(evidence: Evidence) -> Tier | None:
    """Return the tier the evidence supports, or None when nothing links the two.

    A LinkedIn profile URL names one person, so it is strong even when the emails
    differ (people keep a work and a personal address). A matching name with a
    different email is at most possible, even with the same phone. An email variant
    or a shared phone does not link two people whose names differ and who have
    different emails: "jsmith@" at two companies, or one household's phone.
    """
    if evidence.email is Relation.SAME or evidence.linkedin is Relation.SAME:
        return Tier.STRONG
    has_conflict = Relation.DIFFERENT in (evidence.email, evidence.linkedin)
    if evidence.name:
        if evidence.phone is Relation.SAME and not has_conflict:
            return Tier.STRONG
        return Tier.POSSIBLE
    if evidence.email is Relation.VARIANT and not evidence.has_name_conflict:
        return Tier.POSSIBLE
    difference = evidence.name_difference
    is_name_change = difference and difference.has_similar_part and not has_conflict
    if evidence.phone is Relation.SAME and is_name_change:
        return Tier.POSSIBLE
    return None


def strong_score(evidence: Evidence) -> float:
    relations = (evidence.email, evidence.linkedin, evidence.phone)
    if evidence.email is Relation.SAME:
        score = STRONG_EMAIL_SCORE
    elif evidence.linkedin is Relation.SAME:
        score = STRONG_LINKEDIN_SCORE
    else:
        score = STRONG_PHONE_SCORE
    score += EXTRA_IDENTIFIER_BONUS * (relations.count(Relation.SAME) - 1)
    score -= STRONG_CONFLICT_PENALTY * relations.count(Relation.DIFFERENT)
    if evidence.name:
        score += STRONG_NAME_BONUS * evidence.name.score
    elif evidence.has_name_conflict:
        score -= STRONG_NAME_MISMATCH_PENALTY
    return min(max(score, 0.0), 1.0)


def possible_score(evidence: Evidence) -> float:
    if evidence.name and evidence.phone is Relation.SAME:
        # Strong but for a different email or LinkedIn profile, so it ranks above
        # matches on the name alone.
        conflicts = (evidence.email, evidence.linkedin).count(Relation.DIFFERENT)
        score = DEMOTED_STRONG_SCORE + POSSIBLE_NAME_BONUS * evidence.name.score
        return score - DEMOTED_CONFLICT_PENALTY * conflicts
    if evidence.name:
        score = POSSIBLE_NAME_BASE + POSSIBLE_NAME_WEIGHT * evidence.name.score
        if evidence.email is Relation.VARIANT:
            score += POSSIBLE_CONTACT_BONUS
    else:
        score = POSSIBLE_CONTACT_BASE
        if evidence.phone is Relation.SAME:
            score += POSSIBLE_CONTACT_BONUS
    score -= _conflict_penalty(evidence)
    return min(max(score, 0.0), 1.0)


def _conflict_penalty(evidence: Evidence) -> float:
    penalty = 0.0
    if evidence.email is Relation.DIFFERENT:
        penalty += DIFFERENT_EMAIL_PENALTY
    if evidence.phone is Relation.DIFFERENT:
        penalty += DIFFERENT_PHONE_PENALTY
    if evidence.linkedin is Relation.DIFFERENT:
        penalty += DIFFERENT_LINKEDIN_PENALTY
    return penalty


def explain(evidence: Evidence) -> tuple[str, ...]:
    """Return the reasons, identifiers first, then the name, then conflicts."""
    reasons = []
    if evidence.email in (Relation.SAME, Relation.VARIANT):
        reasons.append(evidence.email_reason)
    if evidence.linkedin is Relation.SAME:
        reasons.append("same LinkedIn profile")
    if evidence.phone is Relation.SAME:
        reasons.append("same phone")
    if evidence.name:
        reasons.extend(evidence.name.reasons)
    if evidence.email is Relation.DIFFERENT:
        reasons.append(evidence.email_reason)
    if evidence.linkedin is Relation.DIFFERENT:
        reasons.append("different LinkedIn profile")
    if evidence.phone is Relation.DIFFERENT:
        reasons.append("different phone")
    if evidence.name_difference:
        reasons.extend(evidence.name_difference.reasons)
    return tuple(reasons)
