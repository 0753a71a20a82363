"""Celery tasks of the JazzHR integration; autodiscovery imports this package."""

from __future__ import annotations

from integrations.jazzhr.tasks.work import run_duplicate_check, run_upload

__all__ = ["run_duplicate_check", "run_upload"]
