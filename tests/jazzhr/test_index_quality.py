"""Recruiter decisions after duplicate checks, counted per customer."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from integrations.jazzhr.models import DuplicateCheck, Upload, UploadAction, WorkStatus
from integrations.jazzhr.services import quality
from support_dashboard.customers.models import Ats
from support_dashboard.customers.services import create_customer

STRONG = {"applicant_id": "prospect_strong", "tier": "strong", "score": 0.96}
POSSIBLE = {"applicant_id": "prospect_possible", "tier": "possible", "score": 0.6}


@pytest.fixture
def customer(db):
    return create_customer("Acme Robotics", ats=Ats.JAZZHR)


@pytest.fixture
def other_customer(db):
    return create_customer("Globex", ats=Ats.JAZZHR)


def check(customer, matches, status=WorkStatus.SUCCEEDED) -> DuplicateCheck:
    return DuplicateCheck.objects.create(
        customer=customer,
        first_name="Ada",
        last_name="Lovelace",
        status=status,
        matches=matches,
    )


def upload(check: DuplicateCheck, merge_with: str = "") -> Upload:
    return Upload.objects.create(
        customer=check.customer,
        first_name=check.first_name,
        last_name=check.last_name,
        duplicate_check=check,
        matches_shown=check.matches,
        action=UploadAction.MERGE if merge_with else UploadAction.CREATE,
        merge_with_applicant_id=merge_with,
    )


def test_outcomes_count_checks_followed_by_upload(customer):
    upload(check(customer, []))
    check(customer, [STRONG])
    check(customer, [], status=WorkStatus.FAILED)

    outcomes = quality.check_outcomes(customer)

    assert outcomes.checks == 2
    assert outcomes.checks_with_upload == 1
    assert outcomes.upload_rate == 0.5


def test_outcomes_count_top_match_merges(customer):
    upload(check(customer, [STRONG, POSSIBLE]), merge_with="prospect_strong")
    upload(check(customer, [STRONG, POSSIBLE]), merge_with="prospect_possible")
    upload(check(customer, [STRONG, POSSIBLE]), merge_with="prospect_elsewhere")
    upload(check(customer, [POSSIBLE]))

    outcomes = quality.check_outcomes(customer)

    assert outcomes.decisions_with_matches == 4
    assert outcomes.top_match_merges == 1
    assert outcomes.other_match_merges == 1
    assert outcomes.unshown_merges == 1
    assert outcomes.top_match_rate == pytest.approx(1 / 4)


def test_outcomes_count_new_despite_strong_match(customer):
    upload(check(customer, [STRONG]))
    upload(check(customer, [POSSIBLE, STRONG]))
    upload(check(customer, [STRONG]), merge_with="prospect_strong")
    upload(check(customer, [POSSIBLE]))

    outcomes = quality.check_outcomes(customer)

    assert outcomes.decisions_with_strong_match == 3
    assert outcomes.creates_despite_strong_match == 2
    assert outcomes.create_despite_strong_rate == pytest.approx(2 / 3)


def test_outcomes_use_first_upload_of_check(customer):
    decided = check(customer, [STRONG])
    upload(decided)
    upload(decided, merge_with="prospect_strong")

    outcomes = quality.check_outcomes(customer)

    assert outcomes.checks_with_upload == 1
    assert outcomes.creates_despite_strong_match == 1
    assert outcomes.top_match_merges == 0


def test_outcomes_keep_customers_apart(customer, other_customer):
    upload(check(other_customer, [STRONG]))

    outcomes = quality.check_outcomes(customer)

    assert outcomes == quality.CheckOutcomes()


def test_outcomes_since_leaves_older_checks_out(customer):
    old = check(customer, [STRONG])
    upload(old)
    DuplicateCheck.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=40)
    )
    upload(check(customer, [STRONG]), merge_with="prospect_strong")

    outcomes = quality.check_outcomes(
        customer, since=timezone.now() - datetime.timedelta(days=30)
    )

    assert outcomes.checks == 1
    assert outcomes.top_match_merges == 1
    assert outcomes.creates_despite_strong_match == 0


def test_outcomes_rates_empty_without_checks(customer):
    outcomes = quality.check_outcomes(customer)

    assert outcomes.upload_rate is None
    assert outcomes.top_match_rate is None
    assert outcomes.create_despite_strong_rate is None
