"""Bearer-token authentication for the recruiter JSON API."""

from __future__ import annotations

import functools
import logging

from django.utils import timezone

from support_dashboard.accounts.models import ApiToken, hash_token
from support_dashboard.api.responses import error_response

logger = logging.getLogger(__name__)

# last_used_at is written at most this often per token, to keep reads cheap.
LAST_USED_RESOLUTION_SECONDS = 60


def token_from_header(header: str) -> str:
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def authenticate(request) -> ApiToken | None:
    plain = token_from_header(request.headers.get("Authorization", ""))
    if not plain:
        return None
    token = (
        ApiToken.objects.active()
        .select_related("user__customer")
        .filter(token_hash=hash_token(plain))
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    stale = token.last_used_at is None or (
        (now - token.last_used_at).total_seconds() > LAST_USED_RESOLUTION_SECONDS
    )
    if stale:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def recruiter_api(view):
    """Require a recruiter's token and set `request.user` and `request.customer`."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        token = authenticate(request)
        if token is None:
            return error_response(
                401,
                "unauthorized",
                "Send a valid API token as 'Authorization: Bearer <token>'.",
            )
        if not token.user.is_recruiter:
            return error_response(403, "forbidden", "Only recruiters can use this API.")
        request.user = token.user
        request.customer = token.user.customer
        return view(request, *args, **kwargs)

    return wrapper
