"""`sinoterm config path|show|validate|init`: where the config is, what is in effect, is it valid,
and a commented starting point. Exit 0 ok, 1 runtime failure (init onto an existing file), 2 config error."""
from __future__ import annotations

import os
import sys

import tomlkit

from config.errors import ConfigError
from config.keymap import validate_keymap
from config.paths import config_file
from config.validation import to_data
from config.writer import template_text
from tui.subcommands.common import settings_or_exit


def run(args) -> int:
    action = {"path": _path, "show": _show, "validate": _validate, "init": _init}[args.action]
    return action(args)


def _path(args) -> int:
    print(config_file(args.config))
    return 0


def _show(args) -> int:
    """The effective settings (file merged over defaults) as TOML that validates back."""
    settings, path = settings_or_exit(args)
    origin = path if path.exists() else f"defaults ({path} does not exist)"
    sys.stdout.write(f"# effective settings from {origin}\n")
    sys.stdout.write(tomlkit.dumps(to_data(settings)))
    return 0


def _validate(args) -> int:
    """Everything `load_settings` checks, plus `[keys]` against the app's real binding ids."""
    settings, path = settings_or_exit(args)
    if settings.keys:
        from tui.settings_sync import binding_ids  # imports the screens: only when there is a keymap

        problems = validate_keymap(settings.keys, binding_ids())
        if problems:
            print(ConfigError(path, list(problems)), file=sys.stderr)
            return 2
    if path.exists():
        names = ", ".join(w.name for w in settings.watchlists)
        print(f"ok: {path} ({len(settings.watchlists)} watchlist(s): {names})")
    else:
        print(f"ok: no file at {path}; the defaults apply (`sinoterm config init` writes one)")
    return 0


def _init(args) -> int:
    """Write the commented template; never overwrite (exclusive create, so no race either)."""
    path = config_file(args.config)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        print(f"{path} already exists; not overwriting it (`sinoterm config validate` checks it)",
              file=sys.stderr)
        return 1
    except OSError as e:
        print(f"{path}: cannot create the config: {e.strerror or e}", file=sys.stderr)
        return 1
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(template_text())
    print(f"wrote {path}")
    return 0
