"""Context of each panel of the customer page.

Every panel has its own function, so an htmx request that renders one panel runs
only that panel's queries.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from integrations.jazzhr.models import JazzHRCredential, WorkStatus
from integrations.jazzhr.services import index, quality
from support_dashboard.customers.models import Customer
from support_dashboard.dashboard import selectors
from support_dashboard.dashboard.forms import AtsForm

RECENT_WORK_LIMIT = 10
RECENT_SUPPORT_ACTIONS_LIMIT = 10
# Match quality counts the checks of this period, so the figures follow recent
# changes of the matcher rather than its whole history.
QUALITY_PERIOD = datetime.timedelta(days=30)
# Rows in these statuses change without anyone acting, so their panel polls.
ACTIVE_STATUSES = (WorkStatus.QUEUED, WorkStatus.RUNNING)


def detail_context(customer: Customer, **extra) -> dict:
    """Return the context of the whole customer page."""
    return {
        "ats_form": AtsForm(initial={"ats": customer.ats}),
        **connection_context(customer),
        **index_context(customer),
        **quality_context(customer),
        **activity_context(customer),
        **support_actions_context(customer),
        **extra,
    }


def connection_context(customer: Customer) -> dict:
    """Return the stored credential and how many uploads wait for a new key."""
    credential = (
        JazzHRCredential.objects.select_related("connected_by")
        .filter(customer=customer)
        .first()
    )
    return {
        "customer": customer,
        "credential": credential,
        "waiting_upload_count": selectors.waiting_upload_count(customer),
    }


def index_context(customer: Customer) -> dict:
    """Return the applicant index's sync state and the details it still lacks."""
    state = index.sync_state(customer)
    awaiting = index.awaiting_details_count(customer) if state else 0
    return {
        "customer": customer,
        "index_state": state,
        "awaiting_details_count": awaiting,
    }


def quality_context(customer: Customer) -> dict:
    since = timezone.now() - QUALITY_PERIOD
    return {
        "customer": customer,
        "outcomes": quality.check_outcomes(customer, since=since),
        "quality_period_days": QUALITY_PERIOD.days,
    }


def activity_context(customer: Customer) -> dict:
    """Return the latest checks and uploads, and whether any is queued or running."""
    checks = list(
        customer.duplicate_checks.select_related("requested_by")[:RECENT_WORK_LIMIT]
    )
    uploads = list(customer.uploads.select_related("requested_by")[:RECENT_WORK_LIMIT])
    has_unfinished = any(row.status in ACTIVE_STATUSES for row in [*checks, *uploads])
    return {
        "customer": customer,
        "checks": checks,
        "uploads": uploads,
        "has_unfinished_work": has_unfinished,
    }


def support_actions_context(customer: Customer) -> dict:
    actions = selectors.latest_support_actions(customer, RECENT_SUPPORT_ACTIONS_LIMIT)
    return {
        "customer": customer,
        "support_actions": actions,
        "support_actions_limit": RECENT_SUPPORT_ACTIONS_LIMIT,
    }


# The context function of each partial of the customer page that an action
# response renders. The action notice needs only the action's outcome.
PARTIAL_CONTEXTS = {
    "reconnect_banner": connection_context,
    "connection": connection_context,
    "index": index_context,
    "activity": activity_context,
    "support_actions": support_actions_context,
    "action_notice": None,
}


def partials_context(customer: Customer, names: list[str]) -> dict:
    """Return the context of the named partials, running each panel's queries once."""
    context: dict = {"customer": customer}
    builders = []
    for name in names:
        build = PARTIAL_CONTEXTS[name]
        if build is not None and build not in builders:
            builders.append(build)
    for build in builders:
        context.update(build(customer))
    return context
