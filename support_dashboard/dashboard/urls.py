from __future__ import annotations

from django.urls import path

from support_dashboard.dashboard.views import actions, audit, home, sidebar, support

app_name = "dashboard"

urlpatterns = [
    path("", home.home, name="home"),
    path("customers/", support.customer_list, name="customer-list"),
    path("customers/<slug:slug>/", support.customer_detail, name="customer-detail"),
    path(
        "customers/<slug:slug>/activity/",
        support.customer_activity,
        name="customer-activity",
    ),
    path("customers/<slug:slug>/index/", support.customer_index, name="customer-index"),
    path("customers/<slug:slug>/ats/", support.customer_set_ats, name="customer-ats"),
    path(
        "customers/<slug:slug>/revalidate-key/",
        actions.customer_revalidate_key,
        name="customer-revalidate-key",
    ),
    path(
        "customers/<slug:slug>/sync-index/",
        actions.customer_sync_index,
        name="customer-sync-index",
    ),
    path(
        "uploads/<uuid:upload_id>/replay/",
        actions.upload_replay,
        name="upload-replay",
    ),
    path(
        "uploads/<uuid:upload_id>/cancel/",
        actions.upload_cancel,
        name="upload-cancel",
    ),
    path("checks/<uuid:check_id>/rerun/", actions.check_rerun, name="check-rerun"),
    path("sidebar/", sidebar.sidebar, name="sidebar"),
    path("sidebar/connect/", sidebar.connect, name="sidebar-connect"),
    path("sidebar/jobs/", sidebar.job_picker, name="sidebar-jobs"),
    path("sidebar/checks/", sidebar.check_create, name="sidebar-check-create"),
    path(
        "sidebar/checks/<uuid:check_id>/",
        sidebar.check_detail,
        name="sidebar-check",
    ),
    path("sidebar/uploads/", sidebar.upload_create, name="sidebar-upload-create"),
    path(
        "sidebar/uploads/<uuid:upload_id>/",
        sidebar.upload_detail,
        name="sidebar-upload",
    ),
    path("audit/uploads/", audit.upload_list, name="audit-upload-list"),
    path(
        "audit/uploads/<uuid:upload_id>/",
        audit.upload_detail,
        name="audit-upload-detail",
    ),
]
