"""Bounded HTTP GETs for feeds and article pages: http(s) only, a total deadline, a size cap.

Feeds and pages come from anywhere, so every GET is bounded three ways: a per-phase httpx timeout
(connect/read), a total deadline (a server dripping one byte a second never trips the read timeout)
and a byte cap enforced while streaming (a 50 MB page costs at most the cap). TLS verification
stays on; redirects are followed a few times and httpx refuses any non-http(s) target.
"""
from __future__ import annotations

import asyncio
from dataclasses import dataclass
from urllib.parse import urlparse

import httpx

from market.providers.http import BodyError, read_capped, retry_after_seconds

USER_AGENT = "Mozilla/5.0 (compatible; Sinoterm/0.1; terminal news reader)"


class FetchError(Exception):
    """A GET that gave nothing usable; the message is short and readable (it reaches the status bar)."""

    def __init__(self, message: str, retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after  # seconds the server asked us to wait (429/503), if it said


@dataclass(slots=True)
class Fetched:
    url: str  # after redirects
    status: int  # 200 or 304
    headers: httpx.Headers
    body: bytes
    truncated: bool  # the body hit the size cap and is only its first `max_bytes`


def is_http_url(url: str) -> bool:
    parsed = urlparse(url or "")
    return parsed.scheme in ("http", "https") and bool(parsed.netloc)


def make_client(transport: httpx.AsyncBaseTransport | None = None, timeout: float = 5.0) -> httpx.AsyncClient:
    """The one client a news service uses for feeds and pages (connection reuse, one User-Agent)."""
    return httpx.AsyncClient(
        transport=transport,
        timeout=httpx.Timeout(timeout),
        follow_redirects=True,
        max_redirects=5,
        headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"},
        limits=httpx.Limits(max_connections=12, max_keepalive_connections=6),
    )


async def get_capped(
    client: httpx.AsyncClient,
    url: str,
    *,
    max_bytes: int,
    deadline: float,
    headers: dict[str, str] | None = None,
) -> Fetched:
    """GET `url`; 200 and 304 come back, anything else raises `FetchError`."""
    if not is_http_url(url):
        raise FetchError(f"not an http(s) URL: {url[:80]!r}")
    try:
        async with asyncio.timeout(deadline):
            async with client.stream("GET", url, headers=headers) as response:
                if response.status_code == 304:
                    return Fetched(str(response.url), 304, response.headers, b"", False)
                if response.status_code != 200:
                    raise FetchError(f"HTTP {response.status_code}", _retry_after(response))
                body, truncated = await read_capped(response, max_bytes)
                return Fetched(str(response.url), 200, response.headers, body, truncated)
    except BodyError as e:
        raise FetchError(str(e)) from None
    except TimeoutError:
        raise FetchError(f"no complete answer within {deadline:g} s") from None
    except httpx.TooManyRedirects:
        raise FetchError("too many redirects") from None
    except httpx.UnsupportedProtocol:
        raise FetchError("redirected to a non-http(s) URL") from None
    except httpx.ConnectError as e:
        raise FetchError(f"cannot connect ({_reason(e)})") from None
    except httpx.HTTPError as e:
        raise FetchError(f"{type(e).__name__} ({_reason(e)})") from None


def _retry_after(response: httpx.Response) -> float | None:
    """Seconds a 429 or 503 asks us to wait (Retry-After as delta-seconds or an HTTP date)."""
    if response.status_code not in (429, 503):
        return None
    return retry_after_seconds(response.headers.get("retry-after"))


def _reason(error: Exception) -> str:
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0][:120]
