"""The one HTTP seam for every quote and history source.

One shared `httpx.AsyncClient` (connection reuse across refreshes), a browser User-Agent (Tencent and
Yahoo refuse obvious bots from some networks), the Referer each source needs (Sina answers 403
without it), connect/read timeouts of a few seconds plus a hard per-request deadline (a server that
drips one byte a second never trips a read timeout), a cap on body size, and one mapping from
transport failures to the typed `SourceError`s the quote service acts on.
"""
from __future__ import annotations

import asyncio
import email.utils
import time
import zlib

import httpx

from market.providers.base import (
    SourceError,
    SourceGarbage,
    SourceHTTPError,
    SourceRateLimited,
    SourceTimeout,
)

USER_AGENT = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0 Safari/537.36"
)
REFERERS = {
    "tencent": "https://gu.qq.com/",
    "sina": "https://finance.sina.com.cn/",
}
MAX_BODY_BYTES = 4 * 1024 * 1024  # 60 Tencent lines are ~40 KB; anything near this is not a quote body


def make_client(timeout_seconds: float, transport: httpx.AsyncBaseTransport | None = None) -> httpx.AsyncClient:
    """The shared client: browser UA, connect/read/write timeouts, no cookies kept between sources."""
    return httpx.AsyncClient(
        headers={"User-Agent": USER_AGENT, "Accept": "*/*", "Accept-Language": "en-US,en;q=0.9,zh-CN;q=0.8",
                 "Accept-Encoding": "gzip, deflate"},  # only what read_capped can bound
        timeout=httpx.Timeout(timeout_seconds, connect=timeout_seconds),
        follow_redirects=True,
        transport=transport,
    )


def source_headers(source: str) -> dict[str, str]:
    """Per-request headers for `source` (its Referer, if it needs one)."""
    referer = REFERERS.get(source)
    return {"Referer": referer} if referer else {}


def retry_after_seconds(value: str | None) -> float | None:
    """`Retry-After` as seconds: either delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


class BodyError(ValueError):
    """A body that cannot be decoded safely: an unknown content encoding, or broken compression."""


async def read_capped(response: httpx.Response, max_bytes: int) -> tuple[bytes, bool]:
    """The decoded body, at most `max_bytes`, and whether there was more.

    Decompresses no more than the cap: httpx would inflate each network chunk whole before any cap
    is checked (a 1 MB gzip bomb is ~1 GB of output, one 64 KB chunk alone ~64 MB). Shared by the
    quote sources and the news fetcher.
    """
    if response.is_stream_consumed:  # already read into memory (a mock transport): nothing left to bound
        return response.content[:max_bytes], len(response.content) > max_bytes
    encoding = response.headers.get("content-encoding", "identity").strip().lower() or "identity"
    if encoding not in ("identity", "gzip", "x-gzip", "deflate"):
        raise BodyError(f"unsupported content encoding {encoding[:20]!r}")
    inflate = None if encoding == "identity" else zlib.decompressobj(wbits=47)  # gzip or zlib header
    chunks: list[bytes] = []
    size = 0
    try:
        async for data in response.aiter_raw():
            while data:
                piece = inflate.decompress(data, max_bytes - size + 1) if inflate else data
                data = inflate.unconsumed_tail if inflate else b""
                chunks.append(piece)
                size += len(piece)
                if size >= max_bytes:
                    return b"".join(chunks)[:max_bytes], size > max_bytes or _more_declared(response, max_bytes)
    except zlib.error as e:
        raise BodyError(f"undecodable {encoding} body ({e})") from None
    return b"".join(chunks), False


def _more_declared(response: httpx.Response, max_bytes: int) -> bool:
    try:
        return int(response.headers.get("content-length", "0")) > max_bytes
    except ValueError:
        return True


async def get_bytes(
    client: httpx.AsyncClient,
    source: str,
    url: str,
    *,
    deadline: float | None = None,
    ok_statuses: tuple[int, ...] = (200,),
) -> tuple[int, bytes]:
    """GET `url` for `source`; returns (status, body) or raises a typed `SourceError`.

    `deadline` bounds the whole exchange (connect + headers + body); it defaults to twice the
    client's read timeout. Statuses outside `ok_statuses` raise, except that a caller may accept
    e.g. 404 (Yahoo's answer for an unknown symbol) by listing it.
    """
    if deadline is None:
        deadline = 2 * (client.timeout.read or 5.0)
    try:
        async with asyncio.timeout(deadline):
            async with client.stream("GET", url, headers=source_headers(source)) as resp:
                if resp.status_code == 429:
                    raise SourceRateLimited(
                        source, "HTTP 429 Too Many Requests",
                        retry_after=retry_after_seconds(resp.headers.get("Retry-After")),
                    )
                if resp.status_code not in ok_statuses:
                    raise SourceHTTPError(source, f"HTTP {resp.status_code}")
                body, more = await read_capped(resp, MAX_BODY_BYTES)
                if more:
                    raise SourceGarbage(source, f"body larger than {MAX_BODY_BYTES // 1024} KiB")
                return resp.status_code, body
    except TimeoutError:
        raise SourceTimeout(source, f"no complete answer within {deadline:.1f} s") from None
    except httpx.TimeoutException as e:
        raise SourceTimeout(source, f"timed out ({type(e).__name__})") from None
    except httpx.RemoteProtocolError as e:
        raise SourceGarbage(source, f"broken response ({e})") from None
    except BodyError as e:
        raise SourceGarbage(source, str(e)) from None
    except (httpx.TransportError, httpx.DecodingError) as e:
        raise SourceError(source, f"{type(e).__name__}: {e}") from None


def decode_gb(body: bytes) -> str:
    """Tencent and Sina send GBK; GB18030 is its superset, so decoding never fails on rare names."""
    return body.decode("gb18030", errors="replace")
