from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from support_dashboard.customers.models import Ats, Customer

logger = logging.getLogger(__name__)


def unique_slug(name: str) -> str:
    base = slugify(name)[:70] or "customer"
    slug, suffix = base, 2
    while Customer.objects.filter(slug=slug).exists():
        slug = f"{base}-{suffix}"
        suffix += 1
    return slug


def create_customer(name: str, *, ats: str = Ats.NONE, created_by=None) -> Customer:
    name = name.strip()
    if not name:
        raise ValueError("The customer name is empty.")
    if ats not in Ats.values:
        raise ValueError(f"Unknown ATS {ats!r}: use one of {', '.join(Ats.values)}.")
    customer = Customer.objects.create(
        name=name,
        slug=unique_slug(name),
        ats=ats,
        ats_changed_by=created_by if ats != Ats.NONE else None,
        ats_changed_at=timezone.now() if ats != Ats.NONE else None,
    )
    logger.info("Created customer %s with ATS %s", customer.slug, ats)
    return customer


@transaction.atomic
def set_ats(customer: Customer, ats: str, *, changed_by) -> bool:
    """Switch the customer's ATS; return False when it already was `ats`."""
    if ats not in Ats.values:
        raise ValueError(f"Unknown ATS {ats!r}: use one of {', '.join(Ats.values)}.")
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    if customer.ats == ats:
        return False
    customer.ats = ats
    customer.ats_changed_by = changed_by
    customer.ats_changed_at = timezone.now()
    customer.save(
        update_fields=["ats", "ats_changed_by", "ats_changed_at", "updated_at"]
    )
    if ats == Ats.JAZZHR:
        # Uploads parked while JazzHR was off continue now.
        from integrations.jazzhr.services.uploads import resume_waiting_uploads

        resume_waiting_uploads(customer)
    logger.info(
        "Customer %s ATS set to %s by user %s", customer.slug, ats, changed_by.pk
    )
    return True
