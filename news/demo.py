"""The demo's news: the bundled feed and pages, served in-process, and the store they fill.

Demo news runs the whole live pipeline (feed parsing, page text, tagging, extraction) on bundled
files served at `https://demo.sinoterm.invalid/` by an in-process transport, so the cards on screen
are extracted, not typed in. What that pipeline makes of the bundle depends only on the bundle and
on the pipeline's code, so it is kept, like live news, in SQLite: in a file of its own in the cache
dir (demo stories never enter the user's database), named by a digest of both. The first demo
start fills it; later ones read it at once; a changed bundle or extractor gets a new file.
"""
from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import TYPE_CHECKING

from config.paths import bundled, cache_dir

if TYPE_CHECKING:
    import httpx

DEMO_HOST = "demo.sinoterm.invalid"
DEMO_FEED = ("Sinoterm demo", f"https://{DEMO_HOST}/feed.xml")
_DEMO_NAME = re.compile(r"^/(?:articles/)?[a-z0-9][a-z0-9-]*\.(?:xml|html)$")
_STORE_PREFIX = "demo-news-"


def bundle_digest() -> str:
    """The bundled feed and pages, the news pipeline's code and the company directory it tags with."""
    h = hashlib.sha256()
    bundle = bundled("demo", "news")
    pipeline = sorted(Path(__file__).parent.glob("*.py"))
    for path in sorted(p for p in bundle.rglob("*") if p.is_file()) + pipeline:
        h.update(str(path.name).encode() + b"\0" + path.read_bytes())
    h.update(bundled("instruments.json").read_bytes())
    return h.hexdigest()[:16]


def store_file() -> Path:
    """The demo store for this bundle and code; stores of other digests are removed."""
    folder = cache_dir()
    current = folder / f"{_STORE_PREFIX}{bundle_digest()}.sqlite"
    for old in folder.glob(f"{_STORE_PREFIX}*.sqlite*"):
        if not old.name.startswith(current.name):
            old.unlink(missing_ok=True)
    return current


def respond(request: httpx.Request) -> httpx.Response:
    """Serve `assets/demo/news/<path>` for the demo host; 404 for anything else."""
    import httpx

    path = request.url.path
    if request.url.host != DEMO_HOST or not _DEMO_NAME.match(path):
        return httpx.Response(404)
    resource = bundled("demo", "news", *path.strip("/").split("/"))
    if not resource.is_file():
        return httpx.Response(404)
    ctype = "application/rss+xml" if path.endswith(".xml") else "text/html; charset=utf-8"
    return httpx.Response(200, content=resource.read_bytes(), headers={"Content-Type": ctype})
