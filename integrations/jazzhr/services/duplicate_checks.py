"""Duplicate checks: look for a candidate among the customer's JazzHR applicants.

A check takes its matches from the customer's applicant index and confirms them
with a bounded live look-up. The look-up lists the applicants who applied since
the day before the index's newest apply date, because JazzHR dates carry no time.
It then fetches the detail of the few new applicants whose names resemble the
candidate, and of the top indexed matches whose detail is missing or old. When
JazzHR cannot be reached, the check still succeeds from the index and reports that in
`notice`.

Until a full sync has listed every applicant, a check searches JazzHR by name
instead and adds whatever the index already contains.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field

from django.db import DatabaseError, transaction
from django.utils import timezone

from integrations.jazzhr.budget import BudgetExhausted, RequestBudget
from integrations.jazzhr.client import PAGE_SIZE, JazzHRClient
from integrations.jazzhr.errors import InvalidApiKey, JazzHRError
from integrations.jazzhr.matching import Match, Person, rank_matches, search_names
from integrations.jazzhr.models import DuplicateCheck, IndexSyncState, WorkStatus
from integrations.jazzhr.services import connection, index, work
from integrations.jazzhr.types import ApplicantSummary

logger = logging.getLogger(__name__)

# Bounds on the live name search, so one check cannot spend the key's budget.
MAX_PAGES_PER_NAME = 3
MAX_DETAIL_FETCHES = 8
MAX_MATCHES = 10
# Bounds on the live confirmation of index results: at most two list requests
# and this many detail requests.
MAX_LIVE_DETAILS = 3
# An indexed detail older than this is fetched again when it is a top match.
DETAIL_MAX_AGE = datetime.timedelta(days=30)
# A check falls back to the index alone rather than wait longer for a request slot.
LIVE_BUDGET_WAIT_SECONDS = 3.0

SOURCE_INDEX = "index"
SOURCE_LIVE = "live"


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
    transaction.on_commit(
        lambda: tasks.run_duplicate_check.delay(str(check.id)), robust=True
    )
    logger.info("Queued duplicate check %s for customer %s", check.id, customer.slug)
    return check


@dataclass
class CheckResult:
    """The people a check compares, by applicant id, and how the check went."""

    people: dict[str, tuple[Person, str]] = field(default_factory=dict)
    notice: str = ""
    index_age_minutes: int | None = None

    def add(self, applicant_id: str, person: Person, source: str) -> None:
        self.people[applicant_id] = (person, source)

    def ranked(self, candidate: Person) -> list[dict]:
        people = ((key, person) for key, (person, _) in self.people.items())
        matches = rank_matches(candidate, people, limit=MAX_MATCHES)
        return [
            match_to_json(match, *self.people[match.applicant_id]) for match in matches
        ]


def name_only(candidate: Person) -> Person:
    """Return the candidate's names and phone, the fields a list row can match."""
    return Person(
        first_name=candidate.first_name,
        last_name=candidate.last_name,
        phone=candidate.phone,
    )


def person_of_row(row: ApplicantSummary) -> Person:
    return Person(first_name=row.first_name, last_name=row.last_name, phone=row.phone)


def find_live_matches(
    client: JazzHRClient, candidate: Person
) -> list[tuple[Match, Person]]:
    """Search JazzHR by name, fetch the details of the likeliest rows, and rank them.

    List rows carry no email, so a first ranking on names and phones picks at most
    MAX_DETAIL_FETCHES applicants whose details (email, LinkedIn) are fetched.
    """
    people = search_live(client, candidate)
    ranked = rank_matches(candidate, people.items(), limit=MAX_MATCHES)
    return [(match, people[match.applicant_id]) for match in ranked]


def search_live(client: JazzHRClient, candidate: Person) -> dict[str, Person]:
    rows = {}
    for name in search_names(candidate):
        for row in client.iter_applicants(name=name, max_pages=MAX_PAGES_PER_NAME):
            rows.setdefault(row.id, row)

    listed = [(row.id, person_of_row(row)) for row in rows.values()]
    shortlist = rank_matches(name_only(candidate), listed, limit=MAX_DETAIL_FETCHES)

    people = {}
    for match in shortlist:
        detail = client.get_applicant(match.applicant_id)
        if detail is not None:
            people[detail.id] = index.person_of(detail)
    return people


def match_to_json(match: Match, person: Person, source: str) -> dict:
    return {
        "applicant_id": match.applicant_id,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "email": person.email,
        "score": round(match.score, 3),
        "tier": str(match.tier),
        "reasons": list(match.reasons),
        "source": source,
    }


def request_count(client) -> int:
    return client.on_response.request_count if client is not None else 0


# Checks from the index


def find_duplicates(customer, client: JazzHRClient, candidate: Person) -> CheckResult:
    """Return the people to rank for `candidate`, from the index or a live search.

    Raises JazzHRError only when the index cannot be used without JazzHR.
    """
    state = index.sync_state(customer)
    if state is None or not state.is_ready:
        return search_without_index(customer, client, candidate)
    shorten_budget_wait(client)
    return search_index(customer, client, candidate, state)


def search_without_index(customer, client, candidate: Person) -> CheckResult:
    result = CheckResult()
    for match, item in index.find_matches(customer, candidate, limit=MAX_MATCHES):
        result.add(match.applicant_id, item.person, SOURCE_INDEX)
    for applicant_id, person in search_live(client, candidate).items():
        result.add(applicant_id, person, SOURCE_LIVE)
    return result


def shorten_budget_wait(client: JazzHRClient) -> None:
    budget = client.before_request
    if isinstance(budget, RequestBudget):
        budget.max_wait_seconds = min(budget.max_wait_seconds, LIVE_BUDGET_WAIT_SECONDS)


def search_index(
    customer, client: JazzHRClient, candidate: Person, state: IndexSyncState
) -> CheckResult:
    result = CheckResult(index_age_minutes=index.age_minutes(state))
    indexed = index.find_matches(
        customer, candidate, limit=MAX_MATCHES + MAX_LIVE_DETAILS
    )
    for match, item in indexed:
        result.add(match.applicant_id, item.person, SOURCE_INDEX)

    confirmation = LiveConfirmation(customer, client, candidate, state, result)
    try:
        confirmation.run([item for _, item in indexed])
    except InvalidApiKey:
        raise
    except JazzHRError as exc:
        logger.warning(
            "Duplicate check of customer %s uses the index alone: %s",
            customer.pk,
            exc,
        )
        result.notice = unreachable_notice(exc, result.index_age_minutes)
    result.notice = " ".join(filter(None, [result.notice, building_notice(state)]))
    return result


def unreachable_notice(error: JazzHRError, age: int | None) -> str:
    source = f"results come from the index, {age} minutes old."
    if isinstance(error, BudgetExhausted):
        return f"The JazzHR request limit for this key is reached; {source}"
    return f"JazzHR could not be reached; {source}"


def building_notice(state: IndexSyncState) -> str:
    if state.last_full_sync_finished_at is not None:
        return ""
    missing = index.awaiting_details_count(state.customer)
    if not missing:
        return ""
    return (
        f"The index is still being built: {missing} applicants have no email in it "
        "yet, so a match by email alone may be missing."
    )


class LiveConfirmation:
    """The bounded JazzHR look-up that confirms index results.

    Each step adds what it read to `result` at once, so a failure part-way keeps
    everything read before it.
    """

    def __init__(self, customer, client, candidate, state, result: CheckResult):
        self.customer = customer
        self.client = client
        self.candidate = candidate
        self.state = state
        self.result = result
        self.details_left = MAX_LIVE_DETAILS
        self.fetched: set[str] = set()

    def run(self, indexed: list[index.IndexedPerson]) -> None:
        new_rows = index.unknown_rows(self.customer, self.list_new_rows())
        listed = [(row.id, person_of_row(row)) for row in new_rows]
        shortlist = rank_matches(
            name_only(self.candidate), listed, limit=MAX_LIVE_DETAILS
        )
        for match in shortlist:
            self.fetch(match.applicant_id)
        for item in indexed[:MAX_LIVE_DETAILS]:
            if needs_refresh(item):
                self.fetch(item.applicant_id)

    def list_new_rows(self) -> list[ApplicantSummary]:
        """List applicants newer than the last sync; narrow by name past one page."""
        since = None
        if self.state.newest_apply_date:
            since = self.state.newest_apply_date - index.APPLY_DATE_OVERLAP
        rows = self.client.list_applicants_page(1, from_apply_date=since)
        names = search_names(self.candidate)
        if len(rows) >= PAGE_SIZE and names:
            rows += self.client.list_applicants_page(
                1, from_apply_date=since, name=names[0]
            )
        return index.unique_rows(rows)

    def fetch(self, applicant_id: str) -> None:
        if self.details_left <= 0 or applicant_id in self.fetched:
            return
        self.details_left -= 1
        self.fetched.add(applicant_id)
        detail = self.client.get_applicant(applicant_id)
        if detail is None:
            self.result.people.pop(applicant_id, None)
            self.save(index.forget_applicant, self.customer, applicant_id)
            return
        self.result.add(detail.id, index.person_of(detail), SOURCE_LIVE)
        self.save(index.save_detail, self.customer, detail)

    def save(self, function, *args) -> None:
        """Write what the check read into the index; a failed write loses nothing."""
        try:
            function(*args)
        except DatabaseError:
            logger.exception(
                "Duplicate check of customer %s could not update the index",
                self.customer.pk,
            )


def needs_refresh(item: index.IndexedPerson) -> bool:
    if not item.has_details or item.details_fetched_at is None:
        return True
    return timezone.now() - item.details_fetched_at > DETAIL_MAX_AGE


def run_duplicate_check(check_id) -> DuplicateCheck | None:
    """Run a queued check; return None when it was not queued (already taken)."""
    check = work.claim(DuplicateCheck, check_id)
    if check is None:
        logger.info("Duplicate check %s is not queued; skipping", check_id)
        return None
    logger.info("Running duplicate check %s (attempt %s)", check.id, check.attempts)

    client = None
    candidate = index.person_of(check)
    try:
        client = connection.client_for(check.customer)
        result = find_duplicates(check.customer, client, candidate)
    except (connection.AtsNotEnabled, connection.NotConnected) as exc:
        logger.warning("Duplicate check %s cannot run: %s", check.id, exc)
        work.finish(check, WorkStatus.FAILED, error=str(exc))
        return check
    except InvalidApiKey as exc:
        logger.warning("Duplicate check %s: JazzHR rejected the key", check.id)
        connection.mark_key_invalid(check.customer, str(exc))
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

    matches = result.ranked(candidate)
    work.finish(
        check,
        WorkStatus.SUCCEEDED,
        matches=matches,
        error="",
        notice=result.notice,
        index_age_minutes=result.index_age_minutes,
        jazzhr_request_count=check.jazzhr_request_count + request_count(client),
    )
    logger.info("Duplicate check %s found %s matches", check.id, len(matches))
    return check
