"""Measure duplicate checks against the applicant index.

Two measurements, printed as Markdown:

1. Index latency: the time `index.find_matches` takes (a count of the name keys,
   one look-up query, and ranking with the matcher) for indexes of 1,000, 10,000
   and 100,000 generated applicants. Live JazzHR calls are left out. Each size is
   measured twice: "cold", with the matcher's caches cleared before every check
   (the first checks of a new worker process), and "warm", after WARM_UP_CHECKS
   other checks ran in the same process.
2. JazzHR requests per check: full checks (`run_duplicate_check`) against the
   JazzHR simulator after a full sync, counted in the simulator's request log.

The benchmark creates its own database (a temporary SQLite file, or a new
PostgreSQL database on the server DATABASE_URL points to) and drops it at the end.

Usage: .venv/bin/python bench/duplicate_check_speed.py [--sizes 1000,10000,100000]
       [--checks 500] [--output FILE]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import itertools
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "support_dashboard.settings_test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from integrations.jazzhr.matching import (  # noqa: E402
    Person,
    blocking_keys,
    prepare,
    rank_matches,
)
from integrations.jazzhr.matching.names import prepare_name_field  # noqa: E402
from integrations.jazzhr.models import (  # noqa: E402
    DuplicateCheck,
    IndexedApplicant,
    IndexedApplicantKey,
    JazzHRCredential,
)
from integrations.jazzhr.services import duplicate_checks, index  # noqa: E402
from integrations.jazzhr.simulator import start_simulator  # noqa: E402
from support_dashboard.customers.models import Ats  # noqa: E402
from support_dashboard.customers.services import create_customer  # noqa: E402

SEED = 20261204
DEFAULT_SIZES = (1_000, 10_000, 100_000)
DEFAULT_CHECKS = 500
WARM_UP_CHECKS = 2_000
# A match limit above any candidate set, so recall compares every match.
NO_LIMIT = 1_000_000
INSERT_BATCH = 5_000

# Name frequencies follow w(rank) = 1 / (rank + 10): the most common first name is
# about 1.6 % of applicants and the most common surname about 1.1 %. These shares
# are assumptions for a skewed, realistic-looking population, not measurements.
FIRST_NAME_COUNT = 3_000
SURNAME_COUNT = 50_000
RANK_OFFSET = 10
SYLLABLES = (
    "an", "ber", "ca", "da", "del", "el", "fa", "gar", "ha", "ik", "jo", "ka", "la",
    "lin", "ma", "mer", "na", "nor", "o", "pa", "ra", "ren", "sa", "sol", "ta",
    "ton", "u", "va", "vin", "wa", "ya", "zo",
)  # fmt: skip
EMAIL_DOMAINS = ("gmail.com", "outlook.com", "yahoo.com", "example.com")
LINKEDIN_SHARE = 0.3
PHONE_SHARE = 0.6

# Request-count run: applicants in the simulator, applicants added after the sync
# (about ten minutes of a busy account), and the mix of candidates checked.
REQUEST_RUN_APPLICANTS = 1_000
REQUEST_RUN_NEW_APPLICANTS = 5
REQUEST_RUN_CHECKS = 200


# Database and machine


@contextlib.contextmanager
def temporary_database() -> Iterator[str]:
    """Create and migrate a database of the benchmark's own, then drop it."""
    setup_test_environment()
    test_settings = connection.settings_dict["TEST"]
    folder = None
    if connection.vendor == "sqlite":
        folder = tempfile.TemporaryDirectory(prefix="jazzhr-bench-")
        test_settings["NAME"] = str(Path(folder.name) / "bench.sqlite3")
        label = "SQLite (temporary file)"
    else:
        test_settings["NAME"] = f"bench_jazzhr_{os.getpid()}"
        label = f"{connection.display_name} (temporary database)"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        yield label
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        if folder is not None:
            folder.cleanup()


def cpu_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def machine_lines(database_label: str) -> list[str]:
    nproc = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    return [
        f"- Machine: {nproc} CPUs (`nproc`), {cpu_model()}",
        f"- Python {platform.python_version()}, Django {django.get_version()}",
        f"- Database: {database_label}",
        f"- Date: {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC",
        f"- Command: `.venv/bin/python {' '.join(sys.argv)}`",
    ]


# Generated people


def synthetic_names(rng: random.Random, count: int, syllables: int) -> list[str]:
    names: set[str] = set()
    ordered = []
    while len(ordered) < count:
        parts = rng.choices(SYLLABLES, k=rng.randint(syllables, syllables + 1))
        name = "".join(parts).capitalize()
        if name not in names:
            names.add(name)
            ordered.append(name)
    return ordered


def cumulative_weights(count: int) -> list[float]:
    return list(
        itertools.accumulate(1 / (rank + RANK_OFFSET) for rank in range(1, count + 1))
    )


class PersonFactory:
    """People with skewed name frequencies and unique emails and phones."""

    def __init__(self, seed: int = SEED) -> None:
        self.rng = random.Random(seed)
        self.first_names = synthetic_names(self.rng, FIRST_NAME_COUNT, 2)
        self.surnames = synthetic_names(self.rng, SURNAME_COUNT, 3)
        self.first_weights = cumulative_weights(FIRST_NAME_COUNT)
        self.surname_weights = cumulative_weights(SURNAME_COUNT)
        self.serial = itertools.count(1)

    def person(self) -> Person:
        rng = self.rng
        number = next(self.serial)
        first = rng.choices(self.first_names, cum_weights=self.first_weights)[0]
        last = rng.choices(self.surnames, cum_weights=self.surname_weights)[0]
        domain = rng.choice(EMAIL_DOMAINS)
        phone = f"412{number:07d}" if rng.random() < PHONE_SHARE else ""
        linkedin = ""
        if rng.random() < LINKEDIN_SHARE:
            linkedin = f"https://www.linkedin.com/in/{first}-{last}-{number}".lower()
        return Person(
            first_name=first,
            last_name=last,
            email=f"{first}.{last}{number}@{domain}".lower(),
            phone=phone,
            linkedin_url=linkedin,
        )

    def duplicate_of(self, person: Person) -> Person:
        """Return the same person as a recruiter might source them again."""
        variant = self.rng.randrange(4)
        if variant == 0:
            return Person(person.first_name, person.last_name + "-Smith", person.email)
        if variant == 1:
            return Person(person.first_name, person.last_name, phone=person.phone)
        if variant == 2:
            return Person(person.first_name[:3], person.last_name)
        return Person(self.typo_of(person.first_name), person.last_name)

    def typo_of(self, name: str) -> str:
        """Return `name` with one letter replaced, the first and last included."""
        position = self.rng.randrange(len(name))
        letter = self.rng.choice("abcdefghijklmnopqrstuvwxyz")
        return (name[:position] + letter + name[position + 1 :]).capitalize()


def candidates(factory: PersonFactory, people: list[Person], count: int):
    """Half new people from the same name distribution, half re-sourced ones."""
    rng = factory.rng
    for _ in range(count):
        if rng.random() < 0.5:
            yield factory.duplicate_of(rng.choice(people))
        else:
            yield factory.person()


# Index latency


def fill_index(customer, people: list[Person]) -> None:
    """Insert applicants and their keys in batches, without a sync."""
    today = timezone.localdate()
    now = timezone.now()
    for start in range(0, len(people), INSERT_BATCH):
        batch = people[start : start + INSERT_BATCH]
        applicants = [
            IndexedApplicant(
                customer=customer,
                jazzhr_applicant_id=f"prospect_bench_{start + offset:09d}",
                first_name=person.first_name,
                last_name=person.last_name,
                email=person.email,
                phone=person.phone,
                linkedin_url=person.linkedin_url,
                apply_date=today,
                has_details=True,
                details_fetched_at=now,
            )
            for offset, person in enumerate(batch)
        ]
        IndexedApplicant.objects.bulk_create(applicants)
        saved = IndexedApplicant.objects.filter(
            customer=customer,
            jazzhr_applicant_id__in=[item.jazzhr_applicant_id for item in applicants],
        )
        IndexedApplicantKey.objects.bulk_create(
            IndexedApplicantKey(customer=customer, applicant=applicant, key=key)
            for applicant in saved
            for key in index.search_keys(index.person_of(applicant))
        )
    # Table statistics for the query planner, as PostgreSQL's autovacuum would
    # gather them after a sync.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def clear_matcher_caches() -> None:
    prepare.cache_clear()
    prepare_name_field.cache_clear()


def time_checks(customer, checks: list[Person], *, cold: bool) -> list[float]:
    limit = duplicate_checks.MAX_MATCHES + duplicate_checks.MAX_LIVE_DETAILS
    durations = []
    for candidate in checks:
        if cold:
            clear_matcher_caches()
        started = time.perf_counter()
        index.find_matches(customer, candidate, limit=limit)
        durations.append((time.perf_counter() - started) * 1000)
    return durations


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def candidate_set_sizes(customer, checks: list[Person]) -> list[int]:
    return [len(index.find_candidates(customer, candidate)) for candidate in checks]


def matched_ids(customer, candidate: Person) -> set[str]:
    matches = index.find_matches(customer, candidate, limit=NO_LIMIT)
    return {match.applicant_id for match, _ in matches}


def matched_ids_by_blocking_keys(customer, candidate: Person) -> set[str]:
    """Match against every applicant sharing a blocking key, as with no sub-keys."""
    keys = [key[: index.KEY_MAX_LENGTH] for key in blocking_keys(candidate)]
    applicant_ids = IndexedApplicantKey.objects.filter(
        customer=customer, key__in=keys
    ).values("applicant_id")
    people = [
        (applicant.jazzhr_applicant_id, index.person_of(applicant))
        for applicant in IndexedApplicant.objects.filter(pk__in=applicant_ids)
    ]
    return {match.applicant_id for match in rank_matches(candidate, people, NO_LIMIT)}


def missed_matches(customer, checks: list[Person]) -> tuple[int, int]:
    """Count matches the sub-key look-up misses, of all that blocking keys find."""
    missed = total = 0
    for candidate in checks:
        expected = matched_ids_by_blocking_keys(customer, candidate)
        missed += len(expected - matched_ids(customer, candidate))
        total += len(expected)
    return missed, total


def measure_size(size: int, check_count: int) -> str:
    factory = PersonFactory()
    customer = create_customer(f"Bench {size}", ats=Ats.JAZZHR)
    people = [factory.person() for _ in range(size)]
    started = time.perf_counter()
    fill_index(customer, people)
    fill_seconds = time.perf_counter() - started
    warm_up = list(candidates(factory, people, WARM_UP_CHECKS))
    checks = list(candidates(factory, people, check_count))
    sizes = candidate_set_sizes(customer, checks)
    missed, total = missed_matches(customer, checks)

    clear_matcher_caches()
    cold = time_checks(customer, checks, cold=True)
    time_checks(customer, warm_up, cold=False)
    warm = time_checks(customer, checks, cold=False)
    keys = IndexedApplicantKey.objects.filter(customer=customer).count()
    return (
        f"| {size:,} | {keys:,} | {fill_seconds:.0f} s "
        f"| {statistics.median(sizes):.0f} / {percentile(sizes, 0.95):.0f} "
        f"/ {max(sizes)} "
        f"| {statistics.median(cold):.1f} / {percentile(cold, 0.95):.1f} "
        f"| {statistics.median(warm):.1f} / {percentile(warm, 0.95):.1f} "
        f"| {missed} of {total} |"
    )


# JazzHR requests per check


def simulator_record(person: Person, apply_date: datetime.date) -> dict:
    return {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "email": person.email,
        "phone": person.phone,
        "linkedin_url": person.linkedin_url,
        "apply_date": apply_date.isoformat(),
    }


def load_simulator_account(simulator, factory: PersonFactory):
    """Create a simulator account with applicants spread over the last year."""
    import requests

    control = f"{simulator.root_url}/_simulator/accounts"
    api_key = requests.post(control, timeout=10).json()["api_key"]
    requests.put(
        f"{control}/{api_key}/faults", json={"rate_limit_per_minute": None}, timeout=10
    ).raise_for_status()
    today = datetime.date.today()
    people = [factory.person() for _ in range(REQUEST_RUN_APPLICANTS)]
    records = [
        simulator_record(person, today - datetime.timedelta(days=1 + number % 365))
        for number, person in enumerate(people)
    ]
    requests.post(
        f"{control}/{api_key}/applicants", json=records, timeout=60
    ).raise_for_status()
    return api_key, people


def add_new_applicants(simulator, api_key: str, factory: PersonFactory):
    import requests

    people = [factory.person() for _ in range(REQUEST_RUN_NEW_APPLICANTS)]
    records = [simulator_record(person, datetime.date.today()) for person in people]
    requests.post(
        f"{simulator.root_url}/_simulator/accounts/{api_key}/applicants",
        json=records,
        timeout=10,
    ).raise_for_status()
    return people


def request_log_length(simulator, api_key: str) -> int:
    import requests

    url = f"{simulator.root_url}/_simulator/accounts/{api_key}/stats"
    return requests.get(url, timeout=10).json()["requests"]


def run_check(customer, candidate: Person) -> DuplicateCheck:
    check = DuplicateCheck.objects.create(
        customer=customer,
        first_name=candidate.first_name,
        last_name=candidate.last_name,
        email=candidate.email,
        phone=candidate.phone,
        linkedin_url=candidate.linkedin_url,
    )
    duplicate_checks.run_duplicate_check(check.id)
    check.refresh_from_db()
    return check


def drive_sync_here() -> None:
    """Run sync task chains in this process instead of enqueueing Celery tasks."""
    index.enqueue_run = lambda *args, **kwargs: None


def sync_fully(customer) -> None:
    state = index.schedule_initial_sync(customer)
    while index.run_sync(customer.pk, state.run_token) is not None:
        pass


def measure_requests() -> list[str]:
    settings.JAZZHR_REQUESTS_PER_MINUTE = 1_000_000
    factory = PersonFactory(SEED + 1)
    with start_simulator() as simulator:
        settings.JAZZHR_BASE_URL = simulator.base_url
        api_key, people = load_simulator_account(simulator, factory)
        customer = create_customer("Bench requests", ats=Ats.JAZZHR)
        credential = JazzHRCredential(customer=customer, connected_at=timezone.now())
        credential.set_api_key(api_key)
        credential.save()
        sync_fully(customer)
        new_people = add_new_applicants(simulator, api_key, factory)

        counts, new_counts, found_new = [], [], 0
        pool = people + new_people
        for candidate in candidates(factory, pool, REQUEST_RUN_CHECKS):
            before = request_log_length(simulator, api_key)
            run_check(customer, candidate)
            counts.append(request_log_length(simulator, api_key) - before)
        for person in new_people:
            before = request_log_length(simulator, api_key)
            check = run_check(customer, factory.duplicate_of(person))
            new_counts.append(request_log_length(simulator, api_key) - before)
            found_new += any(match["source"] == "live" for match in check.matches)
    return [
        f"- Simulator account: {REQUEST_RUN_APPLICANTS:,} applicants, fully synced, "
        f"then {REQUEST_RUN_NEW_APPLICANTS} applicants added today (after the sync)",
        f"- {REQUEST_RUN_CHECKS} checks, half re-sourced applicants, half new people",
        f"- JazzHR requests per check: median {statistics.median(counts):.0f}, "
        f"p95 {percentile(counts, 0.95):.0f}, max {max(counts)}, "
        f"mean {statistics.mean(counts):.2f}",
        f"- Checks for the {len(new_people)} applicants added after the sync that "
        f"found them live: {found_new} of {len(new_people)}, with "
        f"{', '.join(str(count) for count in new_counts)} requests",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        default=",".join(str(size) for size in DEFAULT_SIZES),
        help="comma-separated index sizes, in applicants",
    )
    parser.add_argument(
        "--checks", type=int, default=DEFAULT_CHECKS, help="checks timed per size"
    )
    parser.add_argument("--output", type=Path, help="also write the report here")
    arguments = parser.parse_args()
    sizes = [int(size) for size in arguments.sizes.split(",")]

    drive_sync_here()
    with temporary_database() as database_label:
        lines = ["## Index latency", "", *machine_lines(database_label), ""]
        lines += [
            "| Applicants | Keys | Fill time | Candidates per check (median / p95 "
            "/ max) | Cold ms (p50 / p95) | Warm ms (p50 / p95) | Matches missed "
            "by sub-keys |",
            "|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for size in sizes:
            lines.append(measure_size(size, arguments.checks))
            print(lines[-1], file=sys.stderr)
        lines += ["", "## JazzHR requests per check", "", *measure_requests()]

    report = "\n".join(lines) + "\n"
    print(report)
    if arguments.output:
        arguments.output.write_text(report)


if __name__ == "__main__":
    main()
