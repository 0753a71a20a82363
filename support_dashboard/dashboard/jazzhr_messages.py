"""Plain sentences for JazzHR failures, shown on dashboard pages."""

from __future__ import annotations

from integrations.jazzhr import errors as jazzhr_errors
from integrations.jazzhr.services.connection import TooManyConnectAttempts


def describe_jazzhr_error(exc: jazzhr_errors.JazzHRError) -> str:
    """Return what a support person or a recruiter should read about `exc`.

    Client messages name the method and path but never the API key, so they are
    safe to show.
    """
    if isinstance(exc, jazzhr_errors.InvalidApiKey | TooManyConnectAttempts):
        return str(exc)
    if isinstance(exc, jazzhr_errors.RateLimited):
        return "JazzHR is limiting requests; try again in a minute."
    return f"JazzHR could not be reached: {exc} Try again in a few minutes."
