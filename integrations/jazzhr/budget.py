"""A request budget per JazzHR API key, shared by every process that uses the key.

JazzHR allows about 80 requests a minute per key and returns HTTP 429 above that. Every
client call first takes a slot from a sliding 60-second window kept in Redis, so all
web processes and workers together stay under the limit. Background work (index
syncs) may only use part of the window, which leaves room for checks and uploads.
After a 429 the whole key backs off until the window has passed.

Without Redis (the embedded demo) the window is kept in process memory, which only
limits the process it is in. While a configured Redis cannot be reached, no request
goes out: taking a slot raises the transient BudgetUnavailable instead.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
import uuid
from collections import deque
from enum import StrEnum

import redis
from django.conf import settings

from integrations.jazzhr.errors import RateLimited, TransientError

logger = logging.getLogger(__name__)


class Priority(StrEnum):
    INTERACTIVE = "interactive"
    BACKGROUND = "background"


class BudgetExhausted(RateLimited):
    """No request slot became free within the caller's wait limit.

    No request was sent. It is a RateLimited error, so callers retry it after
    `retry_after` seconds like a 429.
    """

    def __init__(self, wait_seconds: float):
        super().__init__(
            retry_after=wait_seconds,
            message="The JazzHR request budget for this key is used up; a slot "
            f"frees in {wait_seconds:.0f} s.",
        )


class BudgetUnavailable(TransientError):
    """The budget's Redis could not be reached, so no request was sent.

    It is transient, so a Redis restart or failover does not fail the work for good.
    """

    def __init__(self, error: redis.RedisError):
        super().__init__(
            "The JazzHR request budget in Redis could not be reached "
            f"({type(error).__name__}), so no JazzHR request was sent."
        )


# Returns 0 when a slot was taken, else the milliseconds until one may be free.
# The server's clock is used, so every process agrees on the window.
ACQUIRE_SCRIPT = """
local now_parts = redis.call('TIME')
local now = tonumber(now_parts[1]) * 1000 + math.floor(tonumber(now_parts[2]) / 1000)
local window = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local blocked_until = tonumber(redis.call('GET', KEYS[2]) or '0')
if blocked_until > now then
  return blocked_until - now
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < limit then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window)
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return math.max(1, tonumber(oldest[2]) + window - now)
"""

BLOCK_SCRIPT = """
local now_parts = redis.call('TIME')
local now = tonumber(now_parts[1]) * 1000 + math.floor(tonumber(now_parts[2]) / 1000)
local until_ms = now + tonumber(ARGV[1])
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if until_ms > current then
  redis.call('SET', KEYS[1], until_ms, 'PX', tonumber(ARGV[1]))
end
return until_ms
"""


def bucket_name(api_key: str) -> str:
    """Return a stable, non-secret name for the key's bucket."""
    return hashlib.sha256(api_key.encode("utf-8")).hexdigest()[:24]


class RedisWindow:
    def __init__(self, client: redis.Redis):
        self.client = client
        self.acquire_script = client.register_script(ACQUIRE_SCRIPT)
        self.block_script = client.register_script(BLOCK_SCRIPT)

    def try_acquire(self, bucket: str, limit: int, window_ms: int) -> float:
        try:
            wait_ms = self.acquire_script(
                keys=[f"jazzhr:budget:{bucket}", f"jazzhr:budget:{bucket}:blocked"],
                args=[window_ms, limit, uuid.uuid4().hex],
            )
        except redis.RedisError as exc:
            logger.warning(
                "Could not reach Redis for budget bucket %s: %r", bucket, exc
            )
            raise BudgetUnavailable(exc) from exc
        return int(wait_ms) / 1000

    def block(self, bucket: str, seconds: float) -> None:
        try:
            self.block_script(
                keys=[f"jazzhr:budget:{bucket}:blocked"],
                args=[max(1, int(seconds * 1000))],
            )
        except redis.RedisError as exc:
            # The 429 itself still reaches the caller, which retries later.
            logger.warning(
                "Could not reach Redis to back off budget bucket %s: %r", bucket, exc
            )


class LocalWindow:
    """The same window in process memory, for running without Redis."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.calls: dict[str, deque[float]] = {}
        self.blocked_until: dict[str, float] = {}

    def try_acquire(self, bucket: str, limit: int, window_ms: int) -> float:
        window = window_ms / 1000
        with self.lock:
            now = time.monotonic()
            blocked = self.blocked_until.get(bucket, 0.0)
            if blocked > now:
                return blocked - now
            calls = self.calls.setdefault(bucket, deque())
            while calls and calls[0] <= now - window:
                calls.popleft()
            if len(calls) < limit:
                calls.append(now)
                return 0.0
            return max(0.001, calls[0] + window - now)

    def block(self, bucket: str, seconds: float) -> None:
        with self.lock:
            until = time.monotonic() + seconds
            self.blocked_until[bucket] = max(self.blocked_until.get(bucket, 0.0), until)


_window_lock = threading.Lock()
_window: RedisWindow | LocalWindow | None = None


def shared_window() -> RedisWindow | LocalWindow:
    global _window
    with _window_lock:
        if _window is None:
            if settings.REDIS_URL:
                _window = RedisWindow(redis.Redis.from_url(settings.REDIS_URL))
            else:
                _window = LocalWindow()
        return _window


class RequestBudget:
    """The request budget of one JazzHR key, as a client `before_request` hook."""

    def __init__(
        self,
        api_key: str,
        *,
        per_minute: int,
        priority: Priority = Priority.INTERACTIVE,
        max_wait_seconds: float = 30.0,
        window: RedisWindow | LocalWindow | None = None,
    ):
        self.bucket = bucket_name(api_key)
        self.per_minute = per_minute
        self.priority = priority
        self.max_wait_seconds = max_wait_seconds
        self.window = window or shared_window()

    @property
    def limit(self) -> int:
        if self.priority == Priority.BACKGROUND:
            share = settings.JAZZHR_BACKGROUND_BUDGET_SHARE
            return max(1, int(self.per_minute * share))
        return self.per_minute

    def __call__(self) -> None:
        self.acquire()

    def acquire(self) -> None:
        """Take one request slot, waiting up to `max_wait_seconds` for it."""
        deadline = time.monotonic() + self.max_wait_seconds
        window_ms = int(settings.JAZZHR_BUDGET_WINDOW_SECONDS * 1000)
        while True:
            wait = self.window.try_acquire(self.bucket, self.limit, window_ms)
            if wait <= 0:
                return
            remaining = deadline - time.monotonic()
            if wait > remaining:
                raise BudgetExhausted(wait)
            time.sleep(wait)

    def back_off(self, seconds: float) -> None:
        """Stop every process from using this key for `seconds` (after a 429)."""
        logger.warning(
            "JazzHR rate limit hit for bucket %s; backing off %.0f s",
            self.bucket,
            seconds,
        )
        self.window.block(self.bucket, seconds)
