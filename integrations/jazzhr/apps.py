from __future__ import annotations

from django.apps import AppConfig


class JazzHRConfig(AppConfig):
    name = "integrations.jazzhr"
    label = "jazzhr"
    verbose_name = "JazzHR"
