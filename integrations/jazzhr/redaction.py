"""Redaction of JazzHR API keys from log records and other text.

JazzHR takes the key as an ``apikey`` query parameter on GET and as an ``"apikey"``
JSON member on POST, so any logged URL or request body would expose it. urllib3 logs
every request line, query string included, at DEBUG.
"""

from __future__ import annotations

import logging
import re

REDACTED = "[REDACTED]"

# The value of an apikey query parameter runs up to the next parameter, whitespace,
# quote or bracket. The backslash also stops it so that escaped JSON stays valid.
_QUERY_PARAMETER = re.compile(r"(apikey=)[^&\s\"'<>\\]*", re.IGNORECASE)
# A JSON member ("apikey": "...") or a Python dict item ('apikey': '...'). A value
# cut off by truncation runs to the end of the text.
_MAPPING_ITEM = re.compile(
    r"""(["']apikey["']\s*:\s*)(["'])(?:\\.|(?!\2).)*(?:\2|\Z)""",
    re.IGNORECASE | re.DOTALL,
)

URLLIB3_LOGGERS = (
    "urllib3",
    "urllib3.connection",
    "urllib3.connectionpool",
    "urllib3.poolmanager",
    "urllib3.response",
    "urllib3.util.retry",
)


def redact(text: str) -> str:
    """Replace every API key value in ``text`` with ``[REDACTED]``."""
    text = _QUERY_PARAMETER.sub(rf"\g<1>{REDACTED}", text)
    return _MAPPING_ITEM.sub(rf"\g<1>\g<2>{REDACTED}\g<2>", text)


class RedactSecretsFilter(logging.Filter):
    """Logging filter that removes API keys from the records passing through it.

    The message is rendered once with its arguments and stored redacted in
    ``record.msg`` with empty ``record.args``. Exception and stack text are rendered
    and redacted too, because requests and urllib3 exceptions quote the full URL.
    The filter never drops a record.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(_render_message(record))
        record.args = ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


def _render_message(record: logging.LogRecord) -> str:
    try:
        return record.getMessage()
    except (TypeError, ValueError):
        # Arguments that do not match the format string: keep both, as text.
        return f"{record.msg} {record.args!r}"


def install_redaction() -> None:
    """Attach RedactSecretsFilter to the urllib3 loggers and the root handlers.

    A filter on a logger applies only to records created on that logger, not on its
    children, so every urllib3 module logger gets its own. Handlers on the root logger
    receive every propagated record. Handlers added to the root logger after this
    call are not covered, so call it again after logging is reconfigured. Repeated
    calls add no second filter.
    """
    for name in URLLIB3_LOGGERS:
        _add_filter_once(logging.getLogger(name))
    for handler in logging.getLogger().handlers:
        _add_filter_once(handler)


def _add_filter_once(target: logging.Filterer) -> None:
    if not any(isinstance(item, RedactSecretsFilter) for item in target.filters):
        target.addFilter(RedactSecretsFilter())
