from __future__ import annotations

from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "support_dashboard.customers"
    label = "customers"
