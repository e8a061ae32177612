"""Each kind of bad config is refused before any UI: exit 2, a message naming the file, the key (or
line) and the problem, and the file left byte for byte as it was."""
from __future__ import annotations

import hashlib
from pathlib import Path

from tui.cli import main

GOOD = """# my own notes about this file
[quotes]
refresh_seconds = 5  # fast enough

[[watchlists]]
name = "Mine"
symbols = ["9988.HK", "BABA"]
"""


def run_cli(argv: list[str], capsys) -> tuple[int, str]:
    """The real entry point; returns (exit code, stdout + stderr)."""
    try:
        code = main(argv)
    except SystemExit as e:
        code = int(e.code or 0)
    out = capsys.readouterr()
    return code, out.out + out.err


def refused(path: Path, capsys, *words: str) -> str:
    """Assert `config validate` and `config show` both refuse `path` and leave it unchanged."""
    before = hashlib.sha256(path.read_bytes()).digest()
    for action in ("validate", "show"):
        code, msg = run_cli(["config", action, "--config", str(path)], capsys)
        assert code == 2, msg
        assert path.name in msg
        for w in words:
            assert w in msg, (w, msg)
    assert hashlib.sha256(path.read_bytes()).digest() == before
    return msg


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "case.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_good_config_validates(tmp_path, capsys):
    code, msg = run_cli(["config", "validate", "--config", str(write(tmp_path, GOOD))], capsys)
    assert code == 0 and msg.startswith("ok"), msg


def test_syntax_error_names_the_line_and_quotes_it(tmp_path, capsys):
    path = write(tmp_path, GOOD.replace('name = "Mine"', 'name = "Mine'))
    msg = refused(path, capsys, "line 6", "TOML syntax error")
    assert '6 | name = "Mine' in msg


def test_unknown_key_suggests_the_right_one(tmp_path, capsys):
    path = write(tmp_path, GOOD.replace("refresh_seconds", "refresh_secnds"))
    refused(path, capsys, "quotes.refresh_secnds", "did you mean `refresh_seconds`")


def test_unknown_nested_key_in_a_list_entry(tmp_path, capsys):
    path = write(tmp_path, GOOD.replace("symbols =", "symbol ="))
    refused(path, capsys, "watchlists[0].symbol", "did you mean `symbols`")


def test_wrong_type_names_the_key_and_value(tmp_path, capsys):
    path = write(tmp_path, GOOD.replace("= 5", '= "fast"'))
    refused(path, capsys, "quotes.refresh_seconds", "'fast'")


def test_bad_symbol_is_named(tmp_path, capsys):
    path = write(tmp_path, GOOD.replace('"BABA"]', '"BABA", "??nope??"]'))
    refused(path, capsys, "watchlists[0].symbols", "??nope??")


def test_file_url_feed_is_refused(tmp_path, capsys):
    path = write(tmp_path, GOOD + '\n[[news.feeds]]\nname = "x"\nurl = "file:///etc/passwd"\n')
    refused(path, capsys, "news.feeds[0].url", "http(s)")


def test_duplicate_watchlist_names(tmp_path, capsys):
    path = write(tmp_path, GOOD + '\n[[watchlists]]\nname = "mine"\n')
    refused(path, capsys, "watchlists", "two watchlists")


def test_missing_explicit_config_file(tmp_path, capsys):
    missing = tmp_path / "nowhere.toml"
    code, msg = run_cli(["config", "validate", "--config", str(missing)], capsys)
    assert code == 2
    assert "nowhere.toml" in msg and "does not exist" in msg
    assert not missing.exists()


def test_missing_default_file_means_defaults(tmp_path, capsys):
    code, msg = run_cli(["config", "validate"], capsys)
    assert code == 0 and "defaults apply" in msg
    assert not (tmp_path / "config.toml").exists()


def test_not_utf8(tmp_path, capsys):
    path = tmp_path / "case.toml"
    path.write_bytes(b'[quotes]\nprimary = "\xff"\n')
    refused(path, capsys, "not UTF-8")


def test_init_writes_the_template_once(tmp_path, capsys):
    target = tmp_path / "sub" / "new.toml"
    code, msg = run_cli(["config", "init", "--config", str(target)], capsys)
    assert code == 0 and target.exists()
    first = target.read_bytes()
    code, msg = run_cli(["config", "init", "--config", str(target)], capsys)
    assert code == 1 and "new.toml" in msg and "not overwriting" in msg
    assert target.read_bytes() == first
    code, msg = run_cli(["config", "validate", "--config", str(target)], capsys)
    assert code == 0, msg


def test_show_prints_toml_that_validates_back(tmp_path, capsys):
    path = write(tmp_path, GOOD.replace("[quotes]", '[quotes]\nsecondary = "none"'))
    code, shown = run_cli(["config", "show", "--config", str(path)], capsys)
    assert code == 0
    again = tmp_path / "shown.toml"
    again.write_text(shown)
    code, msg = run_cli(["config", "validate", "--config", str(again)], capsys)
    assert code == 0, msg
    assert 'secondary = "none"' in shown and 'name = "Mine"' in shown


def test_path_follows_the_environment(tmp_path, capsys):
    code, msg = run_cli(["config", "path"], capsys)
    assert code == 0 and msg.strip() == str(tmp_path / "config.toml")


def test_unknown_binding_id_in_keys(tmp_path, capsys):
    path = write(tmp_path, GOOD + '\n[keys]\n"app.refesh" = "f5"\n')
    code, msg = run_cli(["config", "validate", "--config", str(path)], capsys)
    assert code == 2 and "case.toml" in msg
    assert 'keys."app.refesh"' in msg and "did you mean `app.refresh`" in msg
    path.write_text(GOOD + '\n[keys]\n"app.refresh" = "f5,r"\n')
    code, msg = run_cli(["config", "validate", "--config", str(path)], capsys)
    assert code == 0, msg
