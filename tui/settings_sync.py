"""Keeps the running app and the config file in step, in both directions.

In-app edits go through `save()` (style-preserving, validated, atomic: config/writer.py) and take
effect at once; edits made in an editor are picked up by `poll()` (config/watch.py), and a broken
one keeps the last good settings and says why. Either way `apply()` is the one place new settings
reach the app: watchlist choice, keymap, alerts, and a `SettingsChanged` to every screen.
"""
from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App
from textual.dom import DOMNode

from config.errors import ConfigError
from config.keymap import validate_keymap
from config.models import Settings
from config.paths import config_file
from config.watch import ConfigWatcher
from tui.messages import SettingsChanged

if TYPE_CHECKING:
    from config.writer import ConfigFile

POLL_SECONDS = 2.0
# Modules imported lazily elsewhere; loaded here so their binding ids count as known in `[keys]`.
BINDING_MODULES = ("tui.app", "tui.screens.dashboard", "tui.screens.detail", "tui.screens.article",
                   "tui.screens.help", "tui.screens.alerts", "tui.screens.watchlist_editor")


class SettingsSync:
    """The app's link to its config file: `save` for in-app edits, `poll` for outside edits."""

    def __init__(self, app: App, path: Path | None) -> None:
        self.app = app
        self.path = Path(path) if path else config_file()
        self.watcher = ConfigWatcher(self.path, app.settings)  # type: ignore[attr-defined]

    def start(self, poll: bool = True) -> None:
        """Apply the keymap and start polling the file; call from the app's on_mount."""
        self.apply_keymap(self.app.settings)  # type: ignore[attr-defined]
        if poll:
            self.app.set_interval(POLL_SECONDS, self.poll, name="config-poll")

    @cached_property
    def file(self) -> ConfigFile:
        """The style-preserving writer, built on the first in-app edit (its tomlkit import is not
        start-up work)."""
        from config.writer import ConfigFile

        return ConfigFile(self.path)

    def save(self, edit: Callable[[ConfigFile], Settings], done: str, select: str | None = None) -> bool:
        """Run one edit of the file; on success apply it (showing watchlist `select` if given) and
        say `done`, else say why not."""
        from config.writer import EditError

        try:
            settings = edit(self.file)
        except EditError as e:
            self.app.notify(str(e), title="Not saved", severity="warning", markup=False)
            return False
        except ConfigError as e:
            self.app.notify(str(e), title="Config not saved", severity="error", markup=False, timeout=12)
            return False
        except OSError as e:
            self.app.notify(f"{self.path}: {e.strerror or e}", title="Config not saved", severity="error",
                            markup=False, timeout=12)
            return False
        self.watcher.accept(settings)
        self.apply(settings, select)
        self.app.notify(done, timeout=3, markup=False)
        return True

    def poll(self) -> None:
        """Reload the file if it changed on disk; a failed reload keeps the last good settings."""
        result = self.watcher.poll()
        if result is None:
            return
        if result.ok:
            self.apply(result.settings)
            self.app.notify(f"Reloaded {self.path.name}", timeout=3, markup=False)
        else:
            self.app.notify(f"{result.error}\nThe settings in use are kept.", title="Config not reloaded",
                            severity="error", markup=False, timeout=15)

    def apply(self, settings: Settings, select: str | None = None) -> None:
        """Make `settings` the app's settings and tell every screen."""
        app = self.app
        listed = set(app.all_symbols())  # type: ignore[attr-defined]
        app.settings = settings  # type: ignore[attr-defined]
        names = [w.name for w in settings.watchlists]
        if select in names:
            app.watchlist_name = select  # type: ignore[attr-defined]
        elif getattr(app, "watchlist_name", None) not in names:
            app.watchlist_name = settings.watchlist(None).name  # type: ignore[attr-defined]
        monitor = getattr(app, "alert_monitor", None)
        if monitor is not None:
            monitor.engine.set_alerts(settings.alerts)
        if settings.display.theme != app.theme and settings.display.theme in app.available_themes:
            app.theme = settings.display.theme
        self.apply_keymap(settings)
        for screen in app.screen_stack:
            screen.post_message(SettingsChanged())
        if not set(app.all_symbols()) <= listed:  # type: ignore[attr-defined]
            app.refresh_quotes()  # type: ignore[attr-defined]  # new symbols: quote them now

    def apply_keymap(self, settings: Settings) -> None:
        """`[keys]` -> App.set_keymap, skipping (and reporting) entries that do not fit.

        With no `[keys]` there is nothing to check, so the screens `binding_ids` imports (help's
        Markdown, detail's charts: ~0.2 s) stay off the start-up path."""
        problems = validate_keymap(settings.keys, binding_ids()) if settings.keys else []
        bad = {p.binding_id for p in problems}
        self.app.set_keymap({k: v for k, v in settings.keys.items() if k not in bad})
        if problems:
            self.app.notify("\n".join(problems), title=f"[keys] in {self.path.name}", severity="warning",
                            markup=False, timeout=12)


def binding_ids() -> set[str]:
    """Every binding id Sinoterm's own screens and widgets declare (those `[keys]` may remap)."""
    for name in BINDING_MODULES:
        try:
            importlib.import_module(name)
        except ImportError:  # a screen not built yet: its ids are simply not known
            continue
    from tui.watchlist_editing import EDIT_BINDINGS

    declared = {b.id for b in EDIT_BINDINGS if b.id}
    return declared | {
        binding.id
        for cls in _subclasses(DOMNode)
        if cls.__module__.startswith(("tui.", "widgets."))
        for binding in cls.__dict__.get("BINDINGS", [])
        if getattr(binding, "id", None)
    }


def _subclasses(cls: type) -> Iterator[type]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)
