"""Index syncs and index-backed checks through a real worker and the simulator."""

from __future__ import annotations

import pytest

from integrations.jazzhr import tasks
from integrations.jazzhr.models import (
    DuplicateCheck,
    IndexedApplicant,
    IndexSyncState,
    SyncPhase,
)
from integrations.jazzhr.services import index
from tests.conftest import wait_for

pytestmark = pytest.mark.worker


def wait_for_full_sync(customer, timeout: float = 60.0) -> IndexSyncState:
    def finished():
        state = IndexSyncState.objects.filter(customer=customer).first()
        if state is None or state.last_full_sync_finished_at is None:
            return None
        return state

    return wait_for(finished, timeout=timeout, interval=0.2)


def test_beat_task_syncs_index(connected_customer, loaded_account, worker):
    tasks.schedule_index_syncs.delay()

    state = wait_for_full_sync(connected_customer)

    applicants = IndexedApplicant.objects.filter(customer=connected_customer)
    assert state.phase == SyncPhase.IDLE
    assert state.total_count == 3
    assert applicants.filter(has_details=True).count() == 3
    assert applicants.filter(email="jose.garcia@gmail.com").exists()


def test_check_uses_index_when_jazzhr_down(
    api, connected_customer, loaded_account, worker
):
    index.schedule_initial_sync(connected_customer)
    wait_for_full_sync(connected_customer)
    loaded_account.set_faults(error_rate=1.0)

    response = api.post(
        "duplicate-checks",
        {"first_name": "Bob", "last_name": "Smith"},
    )
    result = api.wait_until_finished(f"duplicate-checks/{response.json()['id']}")

    check = DuplicateCheck.objects.get(pk=response.json()["id"])
    assert result["status"] == "succeeded"
    assert result["matches"][0]["last_name"] == "Smith"
    assert result["matches"][0]["source"] == "index"
    assert check.notice.startswith("JazzHR could not be reached")
    assert check.index_age_minutes == 0


def test_created_upload_enters_index(api, connected_customer, loaded_account, worker):
    index.schedule_initial_sync(connected_customer)
    wait_for_full_sync(connected_customer)

    response = api.post(
        "uploads",
        {"first_name": "Dana", "last_name": "Whitfield", "email": "dana@example.net"},
    )
    done = api.wait_until_finished(f"uploads/{response.json()['id']}")

    assert done["status"] == "succeeded", done["error"]
    applicant = IndexedApplicant.objects.get(
        customer=connected_customer, jazzhr_applicant_id=done["applicant_id"]
    )
    assert applicant.email == "dana@example.net"
    assert applicant.has_details
