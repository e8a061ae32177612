"""A real HTTP server on 127.0.0.1 for failure tests, speaking Tencent, Sina and arbitrary routes.

Reusable by any test (`from loopback import LoopbackServer`): set `server.mode` to make it misbehave.

Modes:
    ok          answer from the tables (Tencent `/q=codes`, Sina `/list=codes`, `routes[path]`)
    500         HTTP 500 with an HTML body
    429         HTTP 429 with `Retry-After: <retry_after>`
    garbage     HTTP 200 with binary junk
    truncated   HTTP 200 whose Content-Length promises more than is sent, then the connection closes
    hang        accept the request and never answer (until the server is closed)
    slow-drip   HTTP 200, then one byte every `drip_seconds` (never trips a read timeout)
    reset       close the connection without a response

Hanging handlers wait on an Event that `close()` sets, so tests never wait for them to time out.
"""
from __future__ import annotations

import http.server
import os
import socket
import struct
import threading
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager

MODES = ("ok", "500", "429", "garbage", "truncated", "hang", "slow-drip", "reset")


class _QuietServer(http.server.ThreadingHTTPServer):
    """Clients hanging up mid-request is what these tests provoke; no tracebacks for it on stderr."""

    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        pass


class LoopbackServer:
    """Threaded loopback server; `url` is its base URL, `requests` the paths it was asked for."""

    def __init__(self, tencent: dict[str, str] | None = None, sina: dict[str, str] | None = None,
                 routes: dict[str, bytes] | None = None):
        self.tencent = dict(tencent or {})
        self.sina = dict(sina or {})
        self.routes = dict(routes or {})
        self.requests: list[str] = []
        self.headers: list[dict[str, str]] = []
        self.mode = "ok"
        self.retry_after = "7"
        self.drip_seconds = 0.5
        self.closing = threading.Event()
        self.httpd = _QuietServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()

    def _handler(self) -> type[http.server.BaseHTTPRequestHandler]:
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:
                server.requests.append(self.path)
                server.headers.append(dict(self.headers.items()))
                server.respond(self)

        return Handler

    def respond(self, h: http.server.BaseHTTPRequestHandler) -> None:
        mode = self.mode
        if mode == "hang":
            self.closing.wait(60)
            h.close_connection = True
            return
        if mode == "reset":
            h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            h.close_connection = True
            return
        if mode == "500":
            self._send(h, 500, b"<html><body>Internal Server Error</body></html>", "text/html")
        elif mode == "429":
            self._send(h, 429, b"Too Many Requests", "text/plain", {"Retry-After": self.retry_after})
        elif mode == "garbage":
            self._send(h, 200, b"\x00\xff<html>oops" + os.urandom(64), "text/html")
        elif mode == "truncated":
            body, ctype = self.answer(h.path)
            h.send_response(200)
            h.send_header("Content-Type", ctype)
            h.send_header("Content-Length", str(len(body) + 100))
            h.end_headers()
            h.wfile.write(body[: max(1, len(body) // 2)])
            h.close_connection = True
        elif mode == "slow-drip":
            body, ctype = self.answer(h.path)
            h.send_response(200)
            h.send_header("Content-Type", ctype)
            h.send_header("Content-Length", str(len(body)))
            h.end_headers()
            for i in range(len(body)):
                if self.closing.wait(self.drip_seconds):
                    break
                try:
                    h.wfile.write(body[i:i + 1])
                    h.wfile.flush()
                except OSError:
                    break
            h.close_connection = True
        else:
            body, ctype = self.answer(h.path)
            self._send(h, 200 if body else 404, body or b"not found", ctype)

    @staticmethod
    def _send(h, status: int, body: bytes, ctype: str, extra: dict[str, str] | None = None) -> None:
        h.send_response(status)
        h.send_header("Content-Type", ctype)
        h.send_header("Content-Length", str(len(body)))
        for k, v in (extra or {}).items():
            h.send_header(k, v)
        h.end_headers()
        h.wfile.write(body)

    def answer(self, path: str) -> tuple[bytes, str]:
        """The body for `path` in ok mode: Tencent or Sina lines (GB18030), or a fixed route."""
        plain = urllib.parse.unquote(path)
        if path.split("?")[0] in self.routes:
            return self.routes[path.split("?")[0]], "application/json"
        if plain in self.routes:
            return self.routes[plain], "application/json"
        if "/q=" in plain:
            out = []
            for code in filter(None, (c.strip() for c in plain.split("/q=", 1)[1].split("&")[0].split(","))):
                line = self.tencent.get(code.removeprefix("r_"))
                out.append(f'v_{code}="{line}";' if line else 'v_pv_none_match="1";')
            return ("\n".join(out) + "\n").encode("gb18030"), "text/html; charset=GBK"
        if "/list=" in plain:
            codes = [c for c in plain.split("/list=", 1)[1].split("&")[0].split(",") if c.strip()]
            out = [f'var hq_str_{c}="{self.sina.get(c, "")}";' for c in codes]
            return ("\n".join(out) + "\n").encode("gb18030"), "application/javascript; charset=GBK"
        return b"", "text/plain"

    def close(self) -> None:
        self.closing.set()
        self.httpd.shutdown()
        self.httpd.server_close()


@contextmanager
def serving(**tables) -> Iterator[LoopbackServer]:
    """`with serving(tencent={...}) as server:` a server that is always closed afterwards."""
    server = LoopbackServer(**tables)
    try:
        yield server
    finally:
        server.close()
