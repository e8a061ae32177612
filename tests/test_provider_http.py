"""The shared HTTP seam: per-source headers, Retry-After forms, size cap, failures mapped to typed errors."""
from __future__ import annotations

import email.utils
import socket
import time

import httpx
import pytest
from loopback import serving

from market.providers.base import SourceError, SourceGarbage, SourceHTTPError, SourceTimeout
from market.providers.http import MAX_BODY_BYTES, decode_gb, get_bytes, make_client, retry_after_seconds


def test_retry_after_delta_and_http_date():
    assert retry_after_seconds("30") == 30
    assert retry_after_seconds(None) is None and retry_after_seconds("soon") is None
    later = email.utils.formatdate(time.time() + 120, usegmt=True)
    assert 110 <= retry_after_seconds(later) <= 121
    assert retry_after_seconds(email.utils.formatdate(time.time() - 60, usegmt=True)) == 0


async def test_referer_only_where_a_source_needs_it():
    seen = {}

    def handler(request):
        seen[request.url.host] = request.headers
        return httpx.Response(200, content=b"ok")

    async with make_client(2.0, transport=httpx.MockTransport(handler)) as client:
        for source in ("sina", "yahoo"):
            await get_bytes(client, source, f"http://{source}.test/x")
    assert seen["sina.test"]["Referer"] == "https://finance.sina.com.cn/"
    assert "Referer" not in seen["yahoo.test"]
    assert "Chrome" in seen["yahoo.test"]["User-Agent"]


async def test_oversized_body_is_garbage():
    big = b"v" * (MAX_BODY_BYTES + 10)
    async with make_client(2.0, transport=httpx.MockTransport(lambda r: httpx.Response(200, content=big))) as c:
        with pytest.raises(SourceGarbage, match="larger"):
            await get_bytes(c, "tencent", "http://t.test/q=hk00700")


async def test_accepted_statuses_pass_through():
    async with make_client(2.0, transport=httpx.MockTransport(lambda r: httpx.Response(404, content=b"nf"))) as c:
        assert await get_bytes(c, "yahoo", "http://y.test/", ok_statuses=(200, 404)) == (404, b"nf")
        with pytest.raises(SourceHTTPError, match="404"):
            await get_bytes(c, "yahoo", "http://y.test/")


async def test_refused_connection_is_a_source_error():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again before the request: nothing listens there
    async with make_client(1.0) as client:
        with pytest.raises(SourceError, match="ConnectError"):
            await get_bytes(client, "tencent", f"http://127.0.0.1:{port}/q=hk00700")


@pytest.mark.parametrize("mode,error", [("hang", SourceTimeout), ("slow-drip", SourceTimeout),
                                        ("truncated", SourceGarbage), ("reset", SourceError)])
async def test_loopback_faults_are_typed_and_bounded(mode, error):
    with serving(tencent={"hk00700": "100~x~00700~1.0"}) as server:
        server.mode = mode
        server.drip_seconds = 0.1
        started = time.monotonic()
        async with make_client(0.4) as client:
            with pytest.raises(error):
                await get_bytes(client, "tencent", f"{server.url}/q=hk00700", deadline=0.8)
        assert time.monotonic() - started < 2


def test_gb18030_decoding_never_fails():
    assert decode_gb("腾讯控股".encode("gb18030")) == "腾讯控股"
    assert decode_gb(b"\xff\xfe ok").endswith(" ok")


async def test_a_gzip_bomb_is_refused_at_the_cap_without_inflating_it():
    import gzip
    import tracemalloc

    bomb = gzip.compress(b"0" * (64 * MAX_BODY_BYTES))  # 256 MiB of zeros in ~250 KB

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"content-encoding": "gzip"}, stream=httpx.ByteStream(bomb))

    async with make_client(2.0, transport=httpx.MockTransport(handler)) as client:
        tracemalloc.start()
        with pytest.raises(SourceGarbage, match="larger than"):
            await get_bytes(client, "tencent", "http://127.0.0.1/q=hk00700")
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert peak < 4 * MAX_BODY_BYTES, f"peak {peak / 2**20:.0f} MiB: the body was inflated before the cap"


async def test_an_unknown_content_encoding_is_garbage_not_a_crash():
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"content-encoding": "zstd-ish"}, stream=httpx.ByteStream(b"xx"))

    async with make_client(2.0, transport=httpx.MockTransport(handler)) as client:
        with pytest.raises(SourceGarbage, match="content encoding"):
            await get_bytes(client, "sina", "http://127.0.0.1/list=gb_baba")
