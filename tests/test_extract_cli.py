"""`sinoterm extract`: files, standard input, HTML, the JSON contract and hostile input."""
from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from news.extract import Extraction, extract, looks_like_html
from tui.cli import main

ARTICLE = ("Baidu (NASDAQ: BIDU) shares rose 5.2% in New York after the search company said revenue for the "
           "quarter ended June 30, 2025 was RMB33.1 billion (US$4.62 billion), up 2% year over year.")


def run(argv: list[str], monkeypatch, capsys, stdin: bytes = b"") -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"))
    code = main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_json_from_stdin_follows_the_contract(monkeypatch, capsys):
    code, out, _ = run(["extract", "-", "--json"], monkeypatch, capsys, ARTICLE.encode())
    assert code == 0
    data = json.loads(out)
    assert set(data) == {"companies", "tickers", "period", "metrics", "moves"}
    assert data["companies"] == ["Baidu"] and data["tickers"] == ["BIDU"]
    assert data["period"] == {"label": "quarter ended June 30, 2025", "end": "2025-06-30"}
    (m,) = data["metrics"]
    assert set(m) == {"name", "value", "currency", "usd_value", "change_pct", "change_basis", "status",
                      "segment", "company", "text"}
    assert (m["name"], m["value"], m["currency"], m["change_pct"]) == ("revenue", 33.1e9, "CNY", 2.0)
    assert data["moves"] == [{"company": "Baidu", "pct": 5.2, "direction": "up", "market": "US",
                              "text": "rose 5.2%"}]
    assert Extraction.from_json(data) == extract(ARTICLE)


def test_html_file_is_converted_to_text(tmp_path: Path, monkeypatch, capsys):
    page = tmp_path / "a.html"
    page.write_text(
        "<html><head><style>p{color:red}</style><script>var x = 'RMB99 billion';</script></head><body>"
        "<nav>Home | Markets</nav><h1>Xpeng shares soar 8% in Hong Kong</h1>"
        "<p>Revenue rose 20% to RMB8.1 billion.</p></body></html>", encoding="utf-8")
    code, out, _ = run(["extract", str(page), "--json"], monkeypatch, capsys)
    data = json.loads(out)
    assert code == 0
    assert [(m["name"], m["value"]) for m in data["metrics"]] == [("revenue", 8.1e9)]
    assert [(m["company"], m["pct"], m["market"]) for m in data["moves"]] == [("XPeng", 8.0, "HK")]
    assert looks_like_html(page.read_text()) and not looks_like_html(ARTICLE)


def test_readable_listing_shows_markup_literally(monkeypatch, capsys):
    monkeypatch.setenv("COLUMNS", "220")
    text = "Tencent revenue [bold red]rose[/] 9% to RMB180 billion.\x1b[2J"
    code, out, _ = run(["extract", "-"], monkeypatch, capsys, text.encode())
    assert code == 0
    assert "[bold red]rose[/]" in out and "\x1b" not in out
    assert "revenue" in out and "RMB 180.00 bn" in out


def test_missing_file_is_a_runtime_failure(tmp_path: Path, monkeypatch, capsys):
    code, _, err = run(["extract", str(tmp_path / "nope.txt")], monkeypatch, capsys)
    assert code == 1 and "cannot read" in err


def test_hostile_input_never_crashes(monkeypatch, capsys):
    junk = (b"\xff\xfe\x00" + "\u202e$$$ RMB RMB 9.9.9.9 billion % % (((( | |\n|\n".encode() * 2000
            + b"1" * 100_000)
    code, out, _ = run(["extract", "-", "--json"], monkeypatch, capsys, junk)
    assert code == 0 and isinstance(json.loads(out), dict)


def test_console_script_end_to_end(tmp_path: Path):
    src = tmp_path / "in.txt"
    src.write_text(ARTICLE, encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "tui", "extract", str(src), "--json"],
                       capture_output=True, text=True, timeout=60, cwd=Path(__file__).resolve().parents[1])
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["metrics"][0]["name"] == "revenue"


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("RMBUSHK$\u00a5%()|.,- \n0123456789abcdefghijklmnoprstuvwyz"
                                          "\u4ebf\u4e07\u5143\u2014\u2019")), max_size=300))
def test_any_text_gives_a_valid_extraction(text):
    x = extract(text)
    data = json.loads(json.dumps(x.to_json()))
    assert Extraction.from_json(data) == x
    for m in data["moves"]:
        assert m["pct"] is None or m["pct"] >= 0


def test_run_on_text_full_of_moves_and_rows_is_handled():
    """Long run-on input (no sentence ends) must stay linear: every move found, nothing skipped."""
    text = "Alibaba shares rose 5% to HK$80 and ADRs fell 2% while " * 400
    x = extract(text)
    assert len(x.moves) == 800
    rows = "| Revenue | 1,000.0 | (2.0) |\n" * 400
    assert isinstance(extract(rows), Extraction)


def test_findings_survive_the_store_and_a_foreign_shape_is_refused():
    """Stored findings come back equal; a shape another version wrote gives None, not wrong cards."""
    x = extract("Xpeng shares rose 4% in Hong Kong. Revenue was RMB 20.4 billion, up 102% year-on-year, "
                "in the third quarter ended September 30, 2025.")
    assert x.metrics and x.moves and x.period
    assert Extraction.from_json(json.loads(json.dumps(x.to_json()))) == x
    data = x.to_json()
    data["metrics"][0]["confidence"] = 0.9  # a field this version does not know
    assert Extraction.from_json(data) is None
    assert Extraction.from_json({"metrics": "not a list of objects"}) is None
