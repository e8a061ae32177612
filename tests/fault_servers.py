"""Fault modes the reliability tests add on top of the quotes engineer's `LoopbackServer`.

`LoopbackServer` already speaks Tencent, Sina and fixed routes and misbehaves in eight ways; the
matrix also needs a wrong charset (a UTF-8 body sent as GBK, or UTF-16 JSON sent as UTF-8) and a
DNS failure (a `.invalid` host, RFC 2606: guaranteed never to resolve). Both sides of the matrix
(`FAULTS`) are listed here so the CLI and app tests try the same thing.
"""
from __future__ import annotations

import http.server
import json

from loopback import LoopbackServer

FAULTS = ("500", "429", "garbage", "truncated", "charset", "slow-drip", "hang", "reset", "dns")
UNRESOLVABLE = "http://nonexistent.invalid"


class FaultServer(LoopbackServer):
    """`LoopbackServer` plus mode `charset`: the right data in the wrong encoding for its label."""

    def respond(self, h: http.server.BaseHTTPRequestHandler) -> None:
        if self.mode != "charset":
            super().respond(h)
            return
        body, ctype = self.answer(h.path)
        if "charset=GBK" in ctype:  # Tencent/Sina: UTF-8 bytes labelled GBK (names garble, numbers survive)
            body = body.decode("gb18030").encode("utf-8")
        else:  # Yahoo JSON: UTF-16 labelled UTF-8 (no longer JSON at all)
            body, ctype = body.decode("utf-8").encode("utf-16"), "application/json; charset=utf-8"
        self._send(h, 200 if body else 404, body, ctype)

    def base_url(self, fault: str) -> str:
        """Where a client should point to meet `fault` (DNS failure is a URL, not a server mode)."""
        return UNRESOLVABLE if fault == "dns" else self.url


def yahoo_chart(symbol: str, price: float) -> bytes:
    """A one-day v8 chart body for `symbol` at `price` (our own numbers, the wire format of Yahoo)."""
    meta = {"currency": "USD", "symbol": symbol, "exchangeTimezoneName": "America/New_York",
            "regularMarketPrice": price, "regularMarketTime": 1773259200, "previousClose": 90.0,
            "chartPreviousClose": 90.0, "regularMarketDayHigh": 90.4, "regularMarketDayLow": 87.9,
            "regularMarketVolume": 4100000, "shortName": "Test Corp", "priceHint": 2, "range": "1d"}
    quote = {"open": [89.5], "high": [90.4], "low": [87.9], "close": [price], "volume": [4100000]}
    return json.dumps({"chart": {"result": [{"meta": meta, "timestamp": [1773236400],
                                             "indicators": {"quote": [quote]}}], "error": None}}).encode()
