"""Admin audit of uploads: who pushed which candidate to JazzHR, and the outcome."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from integrations.jazzhr.models import Upload
from support_dashboard.dashboard import selectors
from support_dashboard.dashboard.access import admin_required
from support_dashboard.dashboard.forms import UploadFilterForm

UPLOADS_PER_PAGE = 50


@require_GET
@admin_required
def upload_list(request):
    form = UploadFilterForm(request.GET)
    if form.is_valid():
        uploads = Upload.objects.select_related("customer", "requested_by")
        uploads = form.filter(uploads)
    else:
        # A partly applied filter would list rows the admin did not ask for.
        uploads = Upload.objects.none()
    page = Paginator(uploads, UPLOADS_PER_PAGE).get_page(request.GET.get("page"))

    template_name = "dashboard/audit_upload_list.html"
    if request.htmx:
        template_name += "#results"
    # Replay and Cancel send the filters along, so their redirect keeps them.
    context = {"form": form, "page_obj": page, "list_query": request.GET.urlencode()}
    return render(request, template_name, context)


@require_GET
@admin_required
def upload_detail(request, upload_id):
    related = ("customer", "requested_by", "duplicate_check__requested_by")
    upload = get_object_or_404(Upload.objects.select_related(*related), id=upload_id)
    context = {
        "upload": upload,
        "support_actions": selectors.support_actions_on(upload),
    }
    return render(request, "dashboard/audit_upload_detail.html", context)
