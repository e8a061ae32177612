"""A real HTTP server on 127.0.0.1 for the news tests: feeds and pages, and every way they fail.

Routes map a path to a `Route`: a body with headers, a status, or a behaviour (`slow` drips bytes,
`hang` never answers until the server stops, `huge` streams without end, `reset` drops the
connection). Requests are recorded with their headers, so tests can see conditional GETs.
"""
from __future__ import annotations

import http.server
import socket
import struct
import threading
from dataclasses import dataclass, field


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    behaviour: str = "ok"  # ok | slow | hang | huge | reset
    etag: str | None = None  # answer 304 when the client sends it back


class Loopback:
    def __init__(self, routes: dict[str, Route] | None = None):
        self.routes: dict[str, Route] = dict(routes or {})
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.stopping = threading.Event()
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                server.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
                route = server.routes.get(self.path.split("?")[0])
                if route is None:
                    self._send(404, b"not found", {"Content-Type": "text/plain"})
                    return
                getattr(self, f"_{route.behaviour}")(route)

            def _send(self, status, body, headers):
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _ok(self, route):
                headers = dict(route.headers)
                if route.etag:
                    headers["ETag"] = route.etag
                    if self.headers.get("If-None-Match") == route.etag:
                        self.send_response(304)
                        self.send_header("ETag", route.etag)
                        self.send_header("Content-Length", "0")
                        self.end_headers()
                        return
                self._send(route.status, route.body, headers)

            def _slow(self, route):  # a drip: one byte every 0.2 s, never tripping a read timeout
                self.send_response(200)
                self.send_header("Content-Length", str(len(route.body)))
                self.end_headers()
                for i in range(len(route.body)):
                    if server.stopping.wait(0.2):
                        return
                    self.wfile.write(route.body[i : i + 1])
                    self.wfile.flush()

            def _hang(self, route):
                server.stopping.wait(30)

            def _huge(self, route):  # 50 MB declared, streamed until the client goes away
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(50 * 1024 * 1024))
                self.end_headers()
                chunk = b"<p>" + b"filler text " * 5000 + b"</p>\n"
                self.wfile.write(b"<html><body><article><p>Huge page start.</p>")
                try:
                    for _ in range(50 * 1024 * 1024 // len(chunk)):
                        self.wfile.write(chunk)
                except OSError:
                    return

            def _reset(self, route):
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.connection.close()
                self.close_connection = True

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def paths(self) -> list[str]:
        return [path for path, _ in self.requests]

    def close(self) -> None:
        self.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()

