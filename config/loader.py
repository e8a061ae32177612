"""Read and validate the config file. Never writes: a broken file is reported, not replaced."""
from __future__ import annotations

import tomllib
from pathlib import Path

from pydantic import ValidationError

from config.errors import ConfigError, describe
from config.models import Settings
from config.paths import config_file


def load_settings(explicit: str | None = None) -> tuple[Settings, Path]:
    """Settings from `--config`, `$SINOTERM_CONFIG` or the user config dir; defaults when absent.

    An explicit `--config` that does not exist is an error (a typo in a path should not silently
    run on defaults); a missing default file just means "not configured yet".
    """
    path = config_file(explicit)
    if not path.exists():
        if explicit:
            raise ConfigError(path, ["the file does not exist (create it with `sinoterm config init`)"])
        return Settings(), path
    return parse_settings(path.read_bytes(), path), path


def parse_settings(raw: bytes, path: Path) -> Settings:
    """Validate TOML bytes; raises ConfigError naming the line (syntax) or the dotted key."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ConfigError(path, [f"the file is not UTF-8 text (byte {e.start})"]) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(path, [f"TOML syntax error: {e}"]) from None
    try:
        return Settings.model_validate(data)
    except ValidationError as e:
        raise ConfigError(path, describe(e, Settings, data)) from None
