"""Celery tasks that keep each customer's applicant index in sync with JazzHR."""

from __future__ import annotations

from celery import shared_task

from integrations.jazzhr.services import index
from support_dashboard.customers.models import Customer


@shared_task(acks_late=True, ignore_result=True)
def sync_index(customer_id: int, run_token: str) -> None:
    """Advance one customer's sync by a bounded run, then enqueue the next run."""
    delay = index.run_sync(customer_id, run_token)
    if delay is not None:
        sync_index.apply_async((customer_id, run_token), countdown=delay)


@shared_task(acks_late=True, ignore_result=True)
def start_index_sync(customer_id: int, full: bool = False) -> None:
    """Start a sync now, unless the customer's sync is running already."""
    customer = Customer.objects.filter(pk=customer_id).first()
    if customer is not None:
        index.start_sync(customer, full=full)


@shared_task(ignore_result=True)
def schedule_index_syncs() -> None:
    """Start or resume the index sync of every connected customer (run by beat)."""
    index.schedule_due_syncs()
