"""`sinoterm quote` and `sinoterm doctor` end to end in-process, against loopback servers."""
from __future__ import annotations

import json

import pytest
from loopback import LoopbackServer
from quote_lines import sina_hk, tencent_hk, tencent_us

from tui.cli import main

TENCENT = {"hk09988": tencent_hk("09988", last="101.500"), "usBIDU": tencent_us("BIDU"),
           "hk01234": tencent_hk("01234", name_en="[bold red]NOT MARKUP[/]")}


@pytest.fixture
def servers():
    tencent, sina = LoopbackServer(tencent=TENCENT), LoopbackServer(sina={"rt_hk05678": sina_hk(last="3.300")})
    yield tencent, sina
    tencent.close()
    sina.close()


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")


@pytest.fixture
def config(servers, tmp_path):
    tencent, sina = servers
    path = tmp_path / "config.toml"
    path.write_text(
        '[quotes]\nprimary = "tencent"\nsecondary = "sina"\ntimeout_seconds = 1\n\n'
        f'[providers.tencent]\nbase_url = "{tencent.url}"\n[providers.sina]\nbase_url = "{sina.url}"\n'
        f'[providers.yahoo]\nbase_url = "{sina.url}"\n'
    )
    return str(path)


def quote_json(capsys, *argv) -> tuple[int, list[dict]]:
    code = main(["quote", *argv, "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_json_contract_in_request_order(capsys, config, servers):
    code, out = quote_json(capsys, "bidu", "!!nope", "09988", "5678.HK", "ZZQQX", "--config", config)
    assert code == 0
    assert [o["symbol"] for o in out] == ["BIDU", "!!nope", "9988.HK", "5678.HK", "ZZQQX"]
    baba_hk = out[2]
    assert set(baba_hk) == {"symbol", "name", "currency", "last", "prev_close", "open", "high", "low", "change",
                            "change_pct", "volume", "time", "source", "stale"}
    assert baba_hk["last"] == 101.5 and baba_hk["time"] == "2026-03-12T16:08:05+08:00"
    assert baba_hk["volume"] == 2500000 and baba_hk["stale"] is False and baba_hk["source"] == "tencent"
    assert out[0]["time"].endswith("-04:00") and out[0]["currency"] == "USD"
    assert "not a symbol" in out[1]["error"]
    assert out[3]["source"] == "sina" and out[3]["last"] == 3.3  # Tencent does not know it; Sina does
    assert "unknown" in out[4]["error"] and set(out[4]) == {"symbol", "error"}
    batched = [p for p in servers[0].requests if "hk09988" in p]
    assert len(batched) == 1 and "usBIDU" in batched[0] and "hk05678" in batched[0]


def test_stale_from_cache_when_every_source_fails(capsys, config, servers):
    code, fresh = quote_json(capsys, "9988.HK", "--config", config)
    assert code == 0 and fresh[0]["stale"] is False
    for server in servers:
        server.mode = "500"
    code, out = quote_json(capsys, "9988.HK", "BIDU", "--config", config)
    assert code == 0
    assert out[0]["stale"] is True and out[0]["last"] == 101.5 and out[0]["time"] == fresh[0]["time"]
    assert "error" in out[1] and "HTTP 500" in out[1]["error"]


def test_nothing_answered_exits_1(capsys, config, servers):
    for server in servers:
        server.mode = "garbage"
    code, out = quote_json(capsys, "9988.HK", "--config", config)
    assert code == 1 and "error" in out[0]


def test_only_malformed_symbols_exit_1_without_network(capsys, config, servers):
    code, out = quote_json(capsys, "???", "--config", config)
    assert code == 1 and out == [{"symbol": "???", "error": out[0]["error"]}]
    assert servers[0].requests == []


def test_table_prints_names_literally(capsys, config):
    assert main(["quote", "1234.HK", "9988.HK", "--config", config]) == 0
    out = capsys.readouterr().out
    assert "[bold red]NOT MARKUP[/]" in out and "Alibaba Group" in out and "101.50" in out


def test_bad_config_exits_2(capsys, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[quotes]\nprimary = "bloomberg"\n')
    with pytest.raises(SystemExit) as caught:
        main(["quote", "BABA", "--config", str(bad)])
    assert caught.value.code == 2 and "primary" in capsys.readouterr().err


def test_doctor_reports_sources_config_and_cache(capsys, config, servers):
    servers[1].mode = "500"
    assert main(["doctor", "--config", config]) == 0
    out = capsys.readouterr().out
    assert config in out
    assert "sinoterm.db" in out and "tencent" in out and "FAIL" in out and "HTTP 500" in out


def test_doctor_with_no_source_answering_exits_1(capsys, config, servers):
    for server in servers:
        server.mode = "500"
    assert main(["doctor", "--config", config]) == 1


def test_doctor_invalid_config_exits_2(capsys, tmp_path, servers):
    bad = tmp_path / "bad.toml"
    bad.write_text(f'[providers.tencent]\nbase_url = "{servers[0].url}"\nbogus = 1\n')
    assert main(["doctor", "--config", str(bad)]) == 2
    assert "INVALID" in capsys.readouterr().out


def test_demo_quotes_come_from_the_replay_only(capsys, servers):
    code, out = quote_json(capsys, "9988.HK", "BABA", "--demo")
    assert code == 0
    assert all(o.get("source") == "demo" for o in out), out
    assert servers[0].requests == [] and servers[1].requests == []
