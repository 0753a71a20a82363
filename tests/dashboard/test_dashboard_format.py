from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from support_dashboard.dashboard.templatetags.dashboard_format import (
    minutes_ago,
    percent,
)


@pytest.mark.parametrize(
    ("share", "expected"),
    [(None, "—"), (0.0, "0%"), (1 / 3, "33%"), (0.995, "100%"), (1.0, "100%")],
)
def test_percent_formats_share(share, expected):
    assert percent(share) == expected


@pytest.mark.parametrize(
    ("elapsed", "expected"),
    [
        (datetime.timedelta(seconds=20), "less than a minute ago"),
        (datetime.timedelta(seconds=90), "1 minute ago"),
        (datetime.timedelta(minutes=42, seconds=30), "42 minutes ago"),
        (datetime.timedelta(days=3), "4,320 minutes ago"),
        (datetime.timedelta(minutes=-5), "less than a minute ago"),
    ],
)
def test_minutes_ago_formats_elapsed(elapsed, expected):
    assert minutes_ago(timezone.now() - elapsed) == expected


def test_minutes_ago_without_moment():
    assert minutes_ago(None) == ""
