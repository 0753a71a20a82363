"""Support pages: the customer list and one customer's JazzHR set-up and activity.

The buttons of the customer page that change something live in `actions`.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from support_dashboard.customers import services as customer_services
from support_dashboard.customers.models import Ats, Customer
from support_dashboard.dashboard import panels, selectors
from support_dashboard.dashboard.access import customer_or_404, support_required
from support_dashboard.dashboard.forms import AtsForm, CustomerFilterForm

CUSTOMERS_PER_PAGE = 25
DETAIL_TEMPLATE = "dashboard/customer_detail.html"
# Browsers show a 422 page like any other, and the base layout configures htmx to
# swap it.
INVALID_FORM_STATUS = 422


@require_GET
@support_required
def customer_list(request):
    form = CustomerFilterForm(request.GET)
    form.is_valid()
    customers = Customer.objects.select_related("jazzhr_credential")
    customers = form.filter(selectors.with_waiting_upload_count(customers))
    page = Paginator(customers, CUSTOMERS_PER_PAGE).get_page(request.GET.get("page"))

    template_name = "dashboard/customer_list.html"
    if request.htmx:
        template_name += "#results"
    return render(request, template_name, {"form": form, "page_obj": page})


@require_GET
@support_required
def customer_detail(request, slug):
    customer = customer_or_404(slug)
    return render(request, DETAIL_TEMPLATE, panels.detail_context(customer))


@require_GET
@support_required
def customer_activity(request, slug):
    customer = customer_or_404(slug)
    context = panels.activity_context(customer)
    return render(request, DETAIL_TEMPLATE + "#activity", context)


@require_GET
@support_required
def customer_index(request, slug):
    """Render the index freshness panel, which polls itself while a sync runs."""
    customer = customer_or_404(slug)
    return render(request, DETAIL_TEMPLATE + "#index", panels.index_context(customer))


@require_POST
@support_required
def customer_set_ats(request, slug):
    customer = customer_or_404(slug)

    form = AtsForm(request.POST)
    if not form.is_valid():
        context = panels.detail_context(customer, ats_form=form)
        return render(request, DETAIL_TEMPLATE, context, status=INVALID_FORM_STATUS)

    ats = form.cleaned_data["ats"]
    changed = customer_services.set_ats(customer, ats, changed_by=request.user)
    if changed:
        messages.success(request, f"ATS set to {Ats(ats).label}.")
    else:
        messages.info(request, f"The ATS already was {Ats(ats).label}.")
    return redirect("dashboard:customer-detail", slug=customer.slug)
