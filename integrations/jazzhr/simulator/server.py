"""HTTP server of the JazzHR simulator, run in a background thread."""

from __future__ import annotations

import logging
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

from integrations.jazzhr.simulator.api import ApiRequest, handle_api_request
from integrations.jazzhr.simulator.control import handle_control_request
from integrations.jazzhr.simulator.responses import Response, json_response
from integrations.jazzhr.simulator.state import SimulatorStore

logger = logging.getLogger(__name__)

API_KEY_PARAMETER = re.compile(r"apikey=[^&\s'\"]*")
# Path segments followed by a value that is personal data or a secret.
MASKED_SEGMENTS = frozenset(("name", "email", "accounts"))


def path_without_api_key(url: str) -> str:
    """Return the path and query string of ``url`` without its apikey parameter."""
    parts = urlsplit(url)
    query = [
        (name, value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
        if name != "apikey"
    ]
    return f"{parts.path}?{urlencode(query)}" if query else parts.path


def path_for_log(url: str) -> str:
    """Return the path of ``url`` with names, emails and control API keys masked."""
    segments = urlsplit(url).path.split("/")
    for index in range(1, len(segments)):
        if segments[index - 1] in MASKED_SEGMENTS:
            segments[index] = "***"
    return "/".join(segments)


def split_path(url: str) -> list[str]:
    """Return the URL-decoded path segments of ``url``, ignoring a trailing slash.

    The path is split before decoding, so an encoded "/" stays inside its segment.
    """
    segments = urlsplit(url).path.split("/")[1:]
    if segments and segments[-1] == "":
        segments.pop()
    return [unquote(segment) for segment in segments]


class SimulatorRequestHandler(BaseHTTPRequestHandler):
    server: SimulatorHTTPServer
    # JazzHR's API is served by nginx.
    server_version = "nginx"
    sys_version = ""
    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes. Without TCP_NODELAY, Nagle's
    # algorithm and delayed ACKs hold each keep-alive response back by about 40 ms.
    disable_nagle_algorithm = True

    def do_GET(self) -> None:
        self.handle_request()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_GET

    def handle_request(self) -> None:
        started = time.monotonic()
        body = self.read_body()
        response = self.route(body)
        if response.delay_seconds:
            # stop() sets the event, so a long injected delay ends with the server.
            self.server.stopping.wait(response.delay_seconds)

        self.send(response)
        elapsed_ms = (time.monotonic() - started) * 1000
        logger.info(
            "%s %s %s %.0fms",
            self.command,
            path_for_log(self.path),
            response.status,
            elapsed_ms,
        )

    def read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding"):
            # TODO: chunked request bodies are not read, so they count as empty.
            self.close_connection = True
            return b""
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = 0
            self.close_connection = True
        return self.rfile.read(length) if length > 0 else b""

    def route(self, body: bytes) -> Response:
        segments = split_path(self.path)
        store = self.server.store
        if segments[:1] == ["v1"]:
            query = dict(parse_qsl(urlsplit(self.path).query, keep_blank_values=True))
            request = ApiRequest(
                method=self.command,
                segments=segments[1:],
                query=query,
                body=body,
                log_path=path_without_api_key(self.path),
            )
            return handle_api_request(store, request)
        if segments[:1] == ["_simulator"]:
            return handle_control_request(store, self.command, segments[1:], body)
        return json_response(404, {"error": "Not Found"})

    def send(self, response: Response) -> None:
        try:
            self.send_response(response.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(response.body)))
            self.send_header("Access-Control-Allow-Origin", "*")
            for name, value in response.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(response.body)
        except (BrokenPipeError, ConnectionResetError):
            # Expected after an injected timeout: the client gave up and hung up.
            logger.debug("Client closed the connection before the response was sent")
            self.close_connection = True

    def send_error(
        self, code: int, message: str | None = None, explain: str | None = None
    ) -> None:
        """Send a JSON error for a malformed request or an unsupported method."""
        self.log_error("code %d, message %s", code, message)
        self.close_connection = True
        reason = message or self.responses.get(code, ("Error",))[0]
        self.send(json_response(code, {"error": reason}))

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        # handle_request logs each request itself, without the API key.
        pass

    def log_message(self, format: str, *args: object) -> None:
        message = API_KEY_PARAMETER.sub("apikey=***", format % args)
        logger.debug("%s %s", self.address_string(), message)


class SimulatorHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    # The default listen backlog of 5 resets connections under concurrent load.
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], store: SimulatorStore) -> None:
        super().__init__(address, SimulatorRequestHandler)
        self.store = store
        self.stopping = threading.Event()


class Simulator:
    """A running simulator. Stop it with ``stop()`` or use it as a context manager."""

    def __init__(self, server: SimulatorHTTPServer, thread: threading.Thread) -> None:
        self._server = server
        self._thread = thread
        host, port = server.server_address[:2]
        self.root_url = f"http://{host}:{port}"
        self.base_url = f"{self.root_url}/v1"
        self.store = server.store

    def stop(self) -> None:
        if self._server.stopping.is_set():
            return
        self._server.stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()
        logger.info("JazzHR simulator stopped on %s", self.root_url)

    def __enter__(self) -> Simulator:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def start_simulator(
    host: str = "127.0.0.1", port: int = 0, store: SimulatorStore | None = None
) -> Simulator:
    """Start serving in a daemon thread and return at once. Port 0 picks a free port."""
    server = SimulatorHTTPServer((host, port), store or SimulatorStore())
    thread = threading.Thread(
        target=server.serve_forever, name="jazzhr-simulator", daemon=True
    )
    thread.start()
    simulator = Simulator(server, thread)
    logger.info("JazzHR simulator listening on %s", simulator.root_url)
    return simulator
