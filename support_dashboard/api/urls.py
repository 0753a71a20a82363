from __future__ import annotations

from django.urls import path, re_path

from support_dashboard.api import views

app_name = "api"

urlpatterns = [
    path("jazzhr/connect", views.connect, name="connect"),
    path("jazzhr/jobs", views.job_list, name="jobs"),
    path("duplicate-checks", views.duplicate_check_create, name="duplicate-checks"),
    path(
        "duplicate-checks/<uuid:check_id>",
        views.duplicate_check_detail,
        name="duplicate-check",
    ),
    path("uploads", views.upload_create, name="uploads"),
    path("uploads/<uuid:upload_id>", views.upload_detail, name="upload"),
    path("openapi.json", views.openapi, name="openapi"),
    # Anything else under /api/v1/, such as a malformed id, gets a JSON 404.
    re_path(r"^(?P<path>.*)$", views.unknown_endpoint),
]
