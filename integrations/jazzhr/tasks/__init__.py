"""Celery tasks of the JazzHR integration; autodiscovery imports this package."""

from __future__ import annotations

from integrations.jazzhr.tasks.index import (
    schedule_index_syncs,
    start_index_sync,
    sync_index,
)
from integrations.jazzhr.tasks.maintenance import (
    recover_stalled_work,
    validate_connected_keys,
)
from integrations.jazzhr.tasks.work import run_duplicate_check, run_upload

__all__ = [
    "recover_stalled_work",
    "validate_connected_keys",
    "run_duplicate_check",
    "run_upload",
    "schedule_index_syncs",
    "start_index_sync",
    "sync_index",
]
