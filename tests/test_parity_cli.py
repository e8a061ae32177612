"""`sinoterm parity`: quotes and USD/HKD from a real loopback server speaking Tencent's format,
the watchlist default, either leg naming the company, failures and the cache."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from loopback import serving  # tests/ is on sys.path (pytest's rootdir-relative import)
from quote_lines import tencent_fx, tencent_hk, tencent_us

from tui.cli import main

LINES = {
    "hk09988": tencent_hk("09988", last="100.000", prev="96.000"),
    "usBABA": tencent_us("BABA", suffix="N", last="94.64", prev="93.00", ratio="1:8"),
    "hk09618": tencent_hk("09618", last="150.000"),
    "usJD": tencent_us("JD", suffix="OQ", last="38.00", ratio="1:2"),
    "hk00700": tencent_hk("00700", last="400.000"),
    "whUSDHKD": tencent_fx(rate="7.8456"),
}


def write_config(tmp_path: Path, url: str, symbols: list[str]) -> Path:
    cfg = tmp_path / "parity.toml"
    cfg.write_text("\n".join([
        "[quotes]", 'primary = "tencent"', 'secondary = "sina"', "",
        "[providers.tencent]", f'base_url = "{url}"',
        "[providers.sina]", f'base_url = "{url}"',
        "[providers.yahoo]", f'base_url = "{url}"', "",
        "[[watchlists]]", 'name = "Mine"', "symbols = " + json.dumps(symbols), "",
    ]))
    return cfg


def parity(capsys, cfg: Path, *args: str) -> tuple[int, object, str]:
    code = main(["parity", *args, "--json", "--config", str(cfg)])
    out, err = capsys.readouterr()
    return code, json.loads(out), err


@pytest.fixture
def server():
    with serving(tencent=dict(LINES)) as s:
        yield s


def test_parity_json_from_the_wire(capsys, tmp_path, server):
    cfg = write_config(tmp_path, server.url, ["9988.HK"])
    code, out, _ = parity(capsys, cfg, "9988.HK")
    assert code == 0 and len(out) == 1
    p = out[0]
    assert (p["company"], p["hk_symbol"], p["us_symbol"], p["ratio"]) == ("Alibaba Group", "9988.HK", "BABA", 8)
    assert (p["hk_last"], p["us_last"], p["usdhkd"]) == (100.0, 94.64, 7.8456)
    assert p["us_implied_hk"] == pytest.approx(92.8134, abs=1e-3)  # 94.64 x 7.8456 / 8
    assert p["premium_pct"] == pytest.approx(7.743, abs=1e-3)
    assert p["ratio_warning"] is None and p["stale"] is False
    assert len([r for r in server.requests if "/q=" in r]) == 1  # both legs and FX in one batch


def test_either_leg_or_name_gives_one_object(capsys, tmp_path, server):
    cfg = write_config(tmp_path, server.url, [])
    code, out, _ = parity(capsys, cfg, "BABA", "alibaba", "9988", "jd")
    assert code == 0
    assert [p["us_symbol"] for p in out] == ["BABA", "JD"]
    assert out[1]["us_implied_hk"] == pytest.approx(38.0 * 7.8456 / 2, abs=1e-3)


def test_watchlist_default_takes_its_dual_listings_in_order(capsys, tmp_path, server):
    cfg = write_config(tmp_path, server.url, ["0700.HK", "JD", "9988.HK", "BABA"])
    code, out, _ = parity(capsys, cfg)
    assert code == 0
    assert [p["hk_symbol"] for p in out] == ["9618.HK", "9988.HK"]


def test_ratio_disagreement_is_flagged(capsys, tmp_path):
    lines = dict(LINES, usBABA=tencent_us("BABA", suffix="N", last="94.64", ratio="1:10"))
    with serving(tencent=lines) as s:
        cfg = write_config(tmp_path, s.url, [])
        _, out, _ = parity(capsys, cfg, "BABA")
    assert out[0]["ratio"] == 8
    assert "1:10" in out[0]["ratio_warning"]


def test_single_listings_and_bad_symbols_are_error_objects(capsys, tmp_path, server):
    cfg = write_config(tmp_path, server.url, [])
    code, out, _ = parity(capsys, cfg, "0700", "not a symbol!", "BABA")
    assert code == 0
    assert out[0]["symbol"] == "0700.HK" and "not listed in both" in out[0]["error"]
    assert out[1]["symbol"] == "not a symbol!" and out[1]["error"]
    assert out[2]["us_symbol"] == "BABA"
    code, out, _ = parity(capsys, cfg, "0700")
    assert code == 1 and "error" in out[0]


def test_failed_sources_fall_back_to_the_cache(capsys, tmp_path, server):
    cfg = write_config(tmp_path, server.url, [])
    code, fresh, _ = parity(capsys, cfg, "BABA")
    assert code == 0 and fresh[0]["stale"] is False
    server.mode = "500"
    code, cached, _ = parity(capsys, cfg, "BABA")
    assert code == 0
    assert cached[0]["stale"] is True
    assert cached[0]["premium_pct"] == pytest.approx(fresh[0]["premium_pct"])


def test_no_source_and_no_cache_is_a_runtime_failure(capsys, tmp_path, server):
    server.mode = "500"
    cfg = write_config(tmp_path, server.url, [])
    code, out, _ = parity(capsys, cfg, "BABA")
    assert code == 1
    assert out[0]["company"] == "Alibaba Group" and "no price" in out[0]["error"]


def test_table_output(capsys, tmp_path, server, monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")
    cfg = write_config(tmp_path, server.url, [])
    code = main(["parity", "BABA", "0700", "--config", str(cfg)])
    out, err = capsys.readouterr()
    assert code == 0
    assert "BABA" in out and "9988.HK" in out and "+7.74%" in out and "USDHKD 7.8456" in out
    assert "0700.HK" in err


def test_demo_needs_no_network(capsys, tmp_path):
    cfg = write_config(tmp_path, "http://127.0.0.1:9", ["9988.HK", "BABA", "9618.HK", "JD"])
    code, out, _ = parity(capsys, cfg, "--demo")
    assert code == 0
    assert [p["us_symbol"] for p in out] == ["BABA", "JD"]
    for p in out:
        assert p["premium_pct"] is not None and p["us_implied_hk"] > 0
