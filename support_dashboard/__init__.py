from __future__ import annotations

from support_dashboard.celery import app as celery_app

__all__ = ["celery_app"]
