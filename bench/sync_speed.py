"""Measure a full index sync against the time the request budget allows.

A full sync sends one list request per 100 applicants and one detail request per
applicant. The background budget lets a sync send `limit` =
JAZZHR_REQUESTS_PER_MINUTE x JAZZHR_BACKGROUND_BUDGET_SHARE requests per window.
The first `limit` requests go at once, and each later slot frees one window after
an earlier request, so R requests need at least floor((R - 1) / limit) windows.

JazzHR's window is 60 seconds, which would make a 1,000-applicant sync take about
25 minutes. The benchmark shrinks the window of both the simulator's rate limit and
the budget to --window seconds instead. The number of requests per window stays
the same, so the measured duration divided by the minimum is what a 60-second
window gives, except that per-request overhead (HTTP, database writes) weighs
--window / 60 times less against a real window. The ratio measured here is
therefore an upper bound. The simulator adds --latency-ms to every reply, scaled
the same way from an assumed real latency.

The sync's task chain runs in this process: each `run_sync` call is one task run,
and a returned delay is slept as the task's countdown would be. The benchmark uses
its own database, like bench/duplicate_check_speed.py.

Usage: .venv/bin/python bench/sync_speed.py [--applicants 1000] [--window 2]
       [--latency-ms 10] [--output FILE]
"""

from __future__ import annotations

import argparse
import datetime
import math
import time
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from duplicate_check_speed import (
    PersonFactory,
    drive_sync_here,
    machine_lines,
    simulator_record,
    temporary_database,
)

from integrations.jazzhr.models import (
    IndexedApplicant,
    IndexSyncState,
    JazzHRCredential,
)
from integrations.jazzhr.services import index
from integrations.jazzhr.simulator import start_simulator
from support_dashboard.customers.models import Ats
from support_dashboard.customers.services import create_customer

JAZZHR_WINDOW_SECONDS = 60.0
JAZZHR_REQUESTS_PER_WINDOW = 80
# Assumed latency of a real JazzHR reply, scaled down with the window.
REAL_LATENCY_MS = 300.0


def control(simulator, api_key: str, path: str = "") -> str:
    return f"{simulator.root_url}/_simulator/accounts/{api_key}{path}"


def create_account(simulator, applicants: int, window: float, latency_ms: float):
    import requests

    response = requests.post(f"{simulator.root_url}/_simulator/accounts", timeout=10)
    api_key = response.json()["api_key"]
    faults = {
        "rate_limit_per_minute": JAZZHR_REQUESTS_PER_WINDOW,
        "rate_limit_window_seconds": window,
        "latency_ms": latency_ms,
    }
    requests.put(control(simulator, api_key, "/faults"), json=faults, timeout=10)
    factory = PersonFactory()
    today = datetime.date.today()
    records = [
        simulator_record(
            factory.person(), today - datetime.timedelta(days=number % 365)
        )
        for number in range(applicants)
    ]
    requests.post(
        control(simulator, api_key, "/applicants"), json=records, timeout=120
    ).raise_for_status()
    return api_key


def request_counts(simulator, api_key: str) -> dict[str, int]:
    """Count the account's requests: list pages, details, and 429 responses."""
    import requests

    log = requests.get(control(simulator, api_key, "/requests"), timeout=30).json()
    paths = [entry["path"] for entry in log]
    return {
        "all": len(log),
        "list": sum("/page/" in path for path in paths),
        "detail": sum(path.count("/") == 3 for path in paths),
        "rate_limited": sum(entry["status"] == 429 for entry in log),
    }


def connect(api_key: str):
    customer = create_customer("Bench sync", ats=Ats.JAZZHR)
    credential = JazzHRCredential(customer=customer, connected_at=timezone.now())
    credential.set_api_key(api_key)
    credential.save()
    return customer


def run_sync_chain(customer) -> tuple[int, float]:
    """Run the sync's task chain here; return the task runs and seconds slept."""
    state = index.schedule_initial_sync(customer)
    runs, slept = 0, 0.0
    while True:
        runs += 1
        delay = index.run_sync(customer.pk, state.run_token)
        if delay is None:
            return runs, slept
        time.sleep(delay)
        slept += delay


def budget_limit() -> int:
    share = settings.JAZZHR_BACKGROUND_BUDGET_SHARE
    return max(1, int(settings.JAZZHR_REQUESTS_PER_MINUTE * share))


def minimum_seconds(requests_sent: int, window: float) -> float:
    return math.floor((requests_sent - 1) / budget_limit()) * window


def measure(applicants: int, window: float, latency_ms: float) -> list[str]:
    settings.JAZZHR_BUDGET_WINDOW_SECONDS = window
    with start_simulator() as simulator:
        settings.JAZZHR_BASE_URL = simulator.base_url
        api_key = create_account(simulator, applicants, window, latency_ms)
        customer = connect(api_key)

        started = time.perf_counter()
        runs, slept = run_sync_chain(customer)
        duration = time.perf_counter() - started
        counts = request_counts(simulator, api_key)

    state = IndexSyncState.objects.get(customer=customer)
    indexed = IndexedApplicant.objects.filter(customer=customer, has_details=True)
    sent = counts["all"]
    minimum = minimum_seconds(sent, window)
    real_minimum = minimum_seconds(sent, JAZZHR_WINDOW_SECONDS)
    return [
        f"- Applicants: {applicants:,} ({indexed.count():,} indexed with details, "
        f"{state.listed_count:,} listed)",
        f"- Window: {window:g} s for the simulator's limit of "
        f"{JAZZHR_REQUESTS_PER_WINDOW} requests and for the budget; background "
        f"budget {budget_limit()} requests per window "
        f"({settings.JAZZHR_REQUESTS_PER_MINUTE} x "
        f"{settings.JAZZHR_BACKGROUND_BUDGET_SHARE:g}); reply latency "
        f"{latency_ms:g} ms",
        f"- Requests: {sent:,}: {counts['list']} list pages and {counts['detail']:,} "
        f"details; {counts['rate_limited']} answered 429",
        f"- Task runs: {runs} ({slept:.1f} s of countdowns)",
        f"- Duration: {duration:.1f} s; minimum the budget allows {minimum:.1f} s; "
        f"ratio {duration / max(minimum, window):.3f}",
        f"- The same sync with JazzHR's 60-second window needs at least "
        f"{real_minimum / 3600:.2f} h",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applicants", type=int, default=1_000)
    parser.add_argument(
        "--window",
        type=float,
        default=2.0,
        help="rate-limit and budget window in seconds (JazzHR's is 60)",
    )
    parser.add_argument(
        "--latency-ms",
        type=float,
        help="simulator reply latency; defaults to 300 ms scaled by window / 60",
    )
    parser.add_argument("--output", type=Path, help="also write the report here")
    arguments = parser.parse_args()
    latency_ms = arguments.latency_ms
    if latency_ms is None:
        latency_ms = REAL_LATENCY_MS * arguments.window / JAZZHR_WINDOW_SECONDS

    drive_sync_here()
    with temporary_database() as database_label:
        lines = ["## Full sync duration", "", *machine_lines(database_label), ""]
        lines += measure(arguments.applicants, arguments.window, latency_ms)

    report = "\n".join(lines) + "\n"
    print(report)
    if arguments.output:
        arguments.output.write_text(report)


if __name__ == "__main__":
    main()
