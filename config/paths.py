"""The one platformdirs seam: every location Sinoterm reads or writes, resolved at call time.

Resolving on each call (not at import) lets tests and the contract checks move everything with
`XDG_*` variables or `SINOTERM_CONFIG`.
"""
from __future__ import annotations

import os
from pathlib import Path

import platformdirs

import assets

APP = "sinoterm"


def bundled(*parts: str) -> Path:
    """A file shipped in the `assets` package: the instruments directory, demo data, templates.

    A plain path, not `importlib.resources`, which loads its readers and zipfile (~3.5 ms of
    every start) to also serve zipped installs; Sinoterm is installed as files (pip unpacks
    wheels, and the editable install points at the checkout)."""
    return Path(assets.__file__).parent.joinpath(*parts)


def config_file(explicit: str | os.PathLike | None = None) -> Path:
    """`--config`, else `$SINOTERM_CONFIG`, else `<user config dir>/config.toml`."""
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get("SINOTERM_CONFIG")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_config_dir(APP)) / "config.toml"


def data_dir() -> Path:
    return _made(Path(platformdirs.user_data_dir(APP)))


def cache_dir() -> Path:
    return _made(Path(platformdirs.user_cache_dir(APP)))


def _made(path: Path) -> Path:
    """`path`, created if possible. An unusable location (a file in the way, read-only) is not fatal
    here: the code that writes there copes (the database then lives in memory for the run)."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:
        pass
    return path


def database_file() -> Path:
    """The SQLite database: quotes cache, history, news, metrics, fundamentals."""
    return data_dir() / "sinoterm.db"
