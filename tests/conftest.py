"""Shared test setup: every test runs with its own config, data and cache directories.

Autouse, so no test can read or write the real user's files, and `SINOTERM_CONFIG` never leaks
in from the developer's shell.
"""
from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path, monkeypatch):
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        path = tmp_path / name.lower()
        path.mkdir()
        monkeypatch.setenv(name, str(path))
    monkeypatch.setenv("SINOTERM_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.delenv("SINOTERM_ONLINE", raising=False)
    yield tmp_path


def pytest_collection_modifyitems(config, items):
    """`online` tests talk to the real sources: skipped unless SINOTERM_ONLINE=1."""
    import os

    if os.environ.get("SINOTERM_ONLINE") == "1":
        return
    skip = pytest.mark.skip(reason="needs the internet; set SINOTERM_ONLINE=1")
    for item in items:
        if "online" in item.keywords:
            item.add_marker(skip)
