"""Uploads under faults: each one creates one applicant, or ends failed, never lost.

Every test runs a real Celery worker against the JazzHR simulator over HTTP. JazzHR's
POST /applicants does not deduplicate, so the tests count the applicants that uploads
created (by their `source` marker) in the simulator's memory.
"""

from __future__ import annotations

import contextlib
import datetime
import os
import shutil
import signal
import socket
import subprocess
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis
from django.db import connections

from integrations.jazzhr.models import Upload, WorkStatus
from integrations.jazzhr.services import uploads
from support_dashboard import celery_app
from tests.conftest import WorkerProcess, wait_for
from tests.integration.conftest import ApiClient

pytestmark = pytest.mark.worker

LAST_NAMES = [
    "Okafor",
    "Lindqvist",
    "Moreau",
    "Tanaka",
    "Haddad",
    "Kowalski",
    "Ferreira",
    "Nakamura",
    "Osei",
    "Brennan",
    "Varga",
    "Castillo",
    "Ivanova",
    "Mensah",
    "Sorensen",
    "Quinn",
    "Abbasi",
    "Delgado",
    "Fischer",
    "Yilmaz",
]
DANA = {"first_name": "Dana", "last_name": "Whitfield", "email": "dana@example.net"}
# Time allowed from taking a budget slot to the simulator logging the request. A
# request to the local simulator usually arrives within a few milliseconds.
SEND_DELAY_MARGIN_SECONDS = 0.1


def candidate(number: int) -> dict:
    last_name = LAST_NAMES[number]
    return {
        "first_name": "Sam",
        "last_name": last_name,
        "email": f"sam.{last_name.lower()}@example.org",
    }


def post_at_once(token: str, body: dict, count: int, **headers) -> list:
    """POST `count` uploads from as many threads, released together."""
    barrier = threading.Barrier(count)

    def post(_):
        client = ApiClient(token)
        barrier.wait(timeout=10)
        try:
            return client.post("uploads", body, **headers)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(post, range(count)))


def settle(upload_ids, timeout: float) -> list[Upload]:
    """Wait until every upload is finished, or the timeout passes; return them all."""

    def finished():
        rows = list(Upload.objects.filter(id__in=upload_ids))
        return rows if all(row.is_finished for row in rows) else None

    with contextlib.suppress(AssertionError):
        wait_for(finished, timeout=timeout, interval=0.25)
    return list(Upload.objects.filter(id__in=upload_ids))


def unfinished(rows: list[Upload]) -> list[str]:
    return [
        f"{row.id}: {row.status} {row.error}" for row in rows if not row.is_finished
    ]


def create_posts(account) -> list[dict]:
    return [
        entry
        for entry in account.requests_log()
        if entry["method"] == "POST" and entry["path"] == "/v1/applicants"
    ]


def applicants_by_marker(applicants) -> Counter:
    return Counter(applicant.source for applicant in applicants)


def max_requests_in_window(log: list[dict], seconds: float) -> int:
    """Return the largest number of requests the simulator logged within `seconds`."""
    times = sorted(datetime.datetime.fromisoformat(e["at"]).timestamp() for e in log)
    largest = start = 0
    for end, moment in enumerate(times):
        while times[start] <= moment - seconds:
            start += 1
        largest = max(largest, end - start + 1)
    return largest


def stop_main_process(worker: WorkerProcess) -> None:
    """Stop a worker with SIGTERM to its main process, which then stops the rest.

    WorkerProcess.stop() signals the whole process group. On the file-system broker
    the main process then hangs until stop() kills it 20 s later.
    """
    if worker.process is None or worker.process.poll() is not None:
        return
    worker.process.send_signal(signal.SIGTERM)
    try:
        worker.process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        worker.kill()


@pytest.fixture
def start_worker(celery_worker, transactional_db, use_simulator, tmp_path):
    """Start dedicated workers with extra environment variables.

    The session worker is stopped meanwhile, so only these workers take the test
    queue's tasks and run their beat sweep. The `worker` fixture starts it again.
    """
    stop_main_process(celery_worker)
    started: list[WorkerProcess] = []

    def start(**env: str) -> WorkerProcess:
        log_dir = tmp_path / f"worker-{len(started)}"
        log_dir.mkdir()
        process = WorkerProcess({**celery_worker.env, **env}, log_dir / "worker.log")
        started.append(process)
        process.start()
        return process

    yield start
    for process in started:
        stop_main_process(process)
        # Shown by pytest only when the test fails.
        print(f"Worker log ({process.log_path}):")
        print(process.log_tail(8000))


class RedisServer:
    """A throwaway redis-server on 127.0.0.1 without persistence."""

    def __init__(self, executable: str, directory):
        self.executable = executable
        self.directory = directory
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        log = (self.directory / "redis.log").open("ab")
        self.process = subprocess.Popen(
            [
                self.executable,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.directory),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        client = redis.Redis(port=self.port, socket_connect_timeout=1)
        wait_for(lambda: self.ping(client), timeout=10)
        client.close()

    def ping(self, client: redis.Redis) -> bool:
        try:
            return client.ping()
        except redis.ConnectionError:
            return False

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def redis_server(tmp_path):
    """A redis-server for this test alone, so the shared one on 6379 never restarts."""
    executable = shutil.which("redis-server")
    if executable is None:
        if os.environ.get("CI"):
            pytest.fail("redis-server is not on PATH; CI must provide it.")
        pytest.skip("redis-server is not on PATH, so no Redis can be restarted.")
    server = RedisServer(executable, tmp_path)
    server.start()
    yield server
    server.stop()


def drop_broker_pools() -> None:
    # Celery keeps its broker connection and producer pools on the app and drops
    # them after a fork, as here, so the next publish uses the current broker_url.
    # The pools stay open in kombu's registry, keyed by URL, for the next user.
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@contextlib.contextmanager
def celery_broker(url: str):
    """Send this process's tasks to the broker at `url` for the duration."""
    conf = celery_app.conf
    saved = {
        name: conf.get(name) for name in ("broker_url", "broker_transport_options")
    }
    with pytest.MonkeyPatch.context() as patch:
        # Celery reads CELERY_BROKER_URL from the environment before its settings.
        patch.setenv("CELERY_BROKER_URL", url)
        conf.update(broker_url=url, broker_transport_options={})
        drop_broker_pools()
        try:
            yield
        finally:
            conf.update(saved)
            drop_broker_pools()


def test_concurrent_identical_uploads_create_one(
    recruiter, connected_customer, loaded_account, worker, created_applicants
):
    responses = post_at_once(recruiter.plain_token, DANA, count=10)

    assert [response.status_code for response in responses] == [202] * 10
    upload_ids = {response.json()["id"] for response in responses}
    assert len(upload_ids) == 10
    rows = settle(upload_ids, timeout=60)
    assert unfinished(rows) == []
    assert {row.status for row in rows} == {WorkStatus.SUCCEEDED}
    applicant_ids = {row.jazzhr_applicant_id for row in rows}
    assert len(applicant_ids) == 1
    [applicant] = created_applicants(loaded_account)
    assert applicant_ids == {applicant.id}
    assert len(create_posts(loaded_account)) == 1


def test_concurrent_same_idempotency_key_one_upload(
    recruiter, connected_customer, loaded_account, worker, created_applicants
):
    responses = post_at_once(
        recruiter.plain_token, DANA, count=10, HTTP_IDEMPOTENCY_KEY="sidebar-7f3a"
    )

    codes = sorted(response.status_code for response in responses)
    assert codes == [200] * 9 + [202]
    upload_ids = {response.json()["id"] for response in responses}
    assert len(upload_ids) == 1
    assert Upload.objects.count() == 1
    [row] = settle(upload_ids, timeout=30)
    assert row.status == WorkStatus.SUCCEEDED, row.error
    assert len(created_applicants(loaded_account)) == 1


def test_killed_worker_upload_completes_once(
    api, connected_customer, loaded_account, worker, created_applicants
):
    # Below the client's 2 s read timeout, so only the kill interrupts the reply.
    loaded_account.set_faults(latency_ms=1500)
    upload_id = api.post("uploads", DANA).json()["id"]
    # The simulator logs and applies the create at once, then delays the reply.
    wait_for(lambda: create_posts(loaded_account), timeout=20)

    worker.kill(signal.SIGKILL)
    loaded_account.set_faults(latency_ms=0)
    worker.start()

    done = api.wait_until_finished(f"uploads/{upload_id}", timeout=60)
    assert done["status"] == "succeeded", done["error"]
    [applicant] = created_applicants(loaded_account)
    assert done["applicant_id"] == applicant.id
    assert len(create_posts(loaded_account)) == 1
    assert Upload.objects.get(id=upload_id).attempts == 2


def test_redis_restart_loses_no_upload(
    api,
    connected_customer,
    loaded_account,
    start_worker,
    redis_server,
    created_applicants,
):
    start_worker(
        CELERY_BROKER_URL=f"{redis_server.url}/0", REDIS_URL=f"{redis_server.url}/1"
    )
    loaded_account.set_faults(latency_ms=300)

    with celery_broker(f"{redis_server.url}/0"):
        upload_ids = [api.post("uploads", candidate(n)).json()["id"] for n in range(8)]
        wait_for(
            lambda: Upload.objects.filter(status=WorkStatus.SUCCEEDED).count() >= 2,
            timeout=30,
        )
        redis_server.stop()
        # Posted while the broker is down: the rows are saved, their tasks are not.
        upload_ids += [api.post("uploads", candidate(n)).json()["id"] for n in (8, 9)]
        redis_server.start()
        upload_ids += [api.post("uploads", candidate(n)).json()["id"] for n in (10, 11)]
        rows = settle(upload_ids, timeout=90)

    assert unfinished(rows) == []
    succeeded = [row for row in rows if row.status == WorkStatus.SUCCEEDED]
    applicants = created_applicants(loaded_account)
    assert len(applicants) == len(succeeded)
    assert max(applicants_by_marker(applicants).values()) == 1
    assert {row.jazzhr_applicant_id for row in succeeded} == {a.id for a in applicants}


def test_flaky_jazzhr_settles_without_duplicates(
    settings,
    api,
    connected_customer,
    loaded_account,
    start_worker,
    created_applicants,
):
    if not settings.REDIS_URL:
        pytest.skip("The worker's processes share a request budget only in Redis.")
    window_seconds, budget = 2.0, 8
    start_worker(
        JAZZHR_BUDGET_WINDOW_SECONDS=str(window_seconds),
        JAZZHR_REQUESTS_PER_MINUTE=str(budget),
    )
    # About 30 % of requests fail. The simulator allows fewer requests per window
    # than the budget, so 429s come on top.
    loaded_account.set_faults(
        rate_limit_per_minute=budget - 2,
        rate_limit_window_seconds=window_seconds,
        retry_after_seconds=1,
        error_rate=0.08,
        non_json_rate=0.06,
        timeout_rate=0.06,
        timeout_seconds=2.5,
        ambiguous_write_rate=0.15,
        seed=20261204,
    )

    # Two people are uploaded twice, as after a double click.
    people = [candidate(n) for n in range(14)] + [candidate(0), candidate(1)]
    upload_ids = [api.post("uploads", person).json()["id"] for person in people]
    rows = settle(upload_ids, timeout=120)

    assert unfinished(rows) == []
    applicants = created_applicants(loaded_account)
    assert max(applicants_by_marker(applicants).values()) == 1
    names = Counter((a.first_name, a.last_name) for a in applicants)
    assert max(names.values()) == 1
    applicant_ids = {applicant.id for applicant in applicants}
    markers = set(applicants_by_marker(applicants))
    for row in rows:
        if row.status == WorkStatus.SUCCEEDED:
            assert row.jazzhr_applicant_id in applicant_ids, row.id
        elif row.create_sent_at is None:
            # Only a create whose reply was lost may leave an applicant behind.
            assert uploads.source_marker(row) not in markers, row.id
    log = loaded_account.requests_log()
    # The budget stamps a slot when it is taken, the simulator a request when it
    # arrives a few milliseconds later, so the window checked is a little shorter.
    checked_seconds = window_seconds - SEND_DELAY_MARGIN_SECONDS
    assert max_requests_in_window(log, checked_seconds) <= budget
    failing = [entry for entry in log if entry["fault"] or entry["status"] != 200]
    assert len(failing) / len(log) >= 0.2
    assert any(entry["status"] == 429 for entry in log)
    # A create that failed other than by a 429 may still have been applied.
    creates_in_doubt = [
        entry
        for entry in failing
        if entry["method"] == "POST"
        and entry["path"] == "/v1/applicants"
        and entry["status"] != 429
    ]
    assert creates_in_doubt


def test_rotated_key_parks_then_resumes(
    api, connected_customer, loaded_account, worker, created_applicants
):
    loaded_account.rotate()

    queued = [api.post("uploads", candidate(n)).json() for n in range(3)]
    assert {upload["status"] for upload in queued} == {"queued"}
    wait_for(
        lambda: Upload.objects.filter(status=WorkStatus.WAITING).count() == 3,
        timeout=30,
    )
    later = api.post("uploads", candidate(3))
    assert later.status_code == 202
    assert later.json()["status"] == "waiting"
    assert created_applicants(loaded_account) == []

    connect = api.post("jazzhr/connect", {"api_key": loaded_account.api_key})

    assert connect.status_code == 200
    upload_ids = [upload["id"] for upload in queued] + [later.json()["id"]]
    rows = settle(upload_ids, timeout=60)
    assert unfinished(rows) == []
    assert {row.status for row in rows} == {WorkStatus.SUCCEEDED}
    applicants = created_applicants(loaded_account)
    assert len(applicants) == 4
    assert {row.jazzhr_applicant_id for row in rows} == {a.id for a in applicants}
