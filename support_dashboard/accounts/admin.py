from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from support_dashboard.accounts.models import ApiToken, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "email", "role", "customer", "is_active", "last_login"]
    list_filter = ["role", "is_active", "customer"]
    search_fields = ["username", "email", "first_name", "last_name"]
    fieldsets = DjangoUserAdmin.fieldsets + (
        ("Role", {"fields": ["role", "customer"]}),
    )
    add_fieldsets = DjangoUserAdmin.add_fieldsets + (
        ("Role", {"fields": ["email", "role", "customer"]}),
    )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = [
        "prefix",
        "user",
        "name",
        "created_at",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = ["revoked_at"]
    search_fields = ["user__email", "prefix", "name"]
    readonly_fields = ["prefix", "created_at", "last_used_at"]
    exclude = ["token_hash"]

    def has_add_permission(self, request) -> bool:
        # Tokens are issued by `manage.py create_user`, which shows the plain text once.
        return False
