"""Support pages: the customer list and one customer's JazzHR set-up and activity."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.messages.constants import DEFAULT_TAGS
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from integrations.jazzhr import errors as jazzhr_errors
from integrations.jazzhr.models import JazzHRCredential, WorkStatus
from integrations.jazzhr.services import connection
from support_dashboard.customers import services as customer_services
from support_dashboard.customers.models import Ats, Customer
from support_dashboard.dashboard.access import customer_or_404, support_required
from support_dashboard.dashboard.forms import AtsForm, CustomerFilterForm
from support_dashboard.dashboard.jazzhr_messages import describe_jazzhr_error

logger = logging.getLogger(__name__)

CUSTOMERS_PER_PAGE = 25
RECENT_WORK_LIMIT = 10
DETAIL_TEMPLATE = "dashboard/customer_detail.html"
# Rows in these statuses change without anyone acting, so their page polls.
ACTIVE_STATUSES = (WorkStatus.QUEUED, WorkStatus.RUNNING)
# Browsers show a 422 page like any other, and the base layout configures htmx to
# swap it.
INVALID_FORM_STATUS = 422


@require_GET
@support_required
def customer_list(request):
    form = CustomerFilterForm(request.GET)
    form.is_valid()
    customers = form.filter(Customer.objects.select_related("jazzhr_credential"))
    page = Paginator(customers, CUSTOMERS_PER_PAGE).get_page(request.GET.get("page"))

    template_name = "dashboard/customer_list.html"
    if request.htmx:
        template_name += "#results"
    return render(request, template_name, {"form": form, "page_obj": page})


@require_GET
@support_required
def customer_detail(request, slug):
    customer = customer_or_404(slug)
    return render(request, DETAIL_TEMPLATE, detail_context(customer))


@require_GET
@support_required
def customer_activity(request, slug):
    customer = customer_or_404(slug)
    return render(request, DETAIL_TEMPLATE + "#activity", activity_context(customer))


@require_POST
@support_required
def customer_set_ats(request, slug):
    customer = customer_or_404(slug)

    form = AtsForm(request.POST)
    if not form.is_valid():
        context = detail_context(customer, ats_form=form)
        return render(request, DETAIL_TEMPLATE, context, status=INVALID_FORM_STATUS)

    ats = form.cleaned_data["ats"]
    changed = customer_services.set_ats(customer, ats, changed_by=request.user)
    if changed:
        messages.success(request, f"ATS set to {Ats(ats).label}.")
    else:
        messages.info(request, f"The ATS already was {Ats(ats).label}.")
    return redirect("dashboard:customer-detail", slug=customer.slug)


@require_POST
@support_required
def customer_test_connection(request, slug):
    customer = customer_or_404(slug)

    level, message = run_connection_test(customer)

    if not request.htmx:
        messages.add_message(request, level, message)
        return redirect("dashboard:customer-detail", slug=customer.slug)
    test_result = {"tag": DEFAULT_TAGS[level], "message": message}
    context = detail_context(customer, test_result=test_result)
    return render(request, DETAIL_TEMPLATE + "#connection", context)


def run_connection_test(customer: Customer) -> tuple[int, str]:
    """Validate the stored key now and return a message level and the text to show."""
    try:
        credential = connection.test_connection(customer)
    except (connection.AtsNotEnabled, connection.NotConnected) as exc:
        return messages.ERROR, str(exc)
    except jazzhr_errors.JazzHRError as exc:
        logger.warning("Connection test for customer %s failed: %s", customer.slug, exc)
        return messages.ERROR, describe_jazzhr_error(exc)

    if credential.is_valid:
        return messages.SUCCESS, (
            f"JazzHR accepted the key …{credential.key_fingerprint}."
        )
    return messages.ERROR, (
        f"The saved key …{credential.key_fingerprint} no longer works. "
        f"{credential.last_error} The customer must reconnect from the sidebar."
    )


def detail_context(customer: Customer, **extra) -> dict:
    credential = (
        JazzHRCredential.objects.select_related("connected_by")
        .filter(customer=customer)
        .first()
    )
    return {
        "customer": customer,
        "credential": credential,
        "ats_form": AtsForm(initial={"ats": customer.ats}),
        **activity_context(customer),
        **extra,
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
