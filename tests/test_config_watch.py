"""The running app notices edits made in an editor; a broken edit keeps the last good settings."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from config.loader import load_settings
from config.watch import ConfigWatcher
from config.writer import ConfigFile

TEXT = '[quotes]\nrefresh_seconds = 5\n\n[[watchlists]]\nname = "W"\nsymbols = ["BABA"]\n'


@pytest.fixture
def watched(tmp_path: Path) -> tuple[Path, ConfigWatcher]:
    path = tmp_path / "config.toml"
    path.write_text(TEXT)
    settings, _ = load_settings(str(path))
    return path, ConfigWatcher(path, settings)


def rewrite(path: Path, text: str) -> None:
    """Write and move the mtime on, as an editor saving a second later would."""
    before = path.stat().st_mtime_ns
    path.write_text(text)
    os.utime(path, ns=(before + 1_000_000_000, before + 1_000_000_000))


def test_nothing_changed(watched):
    _, watcher = watched
    assert watcher.poll() is None
    assert watcher.poll() is None


def test_touch_without_change_is_ignored(watched):
    path, watcher = watched
    rewrite(path, TEXT)
    assert watcher.poll() is None


def test_good_edit_reloads(watched):
    path, watcher = watched
    rewrite(path, TEXT.replace('["BABA"]', '["BABA", "9988"]'))
    result = watcher.poll()
    assert result is not None and result.ok
    assert result.settings.watchlist("W").symbols == ["BABA", "9988.HK"]
    assert watcher.poll() is None


def test_same_size_edit_is_seen(watched):
    path, watcher = watched
    rewrite(path, TEXT.replace("= 5", "= 7"))
    result = watcher.poll()
    assert result is not None and result.settings.quotes.refresh_seconds == 7


def test_broken_edit_keeps_last_good_and_says_why(watched):
    path, watcher = watched
    good = watcher.settings
    rewrite(path, TEXT.replace("refresh_seconds", "refresh_secs"))
    result = watcher.poll()
    assert result is not None and not result.ok
    assert result.settings is good
    assert "refresh_secs" in str(result.error) and "config.toml" in str(result.error)
    assert watcher.poll() is None  # reported once, not on every poll
    rewrite(path, TEXT.replace('["BABA"]', '["JD"]'))
    fixed = watcher.poll()
    assert fixed is not None and fixed.ok and fixed.settings.watchlist("W").symbols == ["JD"]


def test_removed_file_keeps_settings(watched):
    path, watcher = watched
    good = watcher.settings
    path.unlink()
    result = watcher.poll()
    assert result is not None and result.settings is good and "removed" in str(result.error)
    assert watcher.poll() is None


def test_own_writes_are_not_reported_back(watched):
    path, watcher = watched
    settings = ConfigFile(path).add_symbol("W", "JD")
    watcher.accept(settings)
    assert watcher.poll() is None
    assert watcher.settings.watchlist("W").symbols == ["BABA", "JD"]
