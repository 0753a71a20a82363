from __future__ import annotations

from django.contrib import admin

from support_dashboard.customers.models import Customer


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "ats", "ats_changed_by", "ats_changed_at"]
    list_filter = ["ats"]
    search_fields = ["name", "slug"]
    readonly_fields = ["ats_changed_by", "ats_changed_at", "created_at", "updated_at"]
    prepopulated_fields = {"slug": ["name"]}
