"""Support actions: replay, cancel, re-run, re-validate a key and sync the index.

Each action calls one service function, and the support service records who acted
and when. A plain form post gets a message and a redirect back to its page. An
htmx request gets the panel or row that contains the button, plus out-of-band
swaps of the other panels that the action changed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.messages.constants import DEFAULT_TAGS
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_POST

from integrations.jazzhr import errors as jazzhr_errors
from integrations.jazzhr.models import DuplicateCheck, Upload
from integrations.jazzhr.services import connection, support
from support_dashboard.customers.models import Customer
from support_dashboard.dashboard import panels, selectors
from support_dashboard.dashboard.access import customer_or_404, support_required
from support_dashboard.dashboard.forms import ActionPage, UploadActionForm
from support_dashboard.dashboard.jazzhr_messages import describe_jazzhr_error

logger = logging.getLogger(__name__)

CUSTOMER_TEMPLATE = "dashboard/customer_detail.html"
AUDIT_LIST_TEMPLATE = "dashboard/audit_upload_list.html"
AUDIT_DETAIL_TEMPLATE = "dashboard/audit_upload_detail.html"
# The action does not apply in the current state. The base layout configures htmx
# to swap this status, so the message shows in place.
NOT_ALLOWED_STATUS = 409
# The partials of the customer page that change with each kind of action. The
# first contains the button and is the htmx target.
ACTIVITY_ACTION_PARTIALS = ["activity", "action_notice", "support_actions"]
REVALIDATE_PARTIALS = ["connection", "reconnect_banner", "activity", "support_actions"]
SYNC_PARTIALS = ["index"]
AUDIT_DETAIL_PARTIALS = ["outcome", "status_badge", "upload_support_actions"]


@dataclass(frozen=True)
class Outcome:
    """The message, message level and response status that an action returns."""

    level: int
    message: str
    status: int = 200

    @property
    def tag(self) -> str:
        return DEFAULT_TAGS[self.level]


def not_allowed(exc: Exception) -> Outcome:
    return Outcome(messages.ERROR, str(exc), NOT_ALLOWED_STATUS)


@require_POST
@support_required
def upload_replay(request, upload_id):
    upload = get_object_or_404(Upload, id=upload_id)
    fields = upload_action_fields(request)

    try:
        support.replay_upload(upload, actor=request.user)
    except support.ActionNotAllowed as exc:
        outcome = not_allowed(exc)
    else:
        outcome = Outcome(
            messages.SUCCESS, f"The upload of {upload.candidate_name} is queued again."
        )
    return respond_for_upload(request, upload.id, fields, outcome)


@require_POST
@support_required
def upload_cancel(request, upload_id):
    upload = get_object_or_404(Upload, id=upload_id)
    fields = upload_action_fields(request)

    try:
        support.cancel_upload(upload, actor=request.user)
    except support.ActionNotAllowed as exc:
        outcome = not_allowed(exc)
    else:
        outcome = Outcome(
            messages.SUCCESS, f"The upload of {upload.candidate_name} is cancelled."
        )
    return respond_for_upload(request, upload.id, fields, outcome)


@require_POST
@support_required
def check_rerun(request, check_id):
    check = get_object_or_404(
        DuplicateCheck.objects.select_related("customer"), id=check_id
    )

    try:
        support.rerun_duplicate_check(check, actor=request.user)
    except (connection.AtsNotEnabled, connection.NotConnected) as exc:
        outcome = not_allowed(exc)
    else:
        outcome = Outcome(
            messages.SUCCESS,
            f"A new duplicate check for {check.candidate_name} is queued.",
        )
    return respond_on_customer_page(
        request, check.customer, ACTIVITY_ACTION_PARTIALS, outcome
    )


@require_POST
@support_required
def customer_revalidate_key(request, slug):
    customer = customer_or_404(slug)

    outcome = revalidate_key(customer, request.user)

    return respond_on_customer_page(request, customer, REVALIDATE_PARTIALS, outcome)


@require_POST
@support_required
def customer_sync_index(request, slug):
    customer = customer_or_404(slug)

    outcome = start_index_sync(customer, request.user)

    return respond_on_customer_page(request, customer, SYNC_PARTIALS, outcome)


def revalidate_key(customer: Customer, actor) -> Outcome:
    """Validate the stored key through the support service and describe the result."""
    try:
        credential = support.revalidate_key(customer, actor=actor)
    except (connection.AtsNotEnabled, connection.NotConnected) as exc:
        return not_allowed(exc)
    except jazzhr_errors.JazzHRError as exc:
        logger.warning(
            "Key re-validation for customer %s failed: %s", customer.slug, exc
        )
        return Outcome(messages.ERROR, describe_jazzhr_error(exc))

    if credential.is_valid:
        return Outcome(
            messages.SUCCESS, f"JazzHR accepted the key …{credential.key_fingerprint}."
        )
    return Outcome(
        messages.ERROR,
        f"The saved key …{credential.key_fingerprint} no longer works. "
        f"{credential.last_error} A recruiter of {customer.name} must reconnect "
        "from the sidebar.",
    )


def start_index_sync(customer: Customer, actor) -> Outcome:
    """Start a sync of the customer's applicant index unless one is running."""
    try:
        connection.usable_credential(customer)
    except (connection.AtsNotEnabled, connection.NotConnected) as exc:
        return not_allowed(exc)

    state = support.start_index_sync(customer, actor=actor)
    if state is None:
        return Outcome(messages.INFO, "A sync is running already.")
    kind = "a full" if state.is_full_sync else "an incremental"
    return Outcome(messages.SUCCESS, f"Started {kind} sync of the applicant index.")


def upload_action_fields(request) -> dict:
    """Return the hidden fields of a Replay or Cancel button.

    Raises BadRequest when they are missing, and PermissionDenied when someone
    other than an admin names an upload audit page, which only admins may see.
    """
    form = UploadActionForm(request.POST)
    if not form.is_valid():
        raise BadRequest(f"Invalid support action fields: {form.errors.as_text()}")
    if form.cleaned_data["page"] != ActionPage.CUSTOMER and not request.user.is_admin:
        raise PermissionDenied
    return form.cleaned_data


def respond_for_upload(request, upload_id, fields: dict, outcome: Outcome):
    """Render the row or panel of the page that showed the upload's button."""
    related = ("customer", "requested_by", "duplicate_check__requested_by")
    upload = Upload.objects.select_related(*related).get(id=upload_id)
    page = fields["page"]
    if page == ActionPage.CUSTOMER:
        return respond_on_customer_page(
            request, upload.customer, ACTIVITY_ACTION_PARTIALS, outcome
        )

    if not request.htmx:
        messages.add_message(request, outcome.level, outcome.message)
        return redirect(audit_url(upload, fields))
    if page == ActionPage.AUDIT_LIST:
        context = {
            "upload": upload,
            "notice": outcome,
            "list_query": fields["list_query"],
        }
        return render_partials(
            request, AUDIT_LIST_TEMPLATE, ["upload_row"], context, outcome.status
        )
    context = {
        "upload": upload,
        "notice": outcome,
        "support_actions": selectors.support_actions_on(upload),
    }
    return render_partials(
        request, AUDIT_DETAIL_TEMPLATE, AUDIT_DETAIL_PARTIALS, context, outcome.status
    )


def audit_url(upload: Upload, fields: dict) -> str:
    if fields["page"] == ActionPage.AUDIT_DETAIL:
        return reverse("dashboard:audit-upload-detail", args=[upload.id])
    url = reverse("dashboard:audit-upload-list")
    return f"{url}?{fields['list_query']}" if fields["list_query"] else url


def respond_on_customer_page(
    request, customer: Customer, names: list[str], outcome: Outcome
):
    if not request.htmx:
        messages.add_message(request, outcome.level, outcome.message)
        return redirect("dashboard:customer-detail", slug=customer.slug)
    context = {**panels.partials_context(customer, names), "notice": outcome}
    return render_partials(request, CUSTOMER_TEMPLATE, names, context, outcome.status)


def render_partials(
    request, template: str, names: list[str], context: dict, status: int
) -> HttpResponse:
    """Render the named partials of `template` one after another.

    The first partial replaces the htmx target. The others are rendered with
    `oob` set, so they carry hx-swap-oob and replace the elements with their ids.
    """
    first, *others = names
    parts = [render_to_string(f"{template}#{first}", context, request)]
    for name in others:
        oob_context = {**context, "oob": True}
        parts.append(render_to_string(f"{template}#{name}", oob_context, request))
    return HttpResponse("".join(parts), status=status)
