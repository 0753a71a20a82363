"""HTTP responses of the simulator, before they are written to the socket."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from typing import Any

SERVER_ERROR_STATUSES = (500, 502, 503, 504)

NGINX_BAD_GATEWAY_PAGE = (
    b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    b"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
    b"</body>\r\n</html>\r\n"
)
# A PHP warning printed ahead of a JSON body that was cut off.
PHP_WARNING_BODY = (
    b"<br />\n<b>Warning</b>:  mysql_fetch_assoc(): supplied argument is not a valid "
    b"MySQL result resource in <b>/var/www/api/v1/index.php</b> on line <b>412</b>"
    b'<br />\n[{"id":"prospect_'
)


@dataclass
class Response:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)
    # Seconds the server waits before sending the response.
    delay_seconds: float = 0.0


def encode_json(payload: Any, escape_slashes: bool = False) -> bytes:
    """Encode compactly like PHP's json_encode, optionally escaping "/" as "\\/"."""
    text = json.dumps(payload, separators=(",", ":"))
    if escape_slashes:
        # "/" occurs in JSON text only inside strings, so this changes no structure.
        text = text.replace("/", "\\/")
    return text.encode("ascii")


def json_response(
    status: int, payload: Any, escape_slashes: bool = False, **headers: str
) -> Response:
    return Response(status, encode_json(payload, escape_slashes), dict(headers))


def server_error_response(rng: random.Random) -> Response:
    status = rng.choice(SERVER_ERROR_STATUSES)
    return json_response(status, {"error": "Server Error"})


def non_json_response(rng: random.Random) -> Response:
    """Return an nginx error page with 502, or a PHP warning and cut JSON with 200."""
    if rng.random() < 0.5:
        return Response(502, NGINX_BAD_GATEWAY_PAGE)
    return Response(200, PHP_WARNING_BODY)
