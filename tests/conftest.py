"""Fixtures shared by the whole suite: the JazzHR simulator and a real Celery worker."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.db import connection

from integrations.jazzhr.simulator import start_simulator

BASE_DIR = Path(__file__).resolve().parent.parent
WORKER_START_TIMEOUT = 60.0


def wait_for(predicate: Callable[[], object], timeout: float = 30.0, interval=0.1):
    """Poll `predicate` until it returns something truthy, and return that."""
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"Condition not met within {timeout} s: {predicate}")
        time.sleep(interval)


@pytest.fixture(autouse=True)
def clear_cache():
    """Cached JazzHR look-ups must not leak from one test into the next."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(scope="session")
def simulator():
    """A JazzHR simulator on 127.0.0.1, shared by the session's tests."""
    running = start_simulator(host="127.0.0.1", port=0)
    yield running
    running.stop()


class SimulatorAccount:
    """One JazzHR account in the simulator, driven through its control API."""

    def __init__(self, simulator, api_key: str):
        self.simulator = simulator
        self.api_key = api_key

    @property
    def control_url(self) -> str:
        return f"{self.simulator.root_url}/_simulator/accounts/{self.api_key}"

    def load(self, kind: str, records: list[dict]) -> dict:
        response = requests.post(f"{self.control_url}/{kind}", json=records, timeout=30)
        response.raise_for_status()
        return response.json()

    def set_faults(self, **faults) -> dict:
        response = requests.put(f"{self.control_url}/faults", json=faults, timeout=10)
        response.raise_for_status()
        return response.json()

    def requests_log(self) -> list[dict]:
        response = requests.get(f"{self.control_url}/requests", timeout=10)
        response.raise_for_status()
        return response.json()

    def rotate(self) -> str:
        response = requests.post(f"{self.control_url}/rotate", timeout=10)
        response.raise_for_status()
        self.api_key = response.json()["api_key"]
        return self.api_key

    def get(self, path: str):
        """GET a JazzHR path of this account with its key, as our client would."""
        response = requests.get(
            f"{self.simulator.base_url}{path}",
            params={"apikey": self.api_key},
            timeout=10,
        )
        response.raise_for_status()
        return response.json()


@pytest.fixture
def jazzhr_account(simulator) -> SimulatorAccount:
    """A new, empty JazzHR account in the simulator."""
    response = requests.post(f"{simulator.root_url}/_simulator/accounts", timeout=10)
    response.raise_for_status()
    return SimulatorAccount(simulator, response.json()["api_key"])


@pytest.fixture
def use_simulator(settings, simulator):
    """Point this process's JazzHR client at the simulator."""
    settings.JAZZHR_BASE_URL = simulator.base_url
    return simulator


def database_url() -> str:
    """The URL of the test database, for a worker process to connect to."""
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    user = db.get("USER") or ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    credentials = f"{user}{password}@" if user else ""
    host = db.get("HOST") or "127.0.0.1"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{credentials}{host}{port}/{db['NAME']}"


class WorkerProcess:
    """A `celery worker` subprocess on the test database and the test queue."""

    def __init__(self, env: dict[str, str], log_path: Path):
        self.env = env
        self.log_path = log_path
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "support_dashboard",
                "worker",
                "--beat",
                "--schedule",
                str(self.log_path.with_name("beat-schedule")),
                "--loglevel=INFO",
                "--concurrency=2",
                "--without-mingle",
                "--without-gossip",
                "-Q",
                settings.CELERY_TASK_DEFAULT_QUEUE,
                "-n",
                f"{settings.CELERY_TASK_DEFAULT_QUEUE}-{time.monotonic_ns()}@%h",
            ],
            cwd=BASE_DIR,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        wait_for(self.is_ready, timeout=WORKER_START_TIMEOUT, interval=0.2)

    def is_ready(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError(f"The worker exited early:\n{self.log_tail()}")
        return b" ready." in self.log_path.read_bytes()[-20000:]

    def kill(self, sig: int = signal.SIGKILL) -> None:
        """Send `sig` to the worker's whole process group and wait for it to end."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, sig)
            self.process.wait(timeout=30)

    def stop(self) -> None:
        """Stop the worker warmly, then remove whatever its group left behind."""
        if self.process and self.process.poll() is None:
            # Only the main process gets SIGTERM: it stops its pool children itself,
            # and signalling them too makes a warm shutdown hang.
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                pass
        if self.process:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.process.wait(timeout=30)

    def restart(self) -> None:
        self.stop()
        self.log_path.write_bytes(b"")
        self.start()

    def log_tail(self, size: int = 4000) -> str:
        return self.log_path.read_bytes()[-size:].decode("utf-8", "replace")


@pytest.fixture(scope="session")
def celery_worker(django_db_setup, django_db_blocker, simulator, tmp_path_factory):
    """A real Celery worker process sharing the test database and the simulator."""
    with django_db_blocker.unblock():
        url = database_url()
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="support_dashboard.settings_test",
        DATABASE_URL=url,
        TEST_CELERY_QUEUE=settings.CELERY_TASK_DEFAULT_QUEUE,
        TEST_JAZZHR_BASE_URL=simulator.base_url,
        CELERY_BROKER_URL=settings.CELERY_BROKER_URL,
        PYTHONUNBUFFERED="1",
    )
    worker = WorkerProcess(env, tmp_path_factory.mktemp("worker") / "worker.log")
    worker.start()
    yield worker
    worker.stop()


@pytest.fixture
def worker(celery_worker, transactional_db, use_simulator):
    """A running worker for a test that commits its rows, so the worker reads them."""
    if celery_worker.process.poll() is not None:
        celery_worker.start()
    start = celery_worker.log_path.stat().st_size
    yield celery_worker
    # Shown by pytest only when the test fails.
    print(f"Worker log during the test ({celery_worker.log_path}):")
    print(
        celery_worker.log_path.read_bytes()[start:][-8000:].decode("utf-8", "replace")
    )


@pytest.fixture
def created_applicants(simulator):
    """A function listing the applicants that uploads created in an account.

    It reads the simulator's memory, so it sends no JazzHR request and does not
    show up in the account's request log or rate limit.
    """
    from integrations.jazzhr.services.uploads import SOURCE_LABEL

    def list_created(account: SimulatorAccount) -> list:
        with simulator.store.lock:
            stored = simulator.store.get_account(account.api_key)
            return [
                applicant
                for applicant in stored.applicants.values()
                if applicant.source.startswith(SOURCE_LABEL)
            ]

    return list_created


@pytest.fixture
def unreachable_redis():
    """A Redis client for a port on 127.0.0.1 where nothing listens.

    It does not retry, so each command fails at once with a ConnectionError.
    """
    import socket

    import redis
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = redis.Redis(host="127.0.0.1", port=port, retry=Retry(NoBackoff(), 0))
    yield client
    client.close()
