"""The recruiter sidebar: connect to JazzHR, check for duplicates, upload.

Each view responds to an htmx request with the named partial that it replaces, and
to a plain browser request with the whole page, so the sidebar also works without
JavaScript. A plain POST that creates a check or an upload redirects to its page
instead, so reloading that page sends no second POST.
"""

from __future__ import annotations

import logging
import uuid

from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from integrations.jazzhr import errors as jazzhr_errors
from integrations.jazzhr.forms import CandidateForm, ConnectForm
from integrations.jazzhr.models import Upload, WorkStatus
from integrations.jazzhr.services import connection, duplicate_checks, jobs, uploads
from support_dashboard.dashboard.access import (
    recruiter_check_or_404,
    recruiter_required,
    recruiter_upload_or_404,
)
from support_dashboard.dashboard.forms import SidebarUploadForm
from support_dashboard.dashboard.jazzhr_messages import describe_jazzhr_error

logger = logging.getLogger(__name__)

TEMPLATE = "dashboard/sidebar.html"
# htmx 2 ignores 4xx bodies by default, so the base layout configures it to swap
# these two.
INVALID_FORM_STATUS = 422
NOT_READY_STATUS = 409


@require_GET
@recruiter_required
def sidebar(request):
    return render_page(request, {})


@require_POST
@recruiter_required
def connect(request):
    customer = request.user.customer

    form = ConnectForm(request.POST)
    if not form.is_valid():
        return render_connect(request, {"connect_form": form}, INVALID_FORM_STATUS)

    # connect() queues every waiting upload of the customer, so this count is the
    # number it resumes, unless an upload is parked or cancelled in between.
    waiting_count = Upload.objects.filter(
        customer=customer, status=WorkStatus.WAITING
    ).count()
    try:
        credential = connection.connect(
            customer, form.cleaned_data["api_key"], user=request.user
        )
    except connection.AtsNotEnabled as exc:
        return render_connect(request, {"connect_error": str(exc)}, NOT_READY_STATUS)
    except jazzhr_errors.JazzHRError as exc:
        logger.warning("Connect for customer %s failed: %s", customer.slug, exc)
        context = {"connect_error": describe_jazzhr_error(exc)}
        return render_connect(request, context, INVALID_FORM_STATUS)
    context = {"connected_credential": credential, "resumed_count": waiting_count}
    return render_connect(request, context, 200)


@require_GET
@recruiter_required
def job_picker(request):
    customer = request.user.customer
    context = {"selected_job_id": request.GET.get("job_id", "")}

    try:
        context["jobs"] = jobs.listed_jobs(customer)
    except (connection.AtsNotEnabled, connection.NotConnected) as exc:
        context["jobs_error"] = str(exc)
    except jazzhr_errors.JazzHRError as exc:
        logger.warning("Job list for customer %s failed: %s", customer.slug, exc)
        context["jobs_error"] = describe_jazzhr_error(exc)
    return render(request, TEMPLATE + "#job_picker", context)


@require_POST
@recruiter_required
def check_create(request):
    customer = request.user.customer

    form = CandidateForm(request.POST)
    if not form.is_valid():
        return render_form(request, {"form": form}, INVALID_FORM_STATUS)

    try:
        check = duplicate_checks.request_duplicate_check(
            customer, form.candidate(), user=request.user
        )
    except (connection.AtsNotEnabled, connection.NotConnected) as exc:
        context = {"form": form, "not_ready": str(exc)}
        return render_form(request, context, NOT_READY_STATUS)

    if not request.htmx:
        return see_other(reverse("dashboard:sidebar-check", args=[check.id]))
    return render_form(request, {"form": form, "check": check})


@require_GET
@recruiter_required
def check_detail(request, check_id):
    check = recruiter_check_or_404(request, check_id)
    return render_result(request, {"form": form_for(check), "check": check})


@require_POST
@recruiter_required
def upload_create(request):
    customer = request.user.customer

    form = SidebarUploadForm(request.POST, customer=customer)
    if not form.is_valid():
        context = {"form": form, "check": form.duplicate_check}
        return render_form(request, context, INVALID_FORM_STATUS)

    data = form.cleaned_data
    try:
        upload, _ = uploads.request_upload(
            customer,
            form.candidate(),
            user=request.user,
            job_id=data["job_id"],
            merge_with_applicant_id=data["merge_with_applicant_id"],
            duplicate_check=form.duplicate_check,
            idempotency_key=data["idempotency_key"],
        )
    except (connection.AtsNotEnabled, connection.NotConnected) as exc:
        context = {"form": form, "check": form.duplicate_check, "not_ready": str(exc)}
        return render_form(request, context, NOT_READY_STATUS)
    except uploads.IdempotencyKeyReused as exc:
        # A second click on the other button of the same check: show the first upload.
        upload = exc.upload

    if not request.htmx:
        return see_other(reverse("dashboard:sidebar-upload", args=[upload.id]))
    return render_form(request, {"form": form, "upload": upload})


@require_GET
@recruiter_required
def upload_detail(request, upload_id):
    upload = recruiter_upload_or_404(request, upload_id)
    return render_result(request, {"form": form_for(upload), "upload": upload})


def see_other(url: str) -> HttpResponseRedirect:
    """Redirect a plain form POST with 303, so reloading the page repeats a GET."""
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def form_for(row) -> CandidateForm:
    """Return the candidate form filled in with a check's or an upload's fields."""
    fields = ["first_name", "last_name", "email", "phone", "linkedin_url"]
    return CandidateForm(initial={name: getattr(row, name) for name in fields})


def connection_context(customer) -> dict:
    """Return why the customer cannot use JazzHR yet, or its usable credential."""
    try:
        credential = connection.usable_credential(customer)
    except connection.AtsNotEnabled as exc:
        return {"ats_message": str(exc)}
    except connection.NotConnected as exc:
        return {"connect_message": str(exc)}
    return {"credential": credential}


def render_page(request, context: dict, status: int = 200):
    page_context = {
        "customer": request.user.customer,
        "form": CandidateForm(),
        # Every rendered result gets a fresh key, so a double click on an upload
        # button sends the same key twice and creates one upload.
        "idempotency_key": uuid.uuid4().hex,
        **connection_context(request.user.customer),
        **context,
    }
    return render(request, TEMPLATE, page_context, status=status)


def render_connect(request, context: dict, status: int):
    if not request.htmx:
        return render_page(request, {"show_connect": True, **context}, status)
    return render(request, TEMPLATE + "#connect_form", context, status=status)


def render_result(request, context: dict):
    """Render the check or upload state that the sidebar polls."""
    if not request.htmx:
        return render_page(request, context)
    context = {"idempotency_key": uuid.uuid4().hex, **context}
    return render(request, TEMPLATE + "#result", context)


def render_form(request, context: dict, status: int = 200):
    """Render the candidate form with its errors and the check or upload state.

    The form partial replaces the whole form, so errors of an earlier submit
    disappear. The job drop-down keeps its loaded options because it is preserved
    across swaps.
    """
    if not request.htmx:
        return render_page(request, context, status)
    context = {"idempotency_key": uuid.uuid4().hex, **context}
    return render(request, TEMPLATE + "#candidate_form", context, status=status)
