"""The faults matrix, from the command line: every source x every fault, run as a user runs it.

For each quote source (tencent, sina, yahoo) a healthy run first fills the cache; then `sinoterm
quote` runs once per fault against a server misbehaving that way (or an unresolvable host). Each run
must end within the one-shot promise (10 s), with exit 0, the cached quote marked stale (a wrong
charset may still be read fresh), a clear error object for a symbol nobody ever quoted, and no
traceback. `parity` and `news` get the same treatment. Runs go in parallel: the matrix is ~30
processes and would otherwise dominate the suite's time.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from fault_servers import FAULTS, FaultServer, yahoo_chart
from quote_lines import sina_fx, sina_us, tencent_fx, tencent_hk, tencent_us

from tests.news_loopback import Loopback, Route

SOURCES = ("tencent", "sina", "yahoo")
ONE_SHOT_PROMISE = 10.0
LAST = 88.2


def server() -> FaultServer:
    """One server answering BABA in all three formats (and 9988.HK + FX for parity)."""
    srv = FaultServer(
        tencent={"usBABA": tencent_us("BABA", suffix="N", last=str(LAST)),
                 "hk09988": tencent_hk("09988", last="86.000"), "whUSDHKD": tencent_fx()},
        sina={"gb_baba": sina_us(last=str(LAST)), "fx_susdhkd": sina_fx()},
        routes={"/v8/finance/chart/BABA": yahoo_chart("BABA", LAST)},
    )
    srv.drip_seconds = 0.3
    return srv


def config(path: Path, urls: dict[str, str]) -> Path:
    """Sources in `urls` enabled in that order (no other fallback hides their faults), the rest off."""
    chain = list(urls)
    text = f'[quotes]\nprimary = "{chain[0]}"\nsecondary = "{chain[1] if len(chain) > 1 else "none"}"\n'
    text += "timeout_seconds = 1\n"
    for source in SOURCES:
        text += f'[providers.{source}]\nbase_url = "{urls.get(source, "http://127.0.0.1:9")}"\n'
        text += "" if source in urls else "enabled = false\n"
    path.write_text(text)
    return path


def env_for(home: Path) -> dict[str, str]:
    env = {**os.environ, "COLUMNS": "200"}
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        (home / name.lower()).mkdir(parents=True, exist_ok=True)
        env[name] = str(home / name.lower())
    env.pop("SINOTERM_CONFIG", None)
    return env


def sinoterm(*args: str, env: dict[str, str]) -> tuple[subprocess.CompletedProcess, float]:
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "tui", *args], capture_output=True, text=True,
                          timeout=ONE_SHOT_PROMISE + 20, env=env)
    return done, time.monotonic() - started


@pytest.fixture
def servers():
    made: dict[tuple[str, str], FaultServer] = {}
    yield made
    for srv in made.values():
        srv.close()


def check_stale_answer(case, done: subprocess.CompletedProcess, took: float, sources: tuple[str, ...]) -> None:
    """The contract under a fault: in time, exit 0, cached BABA stale, never-seen BIDU a clear error
    naming every source that failed, no traceback."""
    assert "Traceback" not in done.stderr, (case, done.stderr[-500:])
    assert took < ONE_SHOT_PROMISE, (case, took)
    assert done.returncode == 0, (case, done.stdout, done.stderr)
    baba, bidu = json.loads(done.stdout)
    assert baba["last"] == LAST, (case, baba)
    assert set(bidu) == {"symbol", "error"}, (case, bidu)
    if baba["stale"] is False:  # only a wrong charset may still be read: the numbers are ASCII
        assert case[1] == "charset", (case, baba)
        return
    for source in sources:
        assert f"{source}: " in bidu["error"], (case, bidu)


def test_quote_every_source_every_fault_answers_stale_from_cache(tmp_path, servers):
    """Per fault one run meets it at all three sources in turn (tencent, then sina, then Yahoo);
    a wrong charset is a per-source matter, so it gets one run per source."""
    home = env_for(tmp_path / "home")
    healthy = servers[("all", "ok")] = server()
    seed, _ = sinoterm("quote", "BABA", "--json", "--config",
                       str(config(tmp_path / "ok.toml", {"tencent": healthy.url})), env=home)
    assert seed.returncode == 0, seed.stderr
    assert json.loads(seed.stdout)[0]["stale"] is False

    cases: list[tuple[tuple[str, ...], str]] = [(SOURCES, f) for f in FAULTS if f != "charset"]
    cases += [((s,), "charset") for s in SOURCES]
    for sources, fault in cases:
        srv = servers[(sources, fault)] = server()
        srv.mode = fault if fault != "dns" else "ok"

    def run(case):
        sources, fault = case
        url = servers[case].base_url(fault)
        cfg = config(tmp_path / f"{'-'.join(sources)}-{fault}.toml", {s: url for s in sources})
        return sinoterm("quote", "BABA", "BIDU", "--json", "--config", str(cfg), env=home)

    with ThreadPoolExecutor(4) as pool:
        results = dict(zip(cases, pool.map(run, cases), strict=True))
    for case, (done, took) in results.items():
        check_stale_answer(case, done, took, case[0])
    survived = {(s, f) for sources, f in results for s in sources}
    assert len(survived) == len(SOURCES) * len(FAULTS) == 27


def test_quote_with_nothing_cached_is_a_clear_error_not_a_traceback(tmp_path, servers):
    srv = servers[("all", "reset")] = server()
    srv.mode = "reset"
    cfg = config(tmp_path / "c.toml", dict.fromkeys(SOURCES, srv.url))
    done, took = sinoterm("quote", "BABA", "--config", str(cfg), env=env_for(tmp_path / "home"))
    assert done.returncode == 1 and took < ONE_SHOT_PROMISE
    assert "Traceback" not in done.stderr
    said = done.stdout + done.stderr
    assert "no quote" in said and all(f"note: {s}: " in said for s in SOURCES), said


def test_parity_answers_from_the_cache_when_the_source_hangs(tmp_path, servers):
    srv = servers[("tencent", "parity")] = server()
    home = env_for(tmp_path / "home")
    cfg = config(tmp_path / "c.toml", {"tencent": srv.url})
    fresh, _ = sinoterm("parity", "BABA", "--json", "--config", str(cfg), env=home)
    assert fresh.returncode == 0, fresh.stderr
    srv.mode = "hang"
    stale, took = sinoterm("parity", "BABA", "--json", "--config", str(cfg), env=home)
    assert stale.returncode == 0 and took < ONE_SHOT_PROMISE and "Traceback" not in stale.stderr
    before, after = json.loads(fresh.stdout)[0], json.loads(stale.stdout)[0]
    assert after["us_last"] == before["us_last"] == LAST and after["hk_last"] == 86.0


FEED_OK = """<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>t</title>
<item><title>Healthy feed keeps Baidu headline {n}</title><link>http://127.0.0.1/x{n}</link>
<pubDate>Fri, 21 Feb 2025 0{n}:00:00 GMT</pubDate></item></channel></rss>"""


def feed_routes() -> dict[str, Route]:
    """One feed path per fault, and a healthy one the command must still read."""
    good = FEED_OK.format(n=1).encode()
    return {
        "/ok.xml": Route(good, headers={"Content-Type": "application/rss+xml"}),
        "/500.xml": Route(b"<html>down</html>", status=500),
        "/429.xml": Route(b"slow down", status=429, headers={"Retry-After": "30"}),
        "/garbage.xml": Route(b"\x00\xff\xfe<rss" + bytes(range(256)) * 8),
        "/truncated.xml": Route(FEED_OK.format(n=2).encode()[:150]),
        "/charset.xml": Route(FEED_OK.format(n=3).replace("Baidu", "百度").encode("gbk"),
                              headers={"Content-Type": "application/rss+xml; charset=utf-8"}),
        "/slow-drip.xml": Route(FEED_OK.format(n=4).encode(), behaviour="slow"),
        "/hang.xml": Route(behaviour="hang"),
        "/reset.xml": Route(behaviour="reset"),
    }


def news_config(path: Path, urls: list[str]) -> Path:
    text = "[news]\nfetch_articles = false\n"
    text += "".join(f'[[news.feeds]]\nname = "f{i}"\nurl = "{u}"\n' for i, u in enumerate(urls))
    path.write_text(text)
    return path


def test_news_every_feed_fault_answers_in_time_from_the_store(tmp_path):
    srv = Loopback(feed_routes())
    try:
        home = env_for(tmp_path / "home")
        urls = [srv.url + p for p in feed_routes()] + ["http://nonexistent.invalid/feed.xml"]
        cfg = news_config(tmp_path / "c.toml", [srv.url + "/ok.xml"])
        done, took = sinoterm("news", "--json", "--config", str(cfg), env=home)
        assert done.returncode == 0 and took < ONE_SHOT_PROMISE and "Traceback" not in done.stderr
        titles = [i["title"] for i in json.loads(done.stdout)]
        assert "Healthy feed keeps Baidu headline 1" in titles

        only_faults = news_config(tmp_path / "faults.toml", [u for u in urls if not u.endswith("/ok.xml")])
        again, took = sinoterm("news", "--json", "--config", str(only_faults), env=home)
        assert again.returncode == 0 and took < ONE_SHOT_PROMISE and "Traceback" not in again.stderr
        assert "Healthy feed keeps Baidu headline 1" in [i["title"] for i in json.loads(again.stdout)]
    finally:
        srv.close()
