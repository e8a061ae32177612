"""Read and validate the config file. Never writes: a broken file is reported, not replaced."""
from __future__ import annotations

import re
from pathlib import Path

from config import remembered
from config.errors import ConfigError, describe
from config.models import Settings
from config.paths import config_file

_AT_LINE = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")


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
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise ConfigError(path, [f"the file cannot be read: {e.strerror or e}"]) from None
    key = remembered.digest(raw)
    settings = remembered.recall(key)
    if settings is None:
        settings = parse_settings(raw, path)
        remembered.remember(key, settings)
    return settings, path


def parse_settings(raw: bytes, path: Path) -> Settings:
    """Validate TOML bytes; raises ConfigError naming the line (syntax) or the dotted key."""
    return validate_data(parse_toml(raw, path), path)


def parse_toml(raw: bytes, path: Path) -> dict:
    """TOML bytes -> plain dict; a syntax error names the line and column and quotes the line."""
    import tomllib  # only when there is a file: a start on defaults never parses TOML

    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ConfigError(path, [f"the file is not UTF-8 text (byte {e.start})"]) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(path, [syntax_problem(str(e), text)]) from None


def syntax_problem(message: str, text: str) -> str:
    """'Illegal character (at line 6, column 20)' -> 'TOML syntax error at line 6, column 20: ...'."""
    m = _AT_LINE.search(message)
    if not m:
        return f"TOML syntax error: {message}"
    line, column = int(m.group(1)), int(m.group(2))
    what = message[: m.start()]
    lines = text.splitlines()
    shown = f"\n      {line} | {lines[line - 1]}" if 0 < line <= len(lines) else ""
    return f"TOML syntax error at line {line}, column {column}: {what}{shown}"


def validate_data(data: dict, path: Path) -> Settings:
    """A parsed TOML document -> Settings; problems name the dotted key, with a 'did you mean'."""
    from pydantic import ValidationError

    from config.validation import validate_settings

    try:
        return validate_settings(data)
    except ValidationError as e:
        raise ConfigError(path, describe(e, Settings, data)) from None
