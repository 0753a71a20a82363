from __future__ import annotations

from django.contrib import admin

from integrations.jazzhr.models import (
    CandidateUploadLock,
    DuplicateCheck,
    IndexedApplicant,
    IndexedApplicantKey,
    IndexSyncState,
    JazzHRCredential,
    SupportAction,
    Upload,
)


@admin.register(JazzHRCredential)
class JazzHRCredentialAdmin(admin.ModelAdmin):
    """The encrypted key is neither shown nor editable; connect through the product."""

    list_display = ["customer", "key_fingerprint", "status", "last_validated_at"]
    list_filter = ["status"]
    search_fields = ["customer__name", "customer__slug"]
    exclude = ["encrypted_api_key"]
    readonly_fields = [
        "customer",
        "key_fingerprint",
        "status",
        "last_validated_at",
        "last_error",
        "connected_by",
        "connected_at",
        "created_at",
        "updated_at",
    ]

    def has_add_permission(self, request) -> bool:
        return False


class ReadOnlyAuditAdmin(admin.ModelAdmin):
    """Audit rows are written by the workers only."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(DuplicateCheck)
class DuplicateCheckAdmin(ReadOnlyAuditAdmin):
    list_display = ["id", "customer", "requested_by", "status", "created_at"]
    list_filter = ["status", "customer"]
    search_fields = ["id", "last_name", "email"]
    date_hierarchy = "created_at"


@admin.register(Upload)
class UploadAdmin(ReadOnlyAuditAdmin):
    list_display = [
        "id",
        "customer",
        "requested_by",
        "action",
        "status",
        "jazzhr_applicant_id",
        "created_at",
    ]
    list_filter = ["status", "action", "customer"]
    search_fields = ["id", "last_name", "email", "jazzhr_applicant_id"]
    date_hierarchy = "created_at"


@admin.register(SupportAction)
class SupportActionAdmin(ReadOnlyAuditAdmin):
    list_display = [
        "created_at",
        "kind",
        "customer",
        "actor",
        "upload",
        "duplicate_check",
    ]
    list_filter = ["kind", "customer"]
    search_fields = ["detail", "customer__name"]
    date_hierarchy = "created_at"


@admin.register(CandidateUploadLock)
class CandidateUploadLockAdmin(ReadOnlyAuditAdmin):
    list_display = [
        "customer",
        "identity_key",
        "upload",
        "jazzhr_applicant_id",
        "updated_at",
    ]
    list_filter = ["customer"]
    search_fields = ["identity_key", "jazzhr_applicant_id"]


@admin.register(IndexedApplicant)
class IndexedApplicantAdmin(ReadOnlyAuditAdmin):
    """The shadow index is rebuilt from JazzHR by syncs; it is never edited here."""

    list_display = ["jazzhr_applicant_id", "customer", "first_name", "last_name"]
    list_filter = ["customer", "has_details"]
    search_fields = ["jazzhr_applicant_id", "last_name", "email"]


@admin.register(IndexedApplicantKey)
class IndexedApplicantKeyAdmin(ReadOnlyAuditAdmin):
    list_display = ["key", "customer", "applicant"]
    list_filter = ["customer"]
    search_fields = ["key"]
    raw_id_fields = ["applicant"]


@admin.register(IndexSyncState)
class IndexSyncStateAdmin(ReadOnlyAuditAdmin):
    list_display = ["customer", "phase", "last_sync_finished_at", "last_error"]
