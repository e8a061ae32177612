"""Helpers every subcommand shares: loading settings with user-facing errors, printing JSON."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from config.errors import ConfigError
from config.loader import load_settings
from config.models import Settings


def settings_or_exit(args) -> tuple[Settings, Path]:
    """Load the config; on any problem print it (file, key, what is wrong) and exit 2."""
    try:
        return load_settings(getattr(args, "config", None))
    except ConfigError as e:
        print(str(e), file=sys.stderr)
        raise SystemExit(2) from None


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
