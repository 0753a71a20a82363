"""The scheduled check of every connected JazzHR key."""

from __future__ import annotations

import logging

from integrations.jazzhr.errors import JazzHRError
from integrations.jazzhr.models import JazzHRCredential
from integrations.jazzhr.services import connection
from support_dashboard.customers.models import Ats

logger = logging.getLogger(__name__)


def validate_connected_keys() -> dict[str, int]:
    """Validate each JazzHR customer's key; count valid, invalid and unreachable."""
    counts = {"valid": 0, "invalid": 0, "unreachable": 0}
    credentials = JazzHRCredential.objects.filter(
        customer__ats=Ats.JAZZHR
    ).select_related("customer")
    for credential in credentials:
        try:
            checked = connection.test_connection(credential.customer)
        except JazzHRError as exc:
            logger.warning(
                "Key check for customer %s could not reach JazzHR: %s",
                credential.customer.slug,
                exc,
            )
            counts["unreachable"] += 1
            continue
        counts["valid" if checked.is_valid else "invalid"] += 1
    logger.info("Validated JazzHR keys: %s", counts)
    return counts
