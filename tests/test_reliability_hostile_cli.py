"""Hostile text in every command's output: names from a source (`quote`), what a broken server says
(`doctor`), feed titles (`news`, table and JSON) and article text (`extract`).

Each payload mixes Rich markup with ANSI/OSC sequences, C1 controls, bidi overrides and NULs; the
output must show the markup literally and carry no control character (output to a pipe has no
styling, so any ESC in it came from the data).
"""
from __future__ import annotations

import json
import socket
import threading

import pytest
from fault_servers import yahoo_chart
from loopback import LoopbackServer
from quote_lines import sina_hk, tencent_hk, tencent_us

from tests.news_loopback import Loopback, Route
from tui.cli import main

MARKUP = "[bold red]PWNED[/]"
RAW_CONTROLS = ["\x1b[2J", "\x1b]0;owned\x07", "\x1b]8;;http://evil.example\x1b\\", "\x9b31m", "\u202e", "\u2066",
                "\x00", "\x07", "\x1bc"]
FORBIDDEN = {"\x1b", "\x07", "\x9b", "\u202e", "\u2066", "\x00"}
HOSTILE = f"Evil {MARKUP} " + " ".join(RAW_CONTROLS) + " Co"


def assert_safe(text: str, *literal: str) -> None:
    leaked = sorted(repr(c) for c in FORBIDDEN if c in text)
    assert not leaked, f"control characters in the output: {leaked}"
    for piece in literal:
        assert piece in text, f"{piece!r} not shown literally"


def strings(value) -> str:
    """Every string inside decoded JSON, joined: JSON escapes control characters, so the check must
    look at what a consumer gets after decoding."""
    if isinstance(value, str):
        return value + "\n"
    if isinstance(value, dict):
        return "".join(strings(k) + strings(v) for k, v in value.items())
    if isinstance(value, list):
        return "".join(strings(v) for v in value)
    return ""


@pytest.fixture(autouse=True)
def wide(monkeypatch):
    monkeypatch.setenv("COLUMNS", "300")


@pytest.fixture
def quote_server():
    tencent_name = HOSTILE.replace("~", "")
    srv = LoopbackServer(
        tencent={"hk01234": tencent_hk("01234", name_en=tencent_name, name_zh=tencent_name),
                 "usZZQQ": tencent_us("ZZQQ", name_en=tencent_name)},
        sina={"rt_hk05678": sina_hk(name_en=HOSTILE.replace(",", ""), name_zh=HOSTILE.replace(",", ""))},
        routes={"/v8/finance/chart/ZZYY": yahoo_chart("ZZYY", 12.5).replace(b"Test Corp", json.dumps(
            HOSTILE).strip('"').encode())},
    )
    yield srv
    srv.close()


def quote_config(tmp_path, url: str) -> str:
    path = tmp_path / "config.toml"
    path.write_text('[quotes]\ntimeout_seconds = 1\n' + "".join(
        f'[providers.{s}]\nbase_url = "{url}"\n' for s in ("tencent", "sina", "yahoo")))
    return str(path)


def test_quote_names_from_every_source_are_literal_and_clean(capsys, tmp_path, quote_server):
    cfg = quote_config(tmp_path, quote_server.url)
    assert main(["quote", "1234.HK", "ZZQQ", "5678.HK", "ZZYY", "--json", "--config", cfg]) == 0
    out = capsys.readouterr().out
    names = {o["symbol"]: (o["name"], o["source"]) for o in json.loads(out)}
    assert {s for _, s in names.values()} == {"tencent", "sina", "yahoo"}, names
    assert all(MARKUP in n for n, _ in names.values()), names
    assert_safe(strings(json.loads(out)), MARKUP)
    assert main(["quote", "1234.HK", "ZZQQ", "5678.HK", "ZZYY", "--config", cfg]) == 0
    table = capsys.readouterr()
    assert_safe(table.out + table.err, "PWNED")


class RawServer:
    """A TCP server answering every connection with fixed raw bytes: an HTTP reply no library should
    trust, with control sequences and markup in the status line, headers and body."""

    def __init__(self, reply: bytes):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.reply = reply
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                conn.recv(65536)
                conn.sendall(self.reply)

    def close(self) -> None:
        self.sock.close()


EVIL = HOSTILE.encode("utf-8")
RAW_REPLIES = {
    "status line": b"HTTP/1.1 500 " + EVIL + b"\r\nContent-Length: 0\r\n\r\n",
    "header": b"HTTP/1.1 200 OK\r\nX-Evil: " + EVIL + b"\r\nContent-Length: 5\r\n\r\nhello",
    "not http": EVIL + b"\r\n\r\n",
    "body": b"HTTP/1.1 200 OK\r\nContent-Length: " + str(len(EVIL)).encode() + b"\r\n\r\n" + EVIL,
}


@pytest.mark.parametrize("kind", RAW_REPLIES)
def test_doctor_output_survives_a_server_saying_anything(capsys, tmp_path, kind):
    srv = RawServer(RAW_REPLIES[kind])
    try:
        code = main(["doctor", "--config", quote_config(tmp_path, srv.url)])
    finally:
        srv.close()
    out = capsys.readouterr()
    assert code == 1
    assert_safe(out.out + out.err, "tencent", "FAIL")


def hostile_feed(url: str) -> bytes:
    title = f"Tencent {MARKUP} &#27;[2J &#27;]0;owned&#7; &#x202e;rev &#x9b;1m &#0; [link=http://evil.example]x[/link]"
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>t</title>'
            f"<item><title>{title}</title><link>{url}/a</link><description>{title}</description>"
            "<pubDate>Fri, 21 Feb 2025 08:00:00 GMT</pubDate></item></channel></rss>").encode()


def test_news_table_and_json_are_literal_and_clean(capsys, tmp_path):
    srv = Loopback()
    srv.routes["/feed"] = Route(hostile_feed(srv.url), headers={"Content-Type": "application/rss+xml"})
    srv.routes["/a"] = Route(f"<html><body><article><p>{HOSTILE}</p></article></body></html>".encode(),
                             headers={"Content-Type": "text/html; charset=utf-8"})
    cfg = tmp_path / "config.toml"
    cfg.write_text(f'[[news.feeds]]\nname = "Feed {MARKUP}"\nurl = "{srv.url}/feed"\n')
    try:
        assert main(["news", "--json", "--config", str(cfg)]) == 0
        as_json = capsys.readouterr()
        assert main(["news", "--config", str(cfg)]) == 0
        as_table = capsys.readouterr()
    finally:
        srv.close()
    assert_safe(strings(json.loads(as_json.out)) + as_json.err, MARKUP, "[link=http://evil.example]x[/link]")
    assert_safe(as_table.out + as_table.err, "PWNED")


def test_extract_text_and_json_are_literal_and_clean(capsys, tmp_path):
    article = tmp_path / "article.html"
    article.write_text(f"<html><body><p>Tencent Holdings said revenue {MARKUP} rose 8% year-over-year to "
                       f"RMB 172.4 billion. {HOSTILE}</p></body></html>", encoding="utf-8")
    plain = tmp_path / "article.txt"
    plain.write_text(f"Alibaba Group said revenue {MARKUP} rose 8% to RMB 280.15 billion. {HOSTILE}",
                     encoding="utf-8")
    for path in (article, plain):
        assert main(["extract", str(path), "--json"]) == 0
        as_json = capsys.readouterr()
        assert MARKUP in json.loads(as_json.out)["metrics"][0]["text"]
        assert_safe(strings(json.loads(as_json.out)) + as_json.err, MARKUP)
        assert main(["extract", str(path)]) == 0
        listing = capsys.readouterr()
        assert_safe(listing.out + listing.err, "PWNED")
