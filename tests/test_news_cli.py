"""`sinoterm news` as a user runs it: a subprocess against a loopback feed server."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.news_loopback import Loopback, Route

T1 = "Tencent [bold red]PWNED[/] [link=http://evil]click[/link] cloud +13%"
T2_XML = "Alibaba &#27;[2J&#27;]0;owned&#7; results beat"  # ESC and BEL as character references
FEED = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>t</title><link>http://127.0.0.1/</link><description>d</description>
<item><title>{T1}</title><link>/a1</link><pubDate>Fri, 21 Feb 2025 08:00:00 GMT</pubDate></item>
<item><title>{T2_XML}</title><link>/a2</link><pubDate>Fri, 21 Feb 2025 07:00:00 GMT</pubDate></item>
</channel></rss>""".encode()
A1 = b"<html><body><article><p>Tencent Holdings said cloud revenue grew 13% year-over-year.</p></article></body></html>"


@pytest.fixture
def server():
    srv = Loopback({
        "/feed.xml": Route(FEED, headers={"Content-Type": "application/rss+xml"}),
        "/a1": Route(A1, headers={"Content-Type": "text/html"}),
    })
    yield srv
    srv.close()


def config(tmp_path: Path, *urls: str) -> Path:
    path = tmp_path / "config.toml"
    feeds = "".join(f'\n[[news.feeds]]\nname = "feed{i}"\nurl = "{u}"\n' for i, u in enumerate(urls))
    path.write_text(feeds)
    return path


def news(*args: str, timeout: float = 30) -> subprocess.CompletedProcess:
    env = {**os.environ, "COLUMNS": "240"}  # a wide table, so no title wraps
    return subprocess.run([sys.executable, "-m", "tui", "news", *args], capture_output=True, text=True,
                          timeout=timeout, env=env)


def test_json_keeps_markup_literally_and_drops_controls(server, tmp_path):
    r = news("--json", "--config", str(config(tmp_path, server.url + "/feed.xml")))
    assert r.returncode == 0, r.stderr
    items = json.loads(r.stdout)
    assert [i["title"] for i in items] == [T1, "Alibaba  results beat"]  # newest first
    first = items[0]
    assert first["link"] == server.url + "/a1" and first["source"] == "feed0"
    assert first["published"] == "2025-02-21T08:00:00+00:00"
    assert first["companies"] == ["Tencent"]
    assert {"moves", "metrics"} <= first.keys()
    assert any(m["change_pct"] == 13 for m in first["metrics"])  # from the fetched page
    assert "\x1b" not in r.stdout and "\x07" not in r.stdout


def test_table_prints_titles_as_text(server, tmp_path):
    r = news("--config", str(config(tmp_path, server.url + "/feed.xml")))
    assert r.returncode == 0, r.stderr
    assert T1 in r.stdout and "Alibaba  results beat" in r.stdout
    assert "\x1b" not in r.stdout


def test_limit(server, tmp_path):
    r = news("--json", "--limit", "1", "--config", str(config(tmp_path, server.url + "/feed.xml")))
    assert [i["title"] for i in json.loads(r.stdout)] == [T1]
    assert news("--limit", "0", "--config", str(config(tmp_path))).returncode == 2


def test_hung_feed_answers_in_time_from_the_store(server, tmp_path):
    cfg = config(tmp_path, server.url + "/feed.xml")
    assert news("--json", "--config", str(cfg)).returncode == 0
    server.routes["/feed.xml"] = Route(behaviour="hang")
    started = time.monotonic()
    r = news("--json", "--config", str(cfg))
    assert time.monotonic() - started < 10  # the DESIGN promise, whatever the feed does
    assert r.returncode == 0 and len(json.loads(r.stdout)) == 2
    assert "feed0" in r.stderr and "Traceback" not in r.stderr


def test_every_feed_failing_with_nothing_stored_is_exit_1(server, tmp_path):
    server.routes["/feed.xml"] = Route(b"", status=500)
    r = news("--json", "--config", str(config(tmp_path, server.url + "/feed.xml")))
    assert r.returncode == 1 and json.loads(r.stdout) == []
    assert "feed0: HTTP 500" in r.stderr


def test_no_feeds_configured(tmp_path):
    r = news("--json", "--config", str(config(tmp_path)))
    assert r.returncode == 0 and json.loads(r.stdout) == []
    assert "no feeds configured" in r.stderr


def test_demo(tmp_path):
    r = news("--demo", "--json", "--limit", "10", "--config", str(config(tmp_path)))
    assert r.returncode == 0, r.stderr
    items = json.loads(r.stdout)
    assert len(items) >= 7 and items[0]["title"].startswith("Alibaba shares jump 15%")
    published = [i["published"] for i in items]
    assert published == sorted(published, reverse=True)
    assert any(m["value"] == 280_154_000_000 for i in items for m in i["metrics"])
