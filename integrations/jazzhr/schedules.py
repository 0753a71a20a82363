"""Celery beat entries of the JazzHR integration, merged into CELERY_BEAT_SCHEDULE."""

from __future__ import annotations

INDEX_SYNC_INTERVAL_SECONDS = 600.0

INDEX_BEAT_SCHEDULE = {
    "jazzhr-schedule-index-syncs": {
        "task": "integrations.jazzhr.tasks.index.schedule_index_syncs",
        "schedule": INDEX_SYNC_INTERVAL_SECONDS,
        # A run that has waited a whole interval is superseded by the next one.
        "options": {"expires": INDEX_SYNC_INTERVAL_SECONDS},
    },
}
