"""Validated settings are remembered between starts, and only while file and code are unchanged."""
from __future__ import annotations

import pytest

from config import remembered
from config.errors import ConfigError
from config.loader import load_settings, parse_settings
from config.models import Settings

GOOD = """[quotes]
secondary = "none"
refresh_seconds = 7

[[watchlists]]
name = "Mine"
symbols = ["09988", "baba"]

[[news.feeds]]
name = "Feed"
url = "https://example.com/rss"

[[alerts]]
symbol = "BABA"
condition = "premium_beyond"
value = 2

[keys]
"app.refresh" = "f5"
"""


def test_a_second_load_is_recalled_and_equal_to_a_fresh_validation(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(GOOD)
    first, _ = load_settings(str(path))
    recalled = remembered.recall(remembered.digest(path.read_bytes()))
    assert recalled is not None
    assert recalled == first == parse_settings(path.read_bytes(), path)
    assert recalled.quotes.secondary is None and recalled.watchlists[0].symbols == ["9988.HK", "BABA"]
    assert isinstance(recalled.alerts[0].value, float) and recalled.news.feeds[0].url == "https://example.com/rss"


def test_an_edited_file_is_validated_again(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(GOOD)
    load_settings(str(path))
    path.write_text(GOOD.replace("refresh_seconds = 7", "refresh_seconds = 0"))
    with pytest.raises(ConfigError, match="refresh_seconds"):
        load_settings(str(path))


def test_a_broken_file_is_never_remembered(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(GOOD.replace('"baba"', '"??not a symbol??"'))
    for _ in range(2):  # reported on every start, not only the first
        with pytest.raises(ConfigError, match="not a symbol"):
            load_settings(str(path))
    assert remembered.recall(remembered.digest(path.read_bytes())) is None


@pytest.mark.parametrize("entry", [b"", b"{not json", b'{"key": 1}', b'{"key": "x", "settings": []}'])
def test_a_damaged_entry_means_validating_again(tmp_path, entry):
    path = tmp_path / "config.toml"
    path.write_text(GOOD)
    load_settings(str(path))
    (remembered.cache_dir() / "validated-settings.json").write_bytes(entry)
    settings, _ = load_settings(str(path))
    assert settings.watchlists[0].name == "Mine"


def test_defaults_need_no_file_and_validate_to_themselves():
    from config.validation import to_data, validate_settings

    assert validate_settings(to_data(Settings())) == Settings()
