"""Connecting a customer to JazzHR with its company-wide API key."""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from redis.exceptions import RedisError

from integrations.jazzhr.budget import Priority, RequestBudget
from integrations.jazzhr.client import JazzHRClient
from integrations.jazzhr.errors import InvalidApiKey, JazzHRError, RateLimited
from integrations.jazzhr.models import CredentialStatus, JazzHRCredential
from support_dashboard import encryption
from support_dashboard.customers.models import Customer

logger = logging.getLogger(__name__)

MAX_API_KEY_LENGTH = 200
CONNECT_ATTEMPT_WINDOW_SECONDS = 3600


class AtsNotEnabled(Exception):
    """The customer's ATS is not JazzHR, so nothing may be sent there."""

    def __init__(self, customer: Customer):
        super().__init__(
            f"JazzHR is not enabled for {customer.name}. Support can turn it on by "
            "setting the customer's ATS to JazzHR in the support dashboard."
        )


class NotConnected(Exception):
    """The customer has no usable JazzHR API key."""

    def __init__(self, customer: Customer, reason: str = ""):
        super().__init__(
            reason
            or f"{customer.name} is not connected to JazzHR yet. Connect with the "
            "company's JazzHR API key (JazzHR: Settings → Integrations)."
        )


class ResponseObserver:
    """Counts a client's JazzHR requests and backs the whole key off after a 429."""

    def __init__(self, budget: RequestBudget):
        self.budget = budget
        self.request_count = 0

    def __call__(self, method: str, path: str, status: int) -> None:
        self.request_count += 1
        if status == 429:
            self.budget.back_off(settings.JAZZHR_RATE_LIMIT_BACKOFF_SECONDS)


class KeyRejected(NotConnected):
    """JazzHR rejected the stored key (rotated or revoked); a reconnect is needed."""

    def __init__(self, customer: Customer, fingerprint: str):
        super().__init__(
            customer,
            f"JazzHR rejected the saved API key (…{fingerprint}). Reconnect with the "
            "current key from JazzHR: Settings → Integrations.",
        )


def build_client(
    api_key: str,
    *,
    per_minute: int | None = None,
    priority: Priority = Priority.INTERACTIVE,
) -> JazzHRClient:
    """Build a client whose every request first takes a slot of the key's budget."""
    budget = RequestBudget(
        api_key,
        per_minute=per_minute or settings.JAZZHR_REQUESTS_PER_MINUTE,
        priority=priority,
        max_wait_seconds=settings.JAZZHR_BUDGET_MAX_WAIT_SECONDS,
    )
    return JazzHRClient(
        api_key,
        base_url=settings.JAZZHR_BASE_URL,
        timeout=(settings.JAZZHR_CONNECT_TIMEOUT, settings.JAZZHR_READ_TIMEOUT),
        before_request=budget,
        on_response=ResponseObserver(budget),
    )


def require_jazzhr(customer: Customer) -> None:
    if not customer.uses_jazzhr:
        raise AtsNotEnabled(customer)


def usable_credential(customer: Customer) -> JazzHRCredential:
    """Return the customer's credential, or raise when work cannot use it."""
    require_jazzhr(customer)
    credential = JazzHRCredential.objects.filter(customer=customer).first()
    if credential is None:
        raise NotConnected(customer)
    if not credential.is_valid:
        raise KeyRejected(customer, credential.key_fingerprint)
    return credential


def mark_key_invalid(customer: Customer, message: str) -> None:
    """Record that JazzHR rejected the customer's stored key ("needs reconnect")."""
    JazzHRCredential.objects.filter(customer=customer).update(
        status=CredentialStatus.INVALID, last_error=message, updated_at=timezone.now()
    )


def stored_api_key(credential: JazzHRCredential) -> str:
    """Decrypt the stored key, or raise NotConnected when it cannot be read."""
    try:
        return credential.api_key()
    except encryption.DecryptionError as exc:
        logger.error(
            "The JazzHR key of customer %s cannot be decrypted: %s",
            credential.customer.slug,
            exc,
        )
        raise NotConnected(
            credential.customer,
            "The saved JazzHR key cannot be read with the current encryption keys "
            "(FIELD_ENCRYPTION_KEYS). Reconnect with the company's JazzHR API key.",
        ) from exc


def client_for(
    customer: Customer, *, priority: Priority = Priority.INTERACTIVE
) -> JazzHRClient:
    credential = usable_credential(customer)
    return build_client(
        stored_api_key(credential),
        per_minute=credential.requests_per_minute,
        priority=priority,
    )


def clean_api_key(api_key: str) -> str:
    api_key = (api_key or "").strip()
    if not api_key:
        raise InvalidApiKey("The JazzHR API key is empty.")
    printable_ascii = api_key.isascii() and api_key.isprintable()
    if len(api_key) > MAX_API_KEY_LENGTH or not printable_ascii or " " in api_key:
        raise InvalidApiKey(
            "That does not look like a JazzHR API key. Copy it again from JazzHR: "
            "Settings → Integrations."
        )
    return api_key


class TooManyConnectAttempts(RateLimited):
    """The customer tried to connect too often; guessing keys is not allowed."""

    def __init__(self, retry_after: float):
        super().__init__(
            retry_after=retry_after,
            message="Too many attempts to connect this company to JazzHR; try again "
            f"in {max(1, round(retry_after / 60))} minutes.",
        )


def count_connect_attempt(customer: Customer) -> None:
    """Count one connect attempt; raise TooManyConnectAttempts past the hourly limit."""
    window = CONNECT_ATTEMPT_WINDOW_SECONDS
    key = f"jazzhr:connect-attempts:{customer.pk}:{int(time.time() // window)}"
    try:
        cache.add(key, 0, timeout=window)
        attempts = cache.incr(key)
    except RedisError as exc:
        logger.warning("Connect attempts of %s not counted: %s", customer.slug, exc)
        return
    if attempts > settings.JAZZHR_CONNECT_ATTEMPTS_PER_HOUR:
        logger.warning(
            "Customer %s made %s connect attempts this hour; rejecting",
            customer.slug,
            attempts,
        )
        raise TooManyConnectAttempts(window - time.time() % window)


def connect(customer: Customer, api_key: str, *, user) -> JazzHRCredential:
    """Check `api_key` against JazzHR, then store it encrypted for the customer.

    Raises AtsNotEnabled, TooManyConnectAttempts, InvalidApiKey (JazzHR rejected the
    key) or another JazzHRError when JazzHR could not be reached; nothing is stored
    in those cases.
    """
    require_jazzhr(customer)
    count_connect_attempt(customer)
    api_key = clean_api_key(api_key)
    build_client(api_key).validate_key()

    now = timezone.now()
    with transaction.atomic():
        credential = (
            JazzHRCredential.objects.select_for_update()
            .filter(customer=customer)
            .first()
        ) or JazzHRCredential(customer=customer)
        credential.set_api_key(api_key)
        credential.status = CredentialStatus.VALID
        credential.last_validated_at = now
        credential.last_error = ""
        credential.connected_by = user
        credential.connected_at = now
        credential.save()
        resume_waiting_work(customer)
        start_index_sync(customer)
    logger.info(
        "Customer %s connected to JazzHR with key …%s by user %s",
        customer.slug,
        credential.key_fingerprint,
        user.pk,
    )
    return credential


def test_connection(customer: Customer) -> JazzHRCredential:
    """Validate the stored key against JazzHR now and record the outcome."""
    require_jazzhr(customer)
    credential = JazzHRCredential.objects.filter(customer=customer).first()
    if credential is None:
        raise NotConnected(customer)
    try:
        build_client(
            stored_api_key(credential), per_minute=credential.requests_per_minute
        ).validate_key()
    except InvalidApiKey as exc:
        logger.warning("JazzHR rejected the key of customer %s", customer.slug)
        credential.status = CredentialStatus.INVALID
        credential.last_error = str(exc)
    except JazzHRError as exc:
        logger.warning("Connection test for customer %s failed: %s", customer.slug, exc)
        credential.last_error = str(exc)
        credential.save(update_fields=["last_error", "updated_at"])
        raise
    else:
        credential.status = CredentialStatus.VALID
        credential.last_error = ""
    credential.last_validated_at = timezone.now()
    credential.save()
    if credential.is_valid:
        resume_waiting_work(customer)
    return credential


def start_index_sync(customer: Customer) -> None:
    """Queue a sync of the applicant index, so checks need not search JazzHR live."""
    from integrations.jazzhr.services import index

    index.schedule_initial_sync(customer)


def resume_waiting_work(customer: Customer) -> None:
    from integrations.jazzhr.services.uploads import resume_waiting_uploads

    resume_waiting_uploads(customer)
