"""The per-key JazzHR request budget, in Redis when REDIS_URL is set, else in memory."""

from __future__ import annotations

import time
import uuid

import pytest
import redis

from integrations.jazzhr.budget import (
    BudgetExhausted,
    LocalWindow,
    Priority,
    RedisWindow,
    RequestBudget,
    shared_window,
)
from integrations.jazzhr.errors import JazzHRError, RateLimited
from integrations.jazzhr.services import connection


@pytest.fixture
def api_key() -> str:
    """A key of its own per test, so that no two tests share a bucket."""
    return f"test-budget-{uuid.uuid4().hex}"


@pytest.fixture
def unreachable_window(unreachable_redis) -> RedisWindow:
    return RedisWindow(unreachable_redis)


def budget(api_key: str, per_minute: int, **options) -> RequestBudget:
    options.setdefault("max_wait_seconds", 0.0)
    return RequestBudget(api_key, per_minute=per_minute, **options)


def take(budget: RequestBudget, count: int) -> None:
    for _ in range(count):
        budget.acquire()


def test_shared_window_follows_redis_url(settings):
    expected = RedisWindow if settings.REDIS_URL else LocalWindow

    assert isinstance(shared_window(), expected)


def test_budgets_on_one_key_share_window(api_key):
    web = budget(api_key, per_minute=3)
    worker = budget(api_key, per_minute=3)

    take(web, 2)
    take(worker, 1)

    with pytest.raises(BudgetExhausted):
        web.acquire()
    with pytest.raises(BudgetExhausted):
        worker.acquire()


def test_budgets_on_other_keys_are_separate(api_key):
    take(budget(api_key, per_minute=2), 2)

    budget(f"{api_key}-other", per_minute=2).acquire()


def test_budget_exhausted_is_rate_limited(settings, api_key):
    settings.JAZZHR_BUDGET_WINDOW_SECONDS = 10.0
    full = budget(api_key, per_minute=1)
    full.acquire()

    with pytest.raises(RateLimited) as raised:
        full.acquire()

    assert raised.value.transient
    assert 0 < raised.value.retry_after <= 10.0


def test_slot_frees_after_window(settings, api_key):
    settings.JAZZHR_BUDGET_WINDOW_SECONDS = 0.3
    full = budget(api_key, per_minute=2)
    take(full, 2)
    with pytest.raises(BudgetExhausted):
        full.acquire()

    time.sleep(0.35)

    full.acquire()


def test_acquire_waits_for_free_slot(settings, api_key):
    settings.JAZZHR_BUDGET_WINDOW_SECONDS = 0.5
    patient = budget(api_key, per_minute=1, max_wait_seconds=2.0)
    patient.acquire()
    started = time.monotonic()

    patient.acquire()

    waited = time.monotonic() - started
    assert waited >= 0.4
    assert waited < 1.5


def test_background_gets_only_its_share(settings, api_key):
    settings.JAZZHR_BACKGROUND_BUDGET_SHARE = 0.5
    background = budget(api_key, per_minute=4, priority=Priority.BACKGROUND)
    interactive = budget(api_key, per_minute=4)

    take(background, 2)
    with pytest.raises(BudgetExhausted):
        background.acquire()

    take(interactive, 2)
    with pytest.raises(BudgetExhausted):
        interactive.acquire()


def test_background_waits_while_interactive_uses_window(settings, api_key):
    settings.JAZZHR_BACKGROUND_BUDGET_SHARE = 0.5
    take(budget(api_key, per_minute=4), 2)

    with pytest.raises(BudgetExhausted):
        budget(api_key, per_minute=4, priority=Priority.BACKGROUND).acquire()


def test_back_off_blocks_every_budget_of_key(api_key):
    first = budget(api_key, per_minute=50)
    second = budget(api_key, per_minute=50)
    background = budget(api_key, per_minute=50, priority=Priority.BACKGROUND)

    first.back_off(5.0)

    for blocked in (first, second, background):
        with pytest.raises(BudgetExhausted) as raised:
            blocked.acquire()
        assert 4.0 < raised.value.retry_after <= 5.0


def test_back_off_ends(api_key):
    first = budget(api_key, per_minute=50)
    first.back_off(0.2)

    time.sleep(0.25)

    budget(api_key, per_minute=50).acquire()


def test_redis_window_shared_across_clients(settings, api_key):
    if not settings.REDIS_URL:
        pytest.skip("REDIS_URL is not set, so the budget lives in process memory.")
    # A second Redis connection acts as another process using the same key.
    other_process = RedisWindow(redis.Redis.from_url(settings.REDIS_URL))
    take(budget(api_key, per_minute=2), 2)

    with pytest.raises(BudgetExhausted):
        budget(api_key, per_minute=2, window=other_process).acquire()


def test_unreachable_redis_is_transient(api_key, unreachable_window):
    unreachable = budget(api_key, per_minute=5, window=unreachable_window)

    with pytest.raises(JazzHRError) as raised:
        unreachable.acquire()

    assert raised.value.transient
    assert "no JazzHR request was sent" in str(raised.value)


def test_back_off_tolerates_unreachable_redis(api_key, unreachable_window):
    unreachable = budget(api_key, per_minute=5, window=unreachable_window)

    unreachable.back_off(1.0)


def test_rate_limit_reply_backs_key_off(settings, use_simulator, jazzhr_account):
    settings.JAZZHR_BUDGET_MAX_WAIT_SECONDS = 0.0
    settings.JAZZHR_RATE_LIMIT_BACKOFF_SECONDS = 30.0
    jazzhr_account.set_faults(rate_limit_per_minute=1)
    connection.build_client(jazzhr_account.api_key).validate_key()

    with pytest.raises(RateLimited):
        connection.build_client(jazzhr_account.api_key).validate_key()
    with pytest.raises(BudgetExhausted):
        connection.build_client(jazzhr_account.api_key).validate_key()

    statuses = [entry["status"] for entry in jazzhr_account.requests_log()]
    assert statuses == [200, 429]
