"""Template filters that format figures of the support pages."""

from __future__ import annotations

import datetime

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def percent(share: float | None) -> str:
    """Format a share between 0 and 1 as a whole percentage, or "—" without one."""
    if share is None:
        return "—"
    return f"{round(share * 100)}%"


@register.filter
def minutes_ago(moment: datetime.datetime | None) -> str:
    """Format the whole minutes from `moment` to now, such as "5 minutes ago"."""
    if moment is None:
        return ""
    elapsed = timezone.now() - moment
    minutes = max(0, int(elapsed.total_seconds() // 60))
    if minutes == 0:
        return "less than a minute ago"
    if minutes == 1:
        return "1 minute ago"
    return f"{minutes:,} minutes ago"
