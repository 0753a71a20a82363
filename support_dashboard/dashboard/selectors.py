"""Read queries of the support pages that no service offers."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from integrations.jazzhr.models import SupportAction, Upload, WorkStatus
from support_dashboard.customers.models import Customer


def with_waiting_upload_count(customers: QuerySet[Customer]) -> QuerySet[Customer]:
    """Annotate each customer with `waiting_upload_count`, in the same query."""
    waiting = (
        Upload.objects.filter(customer=OuterRef("pk"), status=WorkStatus.WAITING)
        .order_by()
        .values("customer")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return customers.annotate(
        waiting_upload_count=Coalesce(Subquery(waiting, output_field=IntegerField()), 0)
    )


def waiting_upload_count(customer: Customer) -> int:
    """Count the customer's uploads that wait for a new JazzHR key."""
    return Upload.objects.filter(customer=customer, status=WorkStatus.WAITING).count()


def latest_support_actions(customer: Customer, limit: int) -> list[SupportAction]:
    """Return the customer's newest support actions with their actor and target."""
    actions = SupportAction.objects.filter(customer=customer).select_related(
        "actor", "upload", "duplicate_check"
    )
    return list(actions[:limit])


def support_actions_on(upload: Upload) -> list[SupportAction]:
    """Return every support action taken on `upload`, newest first."""
    return list(SupportAction.objects.filter(upload=upload).select_related("actor"))
