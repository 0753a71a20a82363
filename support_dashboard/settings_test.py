"""Settings for the test suite: the main settings with a few test-only overrides."""

from __future__ import annotations

import os
import uuid

from support_dashboard.settings import *  # noqa: F403

# A queue of its own per test run, so that two runs sharing one broker (or a worker
# left over from an earlier run) never take each other's tasks.
CELERY_TASK_DEFAULT_QUEUE = os.environ.get(
    "TEST_CELERY_QUEUE", f"test-{uuid.uuid4().hex[:12]}"
)
os.environ["TEST_CELERY_QUEUE"] = CELERY_TASK_DEFAULT_QUEUE

# Tests point the client at a simulator they start. A test that does not gets this
# closed local port, which fails fast instead of reaching the real JazzHR.
JAZZHR_BASE_URL = os.environ.get("TEST_JAZZHR_BASE_URL", "http://127.0.0.1:9/v1")
JAZZHR_READ_TIMEOUT = 2.0
JAZZHR_BUDGET_MAX_WAIT_SECONDS = 3.0
# Short leases and sweeps, so that recovery after a killed worker shows within a test.
CELERY_TASK_SOFT_TIME_LIMIT = 10
CELERY_TASK_TIME_LIMIT = 12
JAZZHR_WORK_LEASE_SECONDS = 15
JAZZHR_LOST_TASK_GRACE_SECONDS = 5
CELERY_BEAT_SCHEDULE = {  # noqa: F405
    **CELERY_BEAT_SCHEDULE,  # noqa: F405
    "recover-stalled-work": {"task": "jazzhr.recover_stalled_work", "schedule": 2.0},
}
JAZZHR_MAX_ATTEMPTS = 3
JAZZHR_RETRY_BASE_SECONDS = 0.05
JAZZHR_RETRY_CAP_SECONDS = 0.5
JAZZHR_RATE_LIMIT_BACKOFF_SECONDS = 1.0

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # One file per run, so that test runs in parallel checkouts never share it.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(VAR_DIR / f"test-db-{CELERY_TASK_DEFAULT_QUEUE}.sqlite3")  # noqa: F405
    }
