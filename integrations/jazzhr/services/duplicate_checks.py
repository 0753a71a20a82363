"""Duplicate checks: look for a candidate among the customer's JazzHR applicants."""

from __future__ import annotations

import logging
from django.db import transaction

from integrations.jazzhr.client import JazzHRClient
from integrations.jazzhr.errors import InvalidApiKey, JazzHRError
from integrations.jazzhr.matching import Match, Person, rank_matches, search_names
from integrations.jazzhr.models import DuplicateCheck, WorkStatus
from integrations.jazzhr.services import connection, work

logger = logging.getLogger(__name__)

# Bounds on the live look-up, so one check cannot spend the key's request budget.
MAX_PAGES_PER_NAME = 3
MAX_DETAIL_FETCHES = 8
MAX_MATCHES = 10


def request_duplicate_check(customer, candidate: Person, *, user) -> DuplicateCheck:
    """Record a queued check and enqueue it once the transaction commits."""
    from integrations.jazzhr import tasks

    connection.usable_credential(customer)
    check = DuplicateCheck.objects.create(
        customer=customer,
        requested_by=user,
        first_name=candidate.first_name,
        last_name=candidate.last_name,
        email=candidate.email,
        phone=candidate.phone,
        linkedin_url=candidate.linkedin_url,
    )
    transaction.on_commit(lambda: tasks.run_duplicate_check.delay(str(check.id)))
    logger.info("Queued duplicate check %s for customer %s", check.id, customer.slug)
    return check


def find_live_matches(
    client: JazzHRClient, candidate: Person
) -> list[tuple[Match, Person]]:
    """Search JazzHR by name, fetch the details of the likeliest rows, and rank them.

    List rows carry no email, so a first ranking on names and phones picks at most
    MAX_DETAIL_FETCHES applicants whose details (email, LinkedIn) are fetched.
    """
    rows = {}
    for name in search_names(candidate):
        for row in client.iter_applicants(name=name, max_pages=MAX_PAGES_PER_NAME):
            rows.setdefault(row.id, row)

    name_only = Person(
        first_name=candidate.first_name,
        last_name=candidate.last_name,
        phone=candidate.phone,
    )
    listed = [
        (
            row.id,
            Person(first_name=row.first_name, last_name=row.last_name, phone=row.phone),
        )
        for row in rows.values()
    ]
    shortlist = rank_matches(name_only, listed, limit=MAX_DETAIL_FETCHES)

    people = {}
    for match in shortlist:
        detail = client.get_applicant(match.applicant_id)
        if detail is not None:
            people[detail.id] = person_from_detail(detail)
    ranked = rank_matches(candidate, people.items(), limit=MAX_MATCHES)
    return [(match, people[match.applicant_id]) for match in ranked]


def person_from_detail(detail) -> Person:
    return Person(
        first_name=detail.first_name,
        last_name=detail.last_name,
        email=detail.email,
        phone=detail.phone,
        linkedin_url=detail.linkedin_url,
    )


def match_to_json(match: Match, person: Person) -> dict:
    return {
        "applicant_id": match.applicant_id,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "email": person.email,
        "score": round(match.score, 3),
        "tier": str(match.tier),
        "reasons": list(match.reasons),
    }


def candidate_of(row) -> Person:
    return Person(
        first_name=row.first_name,
        last_name=row.last_name,
        email=row.email,
        phone=row.phone,
        linkedin_url=row.linkedin_url,
    )


def request_count(client) -> int:
    return client.on_response.request_count if client is not None else 0


def run_duplicate_check(check_id) -> DuplicateCheck | None:
    """Run a queued check; return None when it was not queued (already taken)."""
    check = work.claim(DuplicateCheck, check_id)
    if check is None:
        logger.info("Duplicate check %s is not queued; skipping", check_id)
        return None
    logger.info("Running duplicate check %s (attempt %s)", check.id, check.attempts)

    client = None
    try:
        client = connection.client_for(check.customer)
        matches = find_live_matches(client, candidate_of(check))
    except (connection.AtsNotEnabled, connection.NotConnected) as exc:
        logger.warning("Duplicate check %s cannot run: %s", check.id, exc)
        work.finish(check, WorkStatus.FAILED, error=str(exc))
        return check
    except InvalidApiKey as exc:
        logger.warning("Duplicate check %s: JazzHR rejected the key", check.id)
        work.finish(
            check,
            WorkStatus.FAILED,
            error=str(exc),
            jazzhr_request_count=check.jazzhr_request_count + request_count(client),
        )
        return check
    except JazzHRError as exc:
        check.jazzhr_request_count += request_count(client)
        work.requeue_or_fail(check, exc, label="Duplicate check")
        return check

    work.finish(
        check,
        WorkStatus.SUCCEEDED,
        matches=[match_to_json(match, person) for match, person in matches],
        error="",
        jazzhr_request_count=check.jazzhr_request_count + request_count(client),
    )
    logger.info("Duplicate check %s found %s matches", check.id, len(matches))
    return check
