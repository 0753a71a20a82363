"""The job dropdown: a customer's JazzHR jobs without confidential ones."""

from __future__ import annotations

import logging

from django.core.cache import cache
from redis.exceptions import RedisError

from integrations.jazzhr.budget import bucket_name
from integrations.jazzhr.client import JazzHRClient
from integrations.jazzhr.services import connection
from integrations.jazzhr.types import Job

logger = logging.getLogger(__name__)

JOBS_CACHE_SECONDS = 300


def cache_key(customer) -> str:
    """Return a key per customer and API key, so a new key starts afresh."""
    credential = connection.usable_credential(customer)
    api_key = connection.stored_api_key(credential)
    return f"jazzhr:jobs:{customer.pk}:{bucket_name(api_key)}"


def cached_jobs(key: str) -> list[Job] | None:
    """Read the cache; an unreachable cache counts as a miss."""
    try:
        return cache.get(key)
    except RedisError as exc:
        logger.warning("Job cache unavailable, asking JazzHR: %s", exc)
        return None


def cache_jobs(key: str, jobs: list[Job]) -> None:
    try:
        cache.set(key, jobs, JOBS_CACHE_SECONDS)
    except RedisError as exc:
        logger.warning("Job cache unavailable, jobs not cached: %s", exc)


def listed_jobs(
    customer, client: JazzHRClient | None = None, *, refresh=False
) -> list[Job]:
    """Return the customer's non-confidential jobs, cached for a few minutes.

    JazzHR returns no confidential field on a job, so the `confidential/false` path
    filter is what keeps confidential jobs out of the list.
    """
    key = cache_key(customer)
    if not refresh:
        cached = cached_jobs(key)
        if cached is not None:
            return cached
    client = client or connection.client_for(customer)
    jobs = client.list_jobs(include_confidential=False)
    cache_jobs(key, jobs)
    return jobs


def require_listed_job(customer, client: JazzHRClient, job_id: str) -> Job:
    """Return the job if the dropdown would offer it, else raise UploadNotPossible.

    One company-wide key can read every job, so the product itself keeps
    confidential jobs out of reach of recruiters.
    """
    from integrations.jazzhr.services.uploads import UploadNotPossible

    for refresh in (False, True):
        for job in listed_jobs(customer, client, refresh=refresh):
            if job.id == job_id:
                return job
    raise UploadNotPossible(
        f"Job {job_id} is not among the customer's non-confidential JazzHR jobs."
    )
