from __future__ import annotations

import sys

from django.test import RequestFactory
from django.views.debug import ExceptionReporter

# Built at run time: the debug page shows source lines, which must not hold it whole.
API_KEY = "-".join(["sim0key0that0must", "not0leak0000aa"])


def failing_connect(api_key: str):
    body = {"first_name": "Ada", "apikey": api_key}
    raise RuntimeError(f"failed while sending {len(body)} fields")


def debug_page(request) -> str:
    try:
        failing_connect(API_KEY)
    except RuntimeError:
        reporter = ExceptionReporter(request, *sys.exc_info())
        return reporter.get_traceback_html()
    raise AssertionError("failing_connect did not raise")


def test_debug_page_hides_key_in_locals():
    request = RequestFactory().post("/sidebar/connect/", {"api_key": API_KEY})

    page = debug_page(request)

    assert "failing_connect" in page
    assert API_KEY not in page


def test_debug_page_hides_posted_key():
    request = RequestFactory().post("/sidebar/connect/", {"api_key": API_KEY})
    request.POST  # noqa: B018 - parse the form as a view would have

    page = debug_page(request)

    assert "api_key" in page
    assert API_KEY not in page
