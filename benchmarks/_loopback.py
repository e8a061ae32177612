"""A loopback HTTP server in Tencent's quote format (`qt.gtimg.cn`), for the refresh benchmarks.

Lines are synthetic (names and numbers made up here) in the wire format `market.providers.tencent`
parses: 78-field HK lines, 70-field US lines, `wh` FX lines, GB18030-encoded.
"""
from __future__ import annotations

import http.server
import threading
import time
import urllib.parse
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from _common import EASTERN, HKT, TRADING_INSTANT


def tencent_hk_line(code: str, name: str, last: float, prev: float, when: datetime) -> str:
    """A 78-field `v_hkNNNNN` value: the fields `market.providers.tencent.parse_hk` reads, the rest 0."""
    f = ["0"] * 78
    f[0], f[1], f[2] = "100", name, code
    f[3], f[4], f[5] = f"{last:.3f}", f"{prev:.3f}", f"{prev:.3f}"
    f[6] = f[29] = f"{1_000_000 + int(last * 1000)}.0"
    f[30] = when.astimezone(HKT).strftime("%Y/%m/%d %H:%M:%S")
    f[31], f[32] = f"{last - prev:.3f}", f"{(last - prev) / prev * 100:.2f}"
    f[33], f[34] = f"{max(last, prev) * 1.01:.3f}", f"{min(last, prev) * 0.99:.3f}"
    f[45], f[46], f[75], f[76], f[77] = "123.45", name.upper(), "HKD", "1", "50"
    return "~".join(f)


def tencent_us_line(ticker: str, last: float, prev: float, when: datetime) -> str:
    """A 70-field `v_usXXX` value (US Eastern timestamp, USD, ADS ratio 1:8)."""
    f = ["0"] * 70
    f[0], f[1], f[2] = "200", ticker, f"{ticker}.N"
    f[3], f[4], f[5], f[6] = f"{last:.2f}", f"{prev:.2f}", f"{prev:.2f}", "1000000"
    f[30] = when.astimezone(EASTERN).strftime("%Y-%m-%d %H:%M:%S")
    f[31], f[32] = f"{last - prev:.2f}", f"{(last - prev) / prev * 100:.2f}"
    f[33], f[34] = f"{max(last, prev):.2f}", f"{min(last, prev):.2f}"
    f[35], f[42], f[46] = "USD", "1:8", ticker
    return "~".join(f)


class TencentServer:
    """`GET /q=hk00001,usBABA,whUSDHKD` on 127.0.0.1, answering every HK, US and FX code with a
    synthetic line in Tencent's format (GB18030). `bump()` moves every price, so a refresh has new
    values to show; `delay` (seconds) holds each answer back, to keep a refresh in flight."""

    def __init__(self, when: datetime = TRADING_INSTANT):
        self.when = when
        self.generation = 0
        self.delay = 0.0
        self.requests: list[str] = []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, like the real endpoint

            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:
                server.requests.append(self.path)
                if server.delay:
                    time.sleep(server.delay)
                body = server.body(self.path)
                self.send_response(200 if body is not None else 404)
                body = body if body is not None else b"not found"
                self.send_header("Content-Type", "text/html; charset=GBK")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def bump(self) -> None:
        self.generation += 1

    def price(self, code: str) -> tuple[float, float]:
        """(last, prev_close) for a code at the current generation: distinct per code and per bump,
        and not seen again for 211 bumps, so no cache of drawn cells can serve a later refresh."""
        seed = sum(ord(c) * (i + 1) for i, c in enumerate(code)) % 997
        prev = 10 + seed / 10
        return round(prev * (1 + ((seed + self.generation * 7) % 211 - 105) / 1000), 3), prev

    def line(self, code: str) -> str | None:
        bare = code.removeprefix("r_")
        if bare.startswith("hk") and bare[2:].isdigit():
            last, prev = self.price(bare)
            return tencent_hk_line(bare[2:], f"基准{bare[2:]}", last, prev, self.when)
        if bare.startswith("us"):
            last, prev = self.price(bare)
            return tencent_us_line(bare[2:].upper(), last, prev, self.when - timedelta(hours=14))
        if bare.startswith("wh"):
            rate = 7.8123 if bare.endswith("HKD") else 7.1234
            stamp = self.when.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y%m%d%H%M%S")
            return f"310~fx~{bare[2:]}~{rate}~0~{stamp}~{rate}~{rate}~{rate}~{rate}"
        return None

    def body(self, path: str) -> bytes | None:
        raw = urllib.parse.unquote(urllib.parse.urlparse(path).path)
        if "q=" not in raw:
            return None
        out = []
        for code in raw.split("q=", 1)[1].split(","):
            code = code.strip()
            if code:
                line = self.line(code)
                out.append(f'v_{code}="{line}";' if line else 'v_pv_none_match="1";')
        return ("\n".join(out) + "\n").encode("gb18030")

    def close(self) -> None:
        self.httpd.shutdown()
