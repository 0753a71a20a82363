from __future__ import annotations

import io
import json
import logging
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from integrations.jazzhr.client import JazzHRClient
from integrations.jazzhr.redaction import (
    REDACTED,
    URLLIB3_LOGGERS,
    RedactSecretsFilter,
    install_redaction,
    redact,
)

KEY = "Zq8SECRETkey0123456789"


def remove_redaction_filters() -> None:
    targets = [logging.getLogger(name) for name in URLLIB3_LOGGERS]
    targets += logging.getLogger().handlers
    for target in targets:
        for item in list(target.filters):
            if isinstance(item, RedactSecretsFilter):
                target.removeFilter(item)


@pytest.fixture(autouse=True)
def clean_filters():
    remove_redaction_filters()
    yield
    remove_redaction_filters()


def make_record(msg, args=(), exc_info=None) -> logging.LogRecord:
    return logging.LogRecord(
        "urllib3.connectionpool", 10, __file__, 1, msg, args, exc_info
    )


class EmptyListHandler(BaseHTTPRequestHandler):
    def do_GET(self):
        body = b"[]"
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        pass


@pytest.fixture
def local_jazzhr():
    server = ThreadingHTTPServer(("127.0.0.1", 0), EmptyListHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


# redact()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            f'"GET /v1/users/page/1?apikey={KEY} HTTP/1.1" 200 2',
            f'"GET /v1/users/page/1?apikey={REDACTED} HTTP/1.1" 200 2',
        ),
        (f"/v1/jobs?apikey={KEY}&page=2", f"/v1/jobs?apikey={REDACTED}&page=2"),
        (f"/v1/jobs?APIKEY={KEY}", f"/v1/jobs?APIKEY={REDACTED}"),
        (f"url='/v1/jobs?apikey={KEY}'", f"url='/v1/jobs?apikey={REDACTED}'"),
        (f'{{"apikey": "{KEY}", "a": 1}}', f'{{"apikey": "{REDACTED}", "a": 1}}'),
        (f'{{"apikey":"{KEY}"}}', f'{{"apikey":"{REDACTED}"}}'),
        (f"{{'apikey': '{KEY}'}}", f"{{'apikey': '{REDACTED}'}}"),
        ('{"apikey": "a\\"b", "x": 1}', f'{{"apikey": "{REDACTED}", "x": 1}}'),
        ('{"apikey": "Zq8SEC', f'{{"apikey": "{REDACTED}"'),
    ],
    ids=[
        "request-line",
        "query-followed",
        "upper-case",
        "quoted-url",
        "json",
        "json-compact",
        "python-dict",
        "escaped-quote",
        "truncated",
    ],
)
def test_redact_cases(text, expected):
    assert redact(text) == expected


def test_redact_keeps_other_text():
    text = "GET /v1/applicants/page/2 returned HTTP 200"

    assert redact(text) == text


def test_redact_json_stays_valid():
    body = json.dumps({"apikey": KEY, "first_name": "Neil"})

    assert json.loads(redact(body)) == {"apikey": REDACTED, "first_name": "Neil"}


# RedactSecretsFilter


def test_filter_rewrites_msg_and_args():
    record = make_record('%s "%s %s"', ("http://x", "GET", f"/v1/jobs?apikey={KEY}"))

    keeps_record = RedactSecretsFilter().filter(record)

    assert keeps_record is True
    assert record.msg == f'http://x "GET /v1/jobs?apikey={REDACTED}"'
    assert record.args == ()


def test_filter_tolerates_bad_args():
    record = make_record("%s %s", (f"apikey={KEY}",))

    RedactSecretsFilter().filter(record)

    assert KEY not in record.getMessage()


def test_filter_redacts_exception_text():
    try:
        raise ConnectionError(f"Max retries exceeded with url: /v1/jobs?apikey={KEY}")
    except ConnectionError:
        record = make_record("request failed", exc_info=sys.exc_info())

    RedactSecretsFilter().filter(record)
    rendered = logging.Formatter().format(record)

    assert KEY not in rendered
    assert "Max retries exceeded" in rendered


# install_redaction()


def test_install_is_idempotent():
    install_redaction()
    install_redaction()

    for name in URLLIB3_LOGGERS:
        filters = logging.getLogger(name).filters
        count = sum(isinstance(item, RedactSecretsFilter) for item in filters)
        assert count == 1, name


def test_install_covers_root_handlers():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        install_redaction()
        logging.getLogger("tests.redaction").warning("calling %s", f"?apikey={KEY}")
    finally:
        root.removeHandler(handler)

    assert KEY not in stream.getvalue()
    assert f"?apikey={REDACTED}" in stream.getvalue()


def test_urllib3_debug_log_leaks_without_filter(local_jazzhr, caplog):
    caplog.set_level(logging.DEBUG, logger="urllib3")

    JazzHRClient(KEY, base_url=local_jazzhr).list_users()

    assert KEY in caplog.text


def test_urllib3_debug_log_hides_key(local_jazzhr, caplog):
    caplog.set_level(logging.DEBUG, logger="urllib3")
    install_redaction()

    JazzHRClient(KEY, base_url=local_jazzhr).list_users()

    assert "/v1/users/page/1?apikey=[REDACTED]" in caplog.text
    assert KEY not in caplog.text
