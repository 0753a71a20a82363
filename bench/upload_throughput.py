"""Measure upload throughput against JazzHR's rate limit, and the queue's overhead.

Starts the JazzHR simulator in this process and a Celery worker as a subprocess,
posts uploads through the service layer (`request_upload`) and prints a Markdown
report. Each budget given with --budgets gets its own simulator account and worker.

Time is scaled. JazzHR allows about 80 requests per key in 60 s. The simulator here
allows 80 requests per --window-seconds (10 s by default), and the worker's budget
window (JAZZHR_BUDGET_WINDOW_SECONDS) has the same length, with the budget as its
request count. One window then plays one JazzHR minute: uploads per window compare
directly with the per-minute limit, and each JazzHR minute takes 10 s to run.

With DATABASE_URL and CELERY_BROKER_URL set, the worker uses that database and
broker (PostgreSQL and Redis). Without them it uses a new SQLite file and the
file-system broker. The budget is shared between worker processes only in Redis, so
without REDIS_URL the worker runs a single process.

Usage: .venv/bin/python bench/upload_throughput.py [--uploads N] [--budgets 70,76]
       [--window-seconds S] [--output FILE]
"""

from __future__ import annotations

import argparse
import datetime
import logging
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import requests

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"
JAZZHR_LIMIT = 80
# The simulator stamps a request when it arrives, which is after the budget granted
# its slot by a few milliseconds, or by tens when the CPUs are busy. So a full
# budget can show more requests in a window on the simulator's clock. This margin
# gives a second, shorter window that absorbs most of that delay.
ARRIVAL_MARGIN_SECONDS = 0.1
SEQUENTIAL_UPLOADS = 20
WORKER_START_TIMEOUT = 60.0


class RequestTimes(logging.Handler):
    """The simulator's API requests, from its log: (logged at, handling seconds).

    The simulator logs each request after sending the reply, with the time it took
    to handle it. That handling time plays the part of JazzHR's own time.
    """

    def __init__(self) -> None:
        super().__init__(level=logging.INFO)
        self.requests: list[tuple[float, float]] = []

    def emit(self, record: logging.LogRecord) -> None:
        arguments = record.args
        if isinstance(arguments, tuple) and len(arguments) == 4:
            if str(arguments[1]).startswith("/v1/"):
                self.requests.append((record.created, float(arguments[3]) / 1000))

    def seconds_between(self, start: float, end: float) -> float:
        return sum(taken for at, taken in self.requests if start <= at <= end)


@dataclass(frozen=True)
class Timing:
    """Timings of one upload in seconds: to claim, to finish, and JazzHR's part."""

    queue_wait: float
    total: float
    jazzhr: float

    @property
    def overhead(self) -> float:
        return self.total - self.jazzhr


@dataclass(frozen=True)
class ThroughputRun:
    budget: int
    uploads: int
    per_window: list[int]
    elapsed: float
    succeeded: int
    failed: int
    unfinished: int
    duplicates: int
    rate_limited: int
    max_in_window: int
    max_in_shorter_window: int
    backlog_wait: list[float]


# Environment and processes


def configure_environment(
    simulator_url: str, window_seconds: float
) -> tuple[dict, list[Path]]:
    """Set what settings.py reads, before Django starts.

    Returns the worker's environment and the files this run creates under var/.
    """
    run_id = uuid.uuid4().hex[:8]
    values = {
        "DJANGO_SETTINGS_MODULE": "support_dashboard.settings",
        "JAZZHR_BASE_URL": simulator_url,
        "CELERY_TASK_DEFAULT_QUEUE": f"bench-uploads-{run_id}",
        "JAZZHR_BUDGET_WINDOW_SECONDS": str(window_seconds),
        # A 429 makes the key wait one scaled JazzHR minute.
        "JAZZHR_RATE_LIMIT_BACKOFF_SECONDS": str(window_seconds),
        "LOG_LEVEL": "WARNING",
    }
    created = []
    if not os.environ.get("DATABASE_URL"):
        created.append(VAR_DIR / f"bench-{run_id}.sqlite3")
        values["DATABASE_URL"] = f"sqlite:///{created[-1]}"
    if not os.environ.get("CELERY_BROKER_URL"):
        created.append(VAR_DIR / f"bench-broker-{run_id}")
        values["CELERY_BROKER_URL"] = "filesystem://"
        values["CELERY_BROKER_FOLDER"] = str(created[-1])
    VAR_DIR.mkdir(exist_ok=True)
    os.environ.update(values)
    return {**os.environ, "PYTHONUNBUFFERED": "1"}, created


def remove_created(paths: list[Path]) -> None:
    for path in paths:
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        for file in path.parent.glob(f"{path.name}*"):
            if file.is_file():
                file.unlink()


def start_worker(env: dict, budget: int, concurrency: int, log_path: Path):
    queue = env["CELERY_TASK_DEFAULT_QUEUE"]
    command = [sys.executable, "-m", "celery", "-A", "support_dashboard", "worker"]
    command += ["--loglevel=INFO", f"--concurrency={concurrency}"]
    command += ["--without-mingle", "--without-gossip", "-Q", queue]
    command += ["-n", f"{queue}-{budget}@%h"]
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            command,
            cwd=BASE_DIR,
            env={**env, "JAZZHR_REQUESTS_PER_MINUTE": str(budget)},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    deadline = time.monotonic() + WORKER_START_TIMEOUT
    while b" ready." not in log_path.read_bytes():
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"The worker did not start. Its log is {log_path}")
        time.sleep(0.2)
    return process


def stop_worker(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def setup_django() -> None:
    import django
    from django.conf import settings
    from django.core.management import call_command

    django.setup()
    if not settings.JAZZHR_BASE_URL.startswith("http://127.0.0.1:"):
        raise RuntimeError("JAZZHR_BASE_URL must point at the local simulator.")
    call_command("migrate", verbosity=0)


# Accounts, customers and uploads


def new_account(simulator, window_seconds: float) -> tuple[str, str]:
    """Create a simulator account with one job, and return its key and job id."""
    control = f"{simulator.root_url}/_simulator/accounts"
    api_key = requests.post(control, timeout=10).json()["api_key"]
    faults = {
        "rate_limit_per_minute": JAZZHR_LIMIT,
        "rate_limit_window_seconds": window_seconds,
    }
    requests.put(f"{control}/{api_key}/faults", json=faults, timeout=10)
    jobs = [{"title": "Backend Engineer", "status": "Open"}]
    response = requests.post(f"{control}/{api_key}/jobs", json=jobs, timeout=10)
    return api_key, response.json()["ids"][0]


def new_customer(api_key: str, budget: int):
    from django.utils import timezone

    from integrations.jazzhr.models import JazzHRCredential
    from support_dashboard.accounts.services import create_user
    from support_dashboard.customers.models import Ats
    from support_dashboard.customers.services import create_customer

    customer = create_customer(f"Bench {budget} {api_key[-6:]}", ats=Ats.JAZZHR)
    user, _, _ = create_user(
        f"bench-{api_key[-8:]}@example.com", role="recruiter", customer=customer
    )
    credential = JazzHRCredential(customer=customer, connected_at=timezone.now())
    credential.set_api_key(api_key)
    credential.save()
    return customer, user


def post_upload(customer, user, job_id: str, number: int):
    from integrations.jazzhr.matching import Person
    from integrations.jazzhr.services.uploads import request_upload

    person = Person(
        first_name="Casey",
        last_name=f"Benchmark{number:05d}",
        email=f"casey.{number}@example.com",
    )
    upload, _ = request_upload(customer, person, user=user, job_id=job_id)
    return upload.id


def wait_until_finished(upload_ids, stall_seconds: float) -> list:
    """Wait until every upload is finished, or none finished for `stall_seconds`."""
    from integrations.jazzhr.models import Upload

    finished_before = -1
    progress_at = time.monotonic()
    while True:
        rows = list(Upload.objects.filter(id__in=upload_ids))
        finished = sum(1 for row in rows if row.is_finished)
        if finished == len(rows):
            return rows
        if finished != finished_before:
            finished_before, progress_at = finished, time.monotonic()
        elif time.monotonic() - progress_at > stall_seconds:
            return rows
        time.sleep(0.02)


# Measurements


def measure_latency(customer, user, job_id, times: RequestTimes) -> list[Timing]:
    """Run uploads one at a time, so that each shows the queue's own delay."""
    timings = []
    for number in range(SEQUENTIAL_UPLOADS):
        upload_id = post_upload(customer, user, job_id, number)
        [row] = wait_until_finished([upload_id], stall_seconds=60)
        if row.started_at is None or row.finished_at is None:
            raise RuntimeError(f"Upload {row.id} did not run: {row.status}")
        created = row.created_at.timestamp()
        started = row.started_at.timestamp()
        finished = row.finished_at.timestamp()
        timings.append(
            Timing(
                queue_wait=started - created,
                total=finished - created,
                jazzhr=times.seconds_between(started, finished),
            )
        )
    return timings


def measure_throughput(customer, user, job_id, args, budget) -> list:
    """Post all uploads at once and wait until the worker has finished them."""
    numbers = range(SEQUENTIAL_UPLOADS, SEQUENTIAL_UPLOADS + args.uploads)
    upload_ids = [post_upload(customer, user, job_id, number) for number in numbers]
    return wait_until_finished(upload_ids, stall_seconds=3 * args.window_seconds)


def uploads_per_window(rows, window_seconds: float) -> tuple[list[int], float]:
    """Count uploads finished in each whole window from the first enqueue."""
    start = min(row.created_at for row in rows).timestamp()
    finished = [row.finished_at.timestamp() for row in rows if row.finished_at]
    elapsed = max(finished) - start
    whole_windows = int(elapsed // window_seconds)
    counts = Counter(int((moment - start) // window_seconds) for moment in finished)
    return [counts[index] for index in range(whole_windows)], elapsed


def max_requests_in_window(log: list[dict], seconds: float) -> int:
    moments = sorted(
        datetime.datetime.fromisoformat(entry["at"]).timestamp() for entry in log
    )
    largest = start = 0
    for end, moment in enumerate(moments):
        while moments[start] <= moment - seconds:
            start += 1
        largest = max(largest, end - start + 1)
    return largest


def count_duplicates(simulator, api_key: str) -> int:
    """Return how many applicants repeat the source marker of another one."""
    from integrations.jazzhr.services.uploads import SOURCE_LABEL

    with simulator.store.lock:
        applicants = simulator.store.get_account(api_key).applicants.values()
        markers = [a.source for a in applicants if a.source.startswith(SOURCE_LABEL)]
    return len(markers) - len(set(markers))


def summarise_throughput(simulator, api_key, rows, args, budget) -> ThroughputRun:
    control = f"{simulator.root_url}/_simulator/accounts/{api_key}"
    stats = requests.get(f"{control}/stats", timeout=10).json()
    log = requests.get(f"{control}/requests", timeout=30).json()
    per_window, elapsed = uploads_per_window(rows, args.window_seconds)
    statuses = Counter(row.status for row in rows)
    return ThroughputRun(
        budget=budget,
        uploads=len(rows),
        per_window=per_window,
        elapsed=elapsed,
        succeeded=statuses["succeeded"],
        failed=statuses["failed"],
        unfinished=sum(1 for row in rows if not row.is_finished),
        duplicates=count_duplicates(simulator, api_key),
        rate_limited=stats["rate_limited"],
        max_in_window=max_requests_in_window(log, args.window_seconds),
        max_in_shorter_window=max_requests_in_window(
            log, args.window_seconds - ARRIVAL_MARGIN_SECONDS
        ),
        backlog_wait=[
            (row.started_at - row.created_at).total_seconds()
            for row in rows
            if row.started_at
        ],
    )


def run_budget(simulator, env, args, budget, times: RequestTimes, log_dir: Path):
    api_key, job_id = new_account(simulator, args.window_seconds)
    customer, user = new_customer(api_key, budget)
    log_path = log_dir / f"worker-{budget}.log"
    worker = start_worker(env, budget, args.concurrency, log_path)
    try:
        latency = measure_latency(customer, user, job_id, times)
        # The sequential uploads leave the budget window once a window has passed.
        time.sleep(args.window_seconds)
        rows = measure_throughput(customer, user, job_id, args, budget)
    finally:
        stop_worker(worker)
    return latency, summarise_throughput(simulator, api_key, rows, args, budget)


# Report


def percentile(values: list[float], share: int) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[share - 1]


def milliseconds(values: list[float]) -> str:
    return f"{percentile(values, 50) * 1000:.0f} / {percentile(values, 95) * 1000:.0f}"


def throughput_section(runs: list[ThroughputRun], window_seconds: float) -> list[str]:
    lines = [
        "## Throughput",
        "",
        f"Uploads finished per {window_seconds:g} s window (one scaled JazzHR "
        "minute), counted in each whole window from the first enqueue. The "
        f"simulator allows {JAZZHR_LIMIT} requests per window, and the target is "
        f"{0.9 * JAZZHR_LIMIT:g} uploads, 0.9 of that. Unfinished uploads are "
        "those still queued or running when none had finished for three windows. "
        "The largest request counts in any window come from the simulator's "
        "request log, which stamps each request when it arrives, some "
        "milliseconds after its budget slot was granted. They are given for the "
        f"whole window and, in brackets, for one {ARRIVAL_MARGIN_SECONDS * 1000:g} "
        "ms shorter.",
        "",
        "| Budget | Uploads | Per window: mean (min) | Share of 80 | Succeeded "
        "| Failed | Unfinished | Duplicates | 429s | Max requests in a window "
        "(shorter) |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for run in runs:
        mean = statistics.fmean(run.per_window) if run.per_window else float("nan")
        low = min(run.per_window) if run.per_window else 0
        lines.append(
            f"| {run.budget} | {run.uploads} | {mean:.1f} ({low}) "
            f"| {mean / JAZZHR_LIMIT:.3f} | {run.succeeded} | {run.failed} "
            f"| {run.unfinished} | {run.duplicates} | {run.rate_limited} "
            f"| {run.max_in_window} ({run.max_in_shorter_window}) |"
        )
    lines += ["", "Uploads finished in each whole window:", ""]
    for run in runs:
        counts = ", ".join(str(count) for count in run.per_window)
        lines.append(
            f"- budget {run.budget}: {counts} (all {run.uploads} in "
            f"{run.elapsed:.1f} s)"
        )
    return lines


def latency_section(latencies: dict[int, list[Timing]], runs) -> list[str]:
    lines = [
        "## Queue overhead",
        "",
        f"{SEQUENTIAL_UPLOADS} uploads run one at a time, each posted after the "
        "previous one finished. Figures are p50 / p95 in milliseconds. JazzHR time "
        "is the simulator's own handling time of the upload's requests. The rest "
        "of the total is ours: queue, database, budget and local HTTP.",
        "",
        "| Budget | Enqueue to claim | Enqueue to finish | JazzHR time "
        "| Total minus JazzHR |",
        "|---|---|---|---|---|",
    ]
    for budget, timings in latencies.items():
        lines.append(
            f"| {budget} | {milliseconds([t.queue_wait for t in timings])} "
            f"| {milliseconds([t.total for t in timings])} "
            f"| {milliseconds([t.jazzhr for t in timings])} "
            f"| {milliseconds([t.overhead for t in timings])} |"
        )
    lines += [
        "",
        "Enqueue to claim in the throughput runs, which is mostly waiting behind "
        "the backlog, p50 / p95 in seconds:",
        "",
    ]
    for run in runs:
        wait = run.backlog_wait
        lines.append(
            f"- budget {run.budget}: {percentile(wait, 50):.1f} / "
            f"{percentile(wait, 95):.1f}"
        )
    return lines


def run_section(args, command: str) -> list[str]:
    from django.conf import settings

    database = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    broker = settings.CELERY_BROKER_URL.split(":", 1)[0]
    budget_store = "Redis" if settings.REDIS_URL else "process memory"
    return [
        "## Run",
        "",
        f"- Date: {datetime.date.today().isoformat()}",
        f"- Command: `{command}`",
        f"- CPU: {cpu_model()}, {os.cpu_count()} logical CPUs (`nproc`)",
        f"- Python {platform.python_version()} on {platform.system()}",
        f"- Database {database}, broker {broker}, budget in {budget_store}, "
        f"worker concurrency {args.concurrency}",
    ]


def cpu_model() -> str:
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return platform.processor() or "unknown"
    for line in text.splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return "unknown"


# Entry point


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--uploads", type=int, default=300, help="uploads per throughput run"
    )
    parser.add_argument(
        "--budgets",
        default="70,76",
        help="comma-separated JAZZHR_REQUESTS_PER_MINUTE values to run",
    )
    parser.add_argument(
        "--window-seconds",
        type=float,
        default=10.0,
        help="seconds that play one JazzHR minute, for the simulator and the budget",
    )
    parser.add_argument(
        "--concurrency",
        type=int,
        help="worker processes; default 2 with REDIS_URL set, else 1",
    )
    parser.add_argument("--output", type=Path, help="also write the report to FILE")
    args = parser.parse_args(argv)
    args.budgets = [int(value) for value in args.budgets.split(",")]
    if args.concurrency is None:
        args.concurrency = 2 if os.environ.get("REDIS_URL") else 1
    return args


def build_report(simulator, env, args, command: str) -> str:
    times = RequestTimes()
    server_logger = logging.getLogger("integrations.jazzhr.simulator.server")
    server_logger.setLevel(logging.INFO)
    server_logger.propagate = False
    server_logger.addHandler(times)
    log_dir = Path(tempfile.mkdtemp(prefix="bench-uploads-"))
    latencies, runs = {}, []
    for budget in args.budgets:
        latency, run = run_budget(simulator, env, args, budget, times, log_dir)
        latencies[budget] = latency
        runs.append(run)
    sections = [
        ["# Upload throughput"],
        run_section(args, command),
        throughput_section(runs, args.window_seconds),
        latency_section(latencies, runs),
    ]
    shutil.rmtree(log_dir, ignore_errors=True)
    return "\n\n".join("\n".join(section) for section in sections) + "\n"


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    command = " ".join(
        [".venv/bin/python", "bench/upload_throughput.py", *sys.argv[1:]]
    )
    # Run as a script, bench/ comes first on sys.path, and the editable install may
    # then import support_dashboard as a namespace package. That skips its
    # __init__, which creates the Celery app, and tasks would go to a default app.
    sys.path.insert(0, str(BASE_DIR))
    from integrations.jazzhr.simulator import start_simulator

    simulator = start_simulator(host="127.0.0.1", port=0)
    env, created = configure_environment(simulator.base_url, args.window_seconds)
    try:
        setup_django()
        report = build_report(simulator, env, args, command)
    finally:
        simulator.stop()
        remove_created(created)
    sys.stdout.write(report)
    if args.output:
        args.output.write_text(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
