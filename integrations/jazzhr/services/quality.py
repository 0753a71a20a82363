"""Recruiter decisions after duplicate checks, as a measure of the matcher.

Every upload requested from a check keeps the matches the recruiter was shown
(`Upload.matches_shown`, best first) and the choice made: upload as new, or merge
with one applicant. The first upload after a check is its decision; a later one is
usually a retry of the same decision.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from integrations.jazzhr.matching import Tier
from integrations.jazzhr.models import DuplicateCheck, Upload, UploadAction, WorkStatus


@dataclass(frozen=True)
class CheckOutcomes:
    """Counts of recruiter decisions after one customer's successful checks."""

    checks: int = 0
    checks_with_upload: int = 0
    # Decisions made while at least one match was shown.
    decisions_with_matches: int = 0
    top_match_merges: int = 0
    # Merges into a lower match shown, where the ranking put another one first.
    other_match_merges: int = 0
    # Merges into an applicant the check did not show.
    unshown_merges: int = 0
    # Decisions made while at least one strong match was shown.
    decisions_with_strong_match: int = 0
    creates_despite_strong_match: int = 0

    @property
    def upload_rate(self) -> float | None:
        return ratio(self.checks_with_upload, self.checks)

    @property
    def top_match_rate(self) -> float | None:
        """Share of decisions with matches shown that merged into the top match."""
        return ratio(self.top_match_merges, self.decisions_with_matches)

    @property
    def create_despite_strong_rate(self) -> float | None:
        """Share of decisions with a strong match shown that uploaded as new."""
        return ratio(
            self.creates_despite_strong_match, self.decisions_with_strong_match
        )


def ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def check_outcomes(
    customer, *, since: datetime.datetime | None = None
) -> CheckOutcomes:
    """Count what recruiters did after the customer's checks created since `since`."""
    checks = DuplicateCheck.objects.filter(
        customer=customer, status=WorkStatus.SUCCEEDED
    )
    if since is not None:
        checks = checks.filter(created_at__gte=since)
    decisions = first_uploads(checks)

    counts = {
        "checks": checks.count(),
        "checks_with_upload": len(decisions),
        "decisions_with_matches": 0,
        "top_match_merges": 0,
        "other_match_merges": 0,
        "unshown_merges": 0,
        "decisions_with_strong_match": 0,
        "creates_despite_strong_match": 0,
    }
    for decision in decisions:
        count_decision(counts, decision)
    return CheckOutcomes(**counts)


def first_uploads(checks) -> list[dict]:
    """Return the earliest upload of each check, as the recruiter's decision."""
    uploads = (
        Upload.objects.filter(duplicate_check__in=checks)
        .order_by("duplicate_check_id", "created_at")
        .values(
            "duplicate_check_id", "action", "merge_with_applicant_id", "matches_shown"
        )
    )
    decisions = {}
    for upload in uploads:
        decisions.setdefault(upload["duplicate_check_id"], upload)
    return list(decisions.values())


def count_decision(counts: dict[str, int], decision: dict) -> None:
    matches_shown = decision["matches_shown"] or []
    if not matches_shown:
        return
    counts["decisions_with_matches"] += 1
    if decision["action"] == UploadAction.MERGE:
        shown_ids = [match.get("applicant_id") for match in matches_shown]
        merged_id = decision["merge_with_applicant_id"]
        if merged_id == shown_ids[0]:
            counts["top_match_merges"] += 1
        elif merged_id in shown_ids:
            counts["other_match_merges"] += 1
        else:
            counts["unshown_merges"] += 1
    if any(match.get("tier") == Tier.STRONG for match in matches_shown):
        counts["decisions_with_strong_match"] += 1
        if decision["action"] == UploadAction.CREATE:
            counts["creates_despite_strong_match"] += 1
