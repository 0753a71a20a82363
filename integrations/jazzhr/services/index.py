"""The applicant index: syncing it from JazzHR, and looking candidates up in it.

A sync first lists applicants, 100 rows a page, then fetches the detail (email,
phone, LinkedIn URL) of every listed applicant that has none, one request each. It
runs as a chain of Celery tasks with the background share of the key's request
budget. Each task run stops after MAX_REQUESTS_PER_RUN requests or
MAX_SECONDS_PER_RUN seconds (less under a short task time limit) and enqueues the
next one. Progress is saved after every page and every detail, so a killed worker
loses at most one request.

The first sync of a customer lists every applicant. Later ones list only applicants
whose apply date is on or after the day before the newest apply date seen, because
JazzHR dates carry no time of day. An idle index is listed in full again after
FULL_SYNC_INTERVAL, which picks up renamed applicants.
"""

from __future__ import annotations

import datetime
import logging
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from integrations.jazzhr.budget import Priority
from integrations.jazzhr.client import PAGE_SIZE, JazzHRClient
from integrations.jazzhr.errors import InvalidApiKey, JazzHRError, RateLimited
from integrations.jazzhr.matching import (
    Match,
    Person,
    blocking_keys,
    prepare,
    rank_matches,
)
from integrations.jazzhr.matching.names import NameField
from integrations.jazzhr.models import (
    CredentialStatus,
    IndexedApplicant,
    IndexedApplicantKey,
    IndexSyncState,
    SyncPhase,
    Upload,
    UploadAction,
)
from integrations.jazzhr.services import connection, work
from integrations.jazzhr.types import ApplicantDetail, ApplicantSummary
from support_dashboard.customers.models import Ats, Customer

logger = logging.getLogger(__name__)

MAX_REQUESTS_PER_RUN = 60
MAX_SECONDS_PER_RUN = 50.0
# A run never takes more than this share of the task's soft time limit, which
# leaves the rest for the step in flight when the run's time is up.
MAX_SHARE_OF_TIME_LIMIT = 0.5
# Another worker may take over a sync whose lease ran out. A run renews the lease
# with every saved step, and one step takes at most the budget wait plus the HTTP
# timeout, well under this.
LEASE = datetime.timedelta(seconds=120)
# The beat restarts a sync whose chain has not run for this long past its
# scheduled resume time, for example after a worker died between two runs.
STALLED_AFTER = datetime.timedelta(minutes=5)
FULL_SYNC_INTERVAL = datetime.timedelta(days=1)
APPLY_DATE_OVERLAP = datetime.timedelta(days=1)
# An apply date further ahead than this is a data error and must not move the
# incremental sync's starting date past the applicants still to come.
MAX_FUTURE_APPLY_DATE = datetime.timedelta(days=1)
# A page of the run that adds no applicant unseen in this sync, twice in a row,
# means JazzHR repeats pages, so listing stops there.
MAX_PAGES_WITHOUT_NEW_IDS = 2

KEY_MAX_LENGTH = IndexedApplicantKey._meta.get_field("key").max_length
NAME_KEY_PREFIX = "n:"
MAX_NAME_BLOCK = 100
# The columns of IndexedApplicant that hold a matcher Person, in its field order.
PERSON_FIELDS = ("first_name", "last_name", "email", "phone", "linkedin_url")


class LeaseLost(Exception):
    """Another run took over the sync, so this run must stop without saving."""


@dataclass(slots=True)
class IndexedPerson:
    """An indexed applicant as a matcher `Person`, with how fresh its detail is."""

    applicant_id: str
    person: Person
    has_details: bool
    details_fetched_at: datetime.datetime | None


# Selectors


def sync_state(customer: Customer) -> IndexSyncState | None:
    return IndexSyncState.objects.filter(customer=customer).first()


def age_minutes(state: IndexSyncState, now: datetime.datetime | None = None) -> int:
    """Return whole minutes since the index was last brought up to date."""
    finished = state.last_sync_finished_at or state.full_listing_finished_at
    if finished is None:
        return 0
    elapsed = (now or timezone.now()) - finished
    return max(0, int(elapsed.total_seconds() // 60))


def awaiting_details_count(customer: Customer) -> int:
    return IndexedApplicant.objects.for_customer(customer).awaiting_details().count()


def connected_customers():
    return Customer.objects.filter(
        ats=Ats.JAZZHR, jazzhr_credential__status=CredentialStatus.VALID
    )


# Look-ups
#
# Besides the matcher's blocking keys, every applicant is stored under "a:" sub-keys
# that pair each name form with features of the other name field. A name key shared
# by more than MAX_NAME_BLOCK applicants (a common first name or surname) is looked
# up through these sub-keys instead. The candidates of "John Smith" are then the
# Smiths whose first name may be John and the Johns whose surname may be Smith.
#
# The matcher accepts a pair by name only when one part shares a form and the other
# part is similar: the same nickname group, a prefix, an initial, an ending, or a
# typo. The features keep each of these: the nickname group ("~robert"), the first
# two letters ("<ro"), the last two (">rt"), the first and last letter ("=rt") and
# the initial. Take one typing error: one letter replaced, added, removed or swapped
# with its neighbour. In a name of four letters or more it leaves at least one of
# these intact: the first two letters, the last two, or the first and last together.
# NOTE: inside a common name's block, typos of two edits (allowed for names of
# eight letters or more) that change both ends of a name are missed.


def search_keys(person: Person) -> list[str]:
    """Return every key the index stores for `person`."""
    keys = blocking_keys(person) | name_subkeys(person, for_lookup=False)
    return sorted({key[:KEY_MAX_LENGTH] for key in keys})


def name_subkeys(person: Person, *, for_lookup: bool) -> set[str]:
    prepared = prepare(person)
    keys = set()
    for field, other in (
        (prepared.last, prepared.first),
        (prepared.first, prepared.last),
    ):
        features = name_features(other, for_lookup=for_lookup)
        keys.update(
            f"a:{form}|{feature}" for form in field.forms for feature in features
        )
    return keys


def name_features(field: NameField, *, for_lookup: bool) -> set[str]:
    """Return the parts of a name field that a similar name field shares.

    An initial alone ("J") matches any name with that initial, so stored names
    carry "^j" for look-ups by an initial, and look-ups by a whole name ask for
    "1j", which only initials carry.
    """
    features = {f"~{name}" for name in field.nickname_group}
    for word in {field.first, field.compact} - {""}:
        if len(word) == 1:
            features.add(f"1{word}")
            if for_lookup:
                features.add(f"^{word}")
            continue
        features.update((f"<{word[:2]}", f">{word[-2:]}", f"={word[0]}{word[-1]}"))
        features.add(f"1{word[0]}" if for_lookup else f"^{word[0]}")
    return features


def lookup_keys(customer: Customer, candidate: Person) -> list[str]:
    """Return the keys to look `candidate` up by, with sub-keys for common names."""
    keys = {key[:KEY_MAX_LENGTH] for key in blocking_keys(candidate)}
    name_keys = [key for key in keys if key.startswith(NAME_KEY_PREFIX)]
    counts = (
        IndexedApplicantKey.objects.filter(customer=customer, key__in=name_keys)
        .values_list("key")
        .annotate(count=Count("id"))
    )
    common = {key for key, count in counts if count > MAX_NAME_BLOCK}
    if common:
        subkeys = name_subkeys(candidate, for_lookup=True)
        keys = (keys - common) | {key[:KEY_MAX_LENGTH] for key in subkeys}
    return sorted(keys)


def find_candidates(customer: Customer, candidate: Person) -> list[IndexedPerson]:
    """Return the indexed applicants that share a look-up key with `candidate`.

    One query loads them, after a count of the candidate's name keys.
    """
    keys = lookup_keys(customer, candidate)
    if not keys:
        return []
    applicant_ids = IndexedApplicantKey.objects.filter(
        customer=customer, key__in=keys
    ).values("applicant_id")
    rows = IndexedApplicant.objects.filter(pk__in=applicant_ids).values_list(
        "jazzhr_applicant_id", *PERSON_FIELDS, "has_details", "details_fetched_at"
    )
    return [indexed_person(row) for row in rows]


def indexed_person(row: tuple) -> IndexedPerson:
    applicant_id, *person_fields, has_details, details_fetched_at = row
    return IndexedPerson(
        applicant_id, Person(*person_fields), has_details, details_fetched_at
    )


def find_matches(
    customer: Customer, candidate: Person, limit: int = 10
) -> list[tuple[Match, IndexedPerson]]:
    """Rank the indexed applicants that may be `candidate`, best first."""
    candidates = {
        item.applicant_id: item for item in find_candidates(customer, candidate)
    }
    people = ((applicant_id, item.person) for applicant_id, item in candidates.items())
    ranked = rank_matches(candidate, people, limit=limit)
    return [(match, candidates[match.applicant_id]) for match in ranked]


# Writes


def person_of(applicant) -> Person:
    """Return the matcher's view of any record with the five contact fields.

    Indexed applicants, JazzHR applicant details, checks and uploads all have them.
    """
    return Person(
        first_name=applicant.first_name,
        last_name=applicant.last_name,
        email=applicant.email,
        phone=applicant.phone,
        linkedin_url=applicant.linkedin_url,
    )


def clipped(value: str, field_name: str) -> str:
    """Return `value` cut to the column's length; JazzHR enforces no lengths."""
    max_length = IndexedApplicant._meta.get_field(field_name).max_length
    return (value or "")[:max_length]


def replace_keys(applicants: Iterable[IndexedApplicant]) -> None:
    """Store each applicant's keys (`search_keys`) in place of the ones it had."""
    applicants = list(applicants)
    if not applicants:
        return
    IndexedApplicantKey.objects.filter(applicant__in=applicants).delete()
    IndexedApplicantKey.objects.bulk_create(
        [
            IndexedApplicantKey(
                customer_id=applicant.customer_id, applicant=applicant, key=key
            )
            for applicant in applicants
            for key in search_keys(person_of(applicant))
        ],
        ignore_conflicts=True,
    )


def unique_rows(rows: Iterable[ApplicantSummary]) -> list[ApplicantSummary]:
    """Drop repeated ids: JazzHR lists an applicant once per job."""
    seen: dict[str, ApplicantSummary] = {}
    for row in rows:
        if row.id:
            seen.setdefault(row.id, row)
    return list(seen.values())


def apply_row(applicant: IndexedApplicant, row: ApplicantSummary) -> bool:
    """Copy a list row's fields; return True when the applicant's keys may change.

    A renamed applicant may also have a new email, so its detail is fetched again.
    """
    first_name = clipped(row.first_name, "first_name")
    last_name = clipped(row.last_name, "last_name")
    renamed = (first_name, last_name) != (applicant.first_name, applicant.last_name)
    phone = clipped(row.phone, "phone") or applicant.phone
    rekey = renamed or phone != applicant.phone
    applicant.first_name = first_name
    applicant.last_name = last_name
    applicant.phone = phone
    applicant.apply_date = row.apply_date or applicant.apply_date
    if renamed:
        applicant.has_details = False
        applicant.is_detail_unavailable = False
    return rekey


def save_listed_rows(customer: Customer, rows: Iterable[ApplicantSummary]) -> int:
    """Upsert one page of list rows and return how many applicants were new."""
    rows = unique_rows(rows)
    now = timezone.now()
    existing = {
        applicant.jazzhr_applicant_id: applicant
        for applicant in IndexedApplicant.objects.filter(
            customer=customer, jazzhr_applicant_id__in=[row.id for row in rows]
        )
    }
    created, changed = [], []
    for row in rows:
        applicant = existing.get(row.id)
        if applicant is None:
            applicant = IndexedApplicant(customer=customer, jazzhr_applicant_id=row.id)
            created.append(applicant)
        if apply_row(applicant, row) and applicant.pk:
            changed.append(applicant)
        applicant.listed_at = now
        applicant.updated_at = now

    # A check may have added one of these applicants since the read above.
    IndexedApplicant.objects.bulk_create(created, ignore_conflicts=True)
    IndexedApplicant.objects.bulk_update(
        list(existing.values()),
        [
            "first_name",
            "last_name",
            "phone",
            "apply_date",
            "has_details",
            "is_detail_unavailable",
            "listed_at",
            "updated_at",
        ],
    )
    replace_keys(reloaded(customer, created) + changed)
    return len(created)


def unknown_rows(
    customer: Customer, rows: list[ApplicantSummary]
) -> list[ApplicantSummary]:
    """Return the rows the index lacks, or stores under another name."""
    known = {
        applicant_id: (first_name, last_name)
        for applicant_id, first_name, last_name in IndexedApplicant.objects.filter(
            customer=customer, jazzhr_applicant_id__in=[row.id for row in rows]
        ).values_list("jazzhr_applicant_id", "first_name", "last_name")
    }
    return [
        row
        for row in rows
        if known.get(row.id)
        != (clipped(row.first_name, "first_name"), clipped(row.last_name, "last_name"))
    ]


def reloaded(customer: Customer, applicants: list[IndexedApplicant]):
    """Return the saved rows of `applicants`, whose primary keys SQLite may not set."""
    if not applicants:
        return []
    return list(
        IndexedApplicant.objects.filter(
            customer=customer,
            jazzhr_applicant_id__in=[item.jazzhr_applicant_id for item in applicants],
        )
    )


def save_person(
    customer: Customer,
    applicant_id: str,
    person: Person,
    *,
    apply_date: datetime.date | None = None,
) -> IndexedApplicant:
    """Store an applicant's full record (its detail) in the index, keys included."""
    applicant, _ = IndexedApplicant.objects.get_or_create(
        customer=customer, jazzhr_applicant_id=applicant_id
    )
    applicant.first_name = clipped(person.first_name, "first_name")
    applicant.last_name = clipped(person.last_name, "last_name")
    applicant.email = clipped(person.email, "email")
    applicant.phone = clipped(person.phone, "phone") or applicant.phone
    applicant.linkedin_url = clipped(person.linkedin_url, "linkedin_url")
    applicant.apply_date = apply_date or applicant.apply_date
    applicant.has_details = True
    applicant.is_detail_unavailable = False
    applicant.details_fetched_at = timezone.now()
    applicant.save()
    replace_keys([applicant])
    return applicant


def save_detail(customer: Customer, detail: ApplicantDetail) -> IndexedApplicant:
    return save_person(
        customer, detail.id, person_of(detail), apply_date=detail.apply_date
    )


def forget_applicant(customer: Customer, applicant_id: str) -> None:
    """Remove an applicant that JazzHR reports as unknown (deleted)."""
    IndexedApplicant.objects.filter(
        customer=customer, jazzhr_applicant_id=applicant_id
    ).delete()


def record_upload(upload: Upload) -> None:
    """Add the applicant an upload created to the index at once.

    A merge changes no field the index keeps, so it adds nothing. Database errors
    are logged, not raised, because the upload has already succeeded in JazzHR and
    the next sync lists the applicant anyway.
    """
    if upload.action != UploadAction.CREATE or not upload.jazzhr_applicant_id:
        return
    try:
        save_person(
            upload.customer,
            upload.jazzhr_applicant_id,
            person_of(upload),
            apply_date=timezone.localdate(),
        )
    except DatabaseError:
        logger.exception(
            "Could not add applicant %s of upload %s to the index",
            upload.jazzhr_applicant_id,
            upload.id,
        )


# Starting and scheduling syncs


def schedule_initial_sync(customer: Customer) -> IndexSyncState | None:
    """Start the first, full sync of a newly connected customer."""
    return start_sync(customer, full=True)


def wants_full_sync(state: IndexSyncState, now: datetime.datetime) -> bool:
    if not state.is_ready or state.newest_apply_date is None:
        return True
    finished = state.last_full_sync_finished_at
    return finished is None or now - finished >= FULL_SYNC_INTERVAL


def start_sync(customer: Customer, *, full: bool = False) -> IndexSyncState | None:
    """Start a sync and enqueue it once the transaction commits.

    A sync that is running already goes on unchanged, and None is returned.
    """
    state, _ = IndexSyncState.objects.get_or_create(customer=customer)
    now = timezone.now()
    full = full or wants_full_sync(state, now)
    list_from_date = None
    if not full:
        list_from_date = state.newest_apply_date - APPLY_DATE_OVERLAP
    token = uuid.uuid4().hex
    started = IndexSyncState.objects.filter(pk=state.pk, phase=SyncPhase.IDLE).update(
        phase=SyncPhase.LISTING,
        is_full_sync=full,
        list_from_date=list_from_date,
        cursor_page=1,
        listed_count=0,
        detailed_count=0,
        sync_started_at=now,
        failure_count=0,
        run_token=token,
        lease_expires_at=None,
        resume_at=None,
        updated_at=now,
    )
    if not started:
        logger.info("Index sync of customer %s is running already", customer.pk)
        return None
    enqueue_run(customer.pk, token)
    logger.info(
        "Started %s index sync of customer %s",
        "a full" if full else "an incremental",
        customer.pk,
    )
    state.refresh_from_db()
    return state


def enqueue_run(customer_id: int, run_token: str, delay: float = 0.0) -> None:
    from integrations.jazzhr import tasks

    transaction.on_commit(
        lambda: tasks.sync_index.apply_async(
            (customer_id, run_token), countdown=max(0.0, delay)
        )
    )


def is_stalled(state: IndexSyncState, now: datetime.datetime) -> bool:
    if not state.is_running:
        return False
    if state.lease_expires_at and state.lease_expires_at > now:
        return False
    last_activity = state.resume_at or state.last_run_at or state.sync_started_at
    return last_activity is None or now - last_activity > STALLED_AFTER


def resume_sync(state: IndexSyncState) -> bool:
    """Give a stalled sync a new task chain; the old chain stops at its next run."""
    token = uuid.uuid4().hex
    now = timezone.now()
    resumed = IndexSyncState.objects.filter(
        pk=state.pk, run_token=state.run_token
    ).update(run_token=token, failure_count=0, resume_at=None, updated_at=now)
    if resumed:
        logger.warning(
            "Resuming stalled index sync of customer %s in phase %s",
            state.customer_id,
            state.phase,
        )
        enqueue_run(state.customer_id, token)
    return bool(resumed)


def schedule_due_syncs() -> int:
    """Start or resume the sync of every connected customer; return how many."""
    now = timezone.now()
    scheduled = 0
    for customer in connected_customers():
        state = sync_state(customer)
        if state is None or not state.is_running:
            scheduled += start_sync(customer) is not None
        elif is_stalled(state, now):
            scheduled += resume_sync(state)
    return scheduled


# Running a sync


def claim(customer_id: int, run_token: str) -> IndexSyncState | None:
    """Take the sync's lease for this run, or return None when it is not ours."""
    now = timezone.now()
    claimed = (
        IndexSyncState.objects.filter(customer_id=customer_id, run_token=run_token)
        .exclude(run_token="")
        .filter(Q(lease_expires_at__isnull=True) | Q(lease_expires_at__lt=now))
        .update(lease_expires_at=now + LEASE, last_run_at=now, resume_at=None)
    )
    if not claimed:
        return None
    return IndexSyncState.objects.select_related("customer").get(
        customer_id=customer_id
    )


def save_state(state: IndexSyncState, **fields) -> None:
    """Save `fields` and renew the lease, unless another run took the sync over."""
    now = timezone.now()
    fields.setdefault("lease_expires_at", now + LEASE)
    fields["updated_at"] = now
    saved = IndexSyncState.objects.filter(
        pk=state.pk, run_token=state.run_token
    ).update(**fields)
    if not saved:
        raise LeaseLost(f"Index sync of customer {state.customer_id} was taken over")
    for name, value in fields.items():
        setattr(state, name, value)


@dataclass
class SyncRun:
    """One task run of a sync and the limits it stops at."""

    state: IndexSyncState
    client: JazzHRClient
    deadline: float
    requests_left: int
    pages_without_new_ids: int = 0

    @property
    def customer(self) -> Customer:
        return self.state.customer

    def may_continue(self) -> bool:
        return self.requests_left > 0 and time.monotonic() < self.deadline


def run_sync(customer_id: int, run_token: str) -> float | None:
    """Advance a sync by one bounded run.

    Returns the seconds after which the task chain runs again, or None when the
    chain ends: the sync finished, another chain owns it, or it cannot go on
    without a person (key rejected, customer disconnected).
    """
    state = claim(customer_id, run_token)
    if state is None:
        logger.info("Index sync run of customer %s is not current", customer_id)
        return None
    try:
        return run_claimed(state)
    except LeaseLost:
        logger.warning("Index sync of customer %s was taken over", customer_id)
        return None


def run_claimed(state: IndexSyncState) -> float | None:
    try:
        client = connection.client_for(state.customer, priority=Priority.BACKGROUND)
        run = SyncRun(
            state,
            client,
            deadline=time.monotonic() + run_seconds(),
            requests_left=MAX_REQUESTS_PER_RUN,
        )
        finished = advance(run)
    except (connection.AtsNotEnabled, connection.NotConnected) as exc:
        return pause(state, str(exc))
    except InvalidApiKey as exc:
        connection.mark_key_invalid(state.customer, str(exc))
        return pause(state, str(exc))
    except JazzHRError as exc:
        return back_off(state, exc)

    if finished:
        finish(state)
        return None
    save_state(state, lease_expires_at=None, failure_count=0, last_error="")
    return 0.0


def run_seconds() -> float:
    soft_limit = getattr(settings, "CELERY_TASK_SOFT_TIME_LIMIT", None)
    if not soft_limit:
        return MAX_SECONDS_PER_RUN
    return min(MAX_SECONDS_PER_RUN, soft_limit * MAX_SHARE_OF_TIME_LIMIT)


def advance(run: SyncRun) -> bool:
    """Run sync steps until the run's limits; return True when the sync is done."""
    while run.may_continue():
        if run.state.phase == SyncPhase.LISTING:
            list_next_page(run)
        elif run.state.phase == SyncPhase.FETCHING_DETAILS:
            if not fetch_next_detail(run):
                return True
        else:
            return True
        run.requests_left -= 1
    return False


def list_filters(state: IndexSyncState) -> dict:
    if state.is_full_sync or state.list_from_date is None:
        return {}
    return {"from_apply_date": state.list_from_date}


def list_next_page(run: SyncRun) -> None:
    state = run.state
    rows = run.client.list_applicants_page(state.cursor_page, **list_filters(state))
    with transaction.atomic():
        new_count = count_unseen(run, rows)
        save_listed_rows(run.customer, rows)
        fields = {
            "cursor_page": state.cursor_page + 1,
            "listed_count": state.listed_count + len(unique_rows(rows)),
            "newest_apply_date": newest_apply_date(state.newest_apply_date, rows),
        }
        run.pages_without_new_ids = 0 if new_count else run.pages_without_new_ids + 1
        if len(rows) < PAGE_SIZE or stops_repeating(run, state):
            fields.update(listing_finished_fields(state))
        save_state(state, **fields)


def count_unseen(run: SyncRun, rows: list[ApplicantSummary]) -> int:
    """Count rows not yet listed in this sync, before they are saved."""
    ids = {row.id for row in rows if row.id}
    seen = IndexedApplicant.objects.filter(
        customer=run.customer,
        jazzhr_applicant_id__in=ids,
        listed_at__gte=run.state.sync_started_at,
    ).count()
    return len(ids) - seen


def stops_repeating(run: SyncRun, state: IndexSyncState) -> bool:
    if run.pages_without_new_ids < MAX_PAGES_WITHOUT_NEW_IDS:
        return False
    logger.warning(
        "Index sync of customer %s stopped listing at page %s: JazzHR repeated "
        "full pages of applicants already listed",
        state.customer_id,
        state.cursor_page,
    )
    return True


def listing_finished_fields(state: IndexSyncState) -> dict:
    fields = {"phase": SyncPhase.FETCHING_DETAILS}
    if state.is_full_sync:
        fields["full_listing_finished_at"] = timezone.now()
        recheck_unlisted(state)
    return fields


def recheck_unlisted(state: IndexSyncState) -> int:
    """Queue a detail fetch for applicants that the full listing did not return.

    They were deleted in JazzHR, or the key now belongs to another account. A
    detail request settles it: an unknown id removes the applicant. They are not
    removed right away, because a page can skip a row when JazzHR deletes an
    applicant on an earlier page while the listing runs.
    """
    started = state.sync_started_at
    unlisted = IndexedApplicant.objects.filter(
        customer_id=state.customer_id, created_at__lt=started
    ).filter(Q(listed_at__lt=started) | Q(listed_at__isnull=True))
    count = unlisted.update(has_details=False, is_detail_unavailable=False)
    if count:
        logger.info(
            "Index sync of customer %s rechecks %s applicants missing from the list",
            state.customer_id,
            count,
        )
    return count


def newest_apply_date(
    current: datetime.date | None, rows: list[ApplicantSummary]
) -> datetime.date | None:
    latest_plausible = timezone.localdate() + MAX_FUTURE_APPLY_DATE
    dates = [
        row.apply_date
        for row in rows
        if row.apply_date and row.apply_date <= latest_plausible
    ]
    if current:
        dates.append(current)
    return max(dates, default=None)


def fetch_next_detail(run: SyncRun) -> bool:
    """Fetch and save one missing detail; return False when none is missing."""
    applicant = (
        IndexedApplicant.objects.for_customer(run.customer).awaiting_details().first()
    )
    if applicant is None:
        return False
    try:
        detail = run.client.get_applicant(applicant.jazzhr_applicant_id)
    except JazzHRError as exc:
        if exc.transient or isinstance(exc, InvalidApiKey):
            raise
        with transaction.atomic():
            mark_detail_unavailable(applicant, exc)
            save_detail_progress(run, applicant)
        return True

    with transaction.atomic():
        if detail is None:
            forget_applicant(run.customer, applicant.jazzhr_applicant_id)
        else:
            save_detail(run.customer, detail)
        save_detail_progress(run, applicant)
    return True


def save_detail_progress(run: SyncRun, applicant: IndexedApplicant) -> None:
    save_state(
        run.state,
        cursor_applicant_id=applicant.jazzhr_applicant_id,
        detailed_count=run.state.detailed_count + 1,
    )


def mark_detail_unavailable(applicant: IndexedApplicant, error: JazzHRError) -> None:
    logger.warning(
        "Index sync skips the detail of applicant %s of customer %s: %s",
        applicant.jazzhr_applicant_id,
        applicant.customer_id,
        error,
    )
    applicant.is_detail_unavailable = True
    applicant.save(update_fields=["is_detail_unavailable", "updated_at"])


def finish(state: IndexSyncState) -> None:
    now = timezone.now()
    fields = {
        "phase": SyncPhase.IDLE,
        "cursor_page": 1,
        "total_count": IndexedApplicant.objects.for_customer(state.customer).count(),
        "last_sync_finished_at": now,
        "failure_count": 0,
        "last_error": "",
        "lease_expires_at": None,
    }
    if state.is_full_sync:
        fields["last_full_sync_finished_at"] = now
    save_state(state, **fields)
    IndexSyncState.objects.filter(pk=state.pk).update(run_token="")
    logger.info(
        "Index sync of customer %s finished: %s listed, %s details, %s indexed",
        state.customer_id,
        state.listed_count,
        state.detailed_count,
        state.total_count,
    )


def pause(state: IndexSyncState, message: str) -> None:
    """Stop the chain until a person fixes the cause; the beat resumes it then."""
    logger.warning("Index sync of customer %s paused: %s", state.customer_id, message)
    save_state(state, lease_expires_at=None, last_error=message)
    return None


def back_off(state: IndexSyncState, error: JazzHRError) -> float | None:
    """Schedule the next run after a transient error, or pause after too many.

    A 429 or a used-up request budget waits `retry_after`; other errors back off
    exponentially.
    """
    # Waiting for the rate limit is expected while syncing, so it is no failure.
    is_rate_limited = isinstance(error, RateLimited)
    failures = state.failure_count + (0 if is_rate_limited else 1)
    if failures > settings.JAZZHR_MAX_ATTEMPTS:
        return pause(state, f"{error} The sync stopped after {failures - 1} retries.")
    delay = work.retry_delay(failures, error)
    logger.warning(
        "Index sync of customer %s failed (attempt %s), retrying in %.1f s: %s",
        state.customer_id,
        failures,
        delay,
        error,
    )
    save_state(
        state,
        lease_expires_at=None,
        failure_count=failures,
        last_error=str(error),
        resume_at=timezone.now() + datetime.timedelta(seconds=delay),
    )
    return delay
