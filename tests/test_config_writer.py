"""Style-preserving, validated, atomic edits of the user's config file."""
from __future__ import annotations

import dataclasses
import os
import tomllib
from pathlib import Path

import pytest

from config.errors import ConfigError
from config.loader import load_settings
from config.writer import ConfigFile, EditError, backup_path, restore_backup, template_text

USER = """# my config, hand written
[quotes]
refresh_seconds = 7  # slow on purpose

# the names I trade
[[watchlists]]
name = "Core"   # main tab
symbols = [
  "09988",    # Alibaba, written loosely
  "BABA",
  "0700.HK",  # Tencent
]

[[watchlists]]
name = "EV"
symbols = ["NIO", "XPEV"]

[display]
theme = "nord"  # easy on the eyes
"""


@pytest.fixture
def cfg(tmp_path: Path) -> Path:
    path = tmp_path / "mine" / "config.toml"  # a dir of its own: tests list its files
    path.parent.mkdir()
    path.write_text(USER, encoding="utf-8")
    return path


def symbols(path: Path, name: str) -> list[str]:
    data = tomllib.loads(path.read_text())
    return next(w["symbols"] for w in data["watchlists"] if w["name"] == name)


def assert_comments_kept(path: Path, *except_for: str) -> None:
    text = path.read_text()
    for comment in ("# my config, hand written", "# slow on purpose", "# the names I trade",
                    "# main tab", "# Tencent", "# easy on the eyes"):
        if comment not in except_for:
            assert comment in text, comment


def test_add_symbol_keeps_comments_and_stores_canonical(cfg):
    settings = ConfigFile(cfg).add_symbol("Core", "hk09618")
    assert settings.watchlist("Core").symbols == ["9988.HK", "BABA", "0700.HK", "9618.HK"]
    assert symbols(cfg, "Core")[-1] == "9618.HK"
    assert_comments_kept(cfg)
    assert load_settings(str(cfg))[0] == settings


def test_add_duplicate_in_another_spelling_is_refused(cfg):
    before = cfg.read_bytes()
    with pytest.raises(EditError, match="already"):
        ConfigFile(cfg).add_symbol("core", "9988.HK")  # the file says 09988
    assert cfg.read_bytes() == before


def test_remove_symbols_matches_loose_spelling(cfg):
    ConfigFile(cfg).remove_symbols("Core", ["alibaba", "BABA"])
    assert symbols(cfg, "Core") == ["0700.HK"]
    assert_comments_kept(cfg)
    with pytest.raises(EditError, match="BABA not in"):
        ConfigFile(cfg).remove_symbols("Core", ["BABA"])


def test_reorder_keeps_each_comment_with_its_symbol(cfg):
    settings = ConfigFile(cfg).reorder_symbols("Core", ["0700.HK", "BABA", "9988.HK"])
    assert settings.watchlist("Core").symbols == ["0700.HK", "BABA", "9988.HK"]
    lines = {line.split(",")[0].strip(): line for line in cfg.read_text().splitlines() if line.startswith("  ")}
    assert "# Tencent" in lines['"0700.HK"'] and "# Alibaba" in lines['"09988"']
    with pytest.raises(EditError, match="same symbols"):
        ConfigFile(cfg).reorder_symbols("Core", ["0700.HK"])


def test_move_symbol_down_and_up(cfg):
    f = ConfigFile(cfg)
    assert f.move_symbol("Core", "BABA", 1).watchlist("Core").symbols == ["9988.HK", "0700.HK", "BABA"]
    assert "# Tencent" in cfg.read_text()
    assert f.move_symbol("Core", "BABA", -5).watchlist("Core").symbols == ["BABA", "9988.HK", "0700.HK"]
    assert_comments_kept(cfg)


def test_moved_symbol_takes_its_comment_along(cfg):
    ConfigFile(cfg).move_symbol("Core", "0700.HK", -1)
    line = next(line for line in cfg.read_text().splitlines() if "0700.HK" in line)
    assert "# Tencent" in line


def test_watchlist_add_rename_delete(cfg):
    f = ConfigFile(cfg)
    f.add_watchlist("Later", ["bidu"])
    assert symbols(cfg, "Later") == ["BIDU"]
    with pytest.raises(EditError, match="already"):
        f.add_watchlist("later")
    settings = f.rename_watchlist("Core", "Core HK/US")
    assert [w.name for w in settings.watchlists] == ["Core HK/US", "EV", "Later"]
    assert "# main tab" in cfg.read_text()
    settings = f.delete_watchlist("EV")
    assert [w.name for w in settings.watchlists] == ["Core HK/US", "Later"]
    assert_comments_kept(cfg)


def test_last_watchlist_cannot_be_deleted(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text('[[watchlists]]\nname = "Only"\nsymbols = []\n')
    with pytest.raises(EditError, match="last watchlist"):
        ConfigFile(path).delete_watchlist("Only")


def test_unknown_watchlist_and_bad_symbol(cfg):
    f = ConfigFile(cfg)
    with pytest.raises(EditError, match="no watchlist"):
        f.add_symbol("Nope", "BABA")
    with pytest.raises(EditError, match="not a symbol"):
        f.add_symbol("Core", "??")


def test_alerts_and_display(cfg):
    f = ConfigFile(cfg)
    settings = f.add_alert("9988", "price_above", 150)
    assert settings.alerts[0].symbol == "9988.HK"
    with pytest.raises(EditError):
        f.add_alert("9988.HK", "price_above", 150.0)
    assert f.remove_alert("9988.HK", "price_above", 150).alerts == []
    assert f.set_display("up", "red").display.up == "red"
    assert "# easy on the eyes" in cfg.read_text()


def test_invalid_result_is_not_written(cfg):
    before = cfg.read_bytes()
    with pytest.raises(EditError, match="display.up"):
        ConfigFile(cfg).set_display("up", "purple")
    with pytest.raises(EditError):
        ConfigFile(cfg).rename_watchlist("Core", "")
    assert cfg.read_bytes() == before


def test_broken_file_is_never_overwritten(cfg):
    cfg.write_text(USER.replace('name = "EV"', 'name = "EV'))
    before = cfg.read_bytes()
    with pytest.raises(ConfigError, match="line"):
        ConfigFile(cfg).add_symbol("Core", "JD")
    assert cfg.read_bytes() == before
    assert not backup_path(cfg).exists()


def test_edit_applies_to_the_file_as_it_is_now(cfg):
    f = ConfigFile(cfg)
    cfg.write_text(cfg.read_text() + '\n[[watchlists]]\nname = "Typed meanwhile"\n')
    f.add_symbol("EV", "LI")
    assert symbols(cfg, "EV") == ["NIO", "XPEV", "LI"]
    assert "Typed meanwhile" in cfg.read_text()


def test_interrupted_write_leaves_old_file_and_no_temp(cfg, monkeypatch):
    before = cfg.read_bytes()
    real_replace = os.replace

    def crash_on_config(src, dst):
        if Path(dst) == cfg:
            raise OSError("disk pulled out")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", crash_on_config)
    with pytest.raises(OSError, match="disk pulled"):
        ConfigFile(cfg).add_symbol("Core", "JD")
    assert cfg.read_bytes() == before
    assert sorted(p.name for p in cfg.parent.iterdir()) == ["config.toml", "config.toml.bak"]


def test_backup_keeps_the_previous_version_and_restores(cfg):
    f = ConfigFile(cfg)
    f.add_symbol("Core", "JD")
    assert backup_path(cfg).read_text() == USER
    edited = cfg.read_text()
    settings = restore_backup(cfg)
    assert cfg.read_text() == USER and "JD" not in settings.watchlist("Core").symbols
    assert backup_path(cfg).read_text() == edited  # restoring is itself undoable


def test_permissions_survive(cfg):
    os.chmod(cfg, 0o600)
    ConfigFile(cfg).add_symbol("Core", "JD")
    assert cfg.stat().st_mode & 0o777 == 0o600


def test_first_edit_without_a_file_starts_from_the_template(tmp_path):
    path = tmp_path / "fresh" / "config.toml"
    settings = ConfigFile(path).add_symbol("China tech", "LI")
    assert settings.watchlist("China tech").symbols[-1] == "LI"
    text = path.read_text()
    assert "# Sinoterm configuration" in text and '"NIO",\n  "LI",\n]' in text
    assert not backup_path(path).exists()


def test_first_edit_of_defaulted_watchlists_materialises_them(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text("# only quotes here\n[quotes]\nrefresh_seconds = 9\n")
    settings = ConfigFile(path).add_symbol("China tech", "LI")
    assert settings.watchlist("China tech").symbols[:2] == ["9988.HK", "BABA"]
    assert settings.watchlist("China tech").symbols[-1] == "LI"
    assert path.read_text().startswith("# only quotes here\n")


def test_template_validates_and_documents_every_key(tmp_path):
    from config.loader import parse_settings
    from config.models import Settings, section_fields

    settings = parse_settings(template_text().encode(), tmp_path / "t.toml")
    assert settings.watchlists[0].name == "China tech"
    assert settings.watchlists[0].symbols == Settings().watchlists[0].symbols
    urls = [f.url for f in settings.news.feeds]
    assert any("feeds.finance.yahoo.com" in u and "BABA" in u for u in urls)
    assert any("news.google.com/rss/search" in u for u in urls)
    text = template_text()

    def keys(section) -> list[str]:
        out = []
        for name, kind in section_fields(section).items():
            out.append(name)
            if dataclasses.is_dataclass(kind):
                out += keys(kind)
        return out

    missing = [k for k in keys(Settings) if k not in text]
    assert not missing, missing


def test_append_after_a_shared_line_comment_is_not_swallowed(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text('[[watchlists]]\nname = "W"\nsymbols = [\n  "9988.HK", "BABA",  # Alibaba both legs\n]\n')
    settings = ConfigFile(path).add_symbol("W", "JD")
    assert settings.watchlist("W").symbols == ["9988.HK", "BABA", "JD"]
    assert symbols(path, "W") == ["9988.HK", "BABA", "JD"]
    assert "# Alibaba both legs" in path.read_text()
