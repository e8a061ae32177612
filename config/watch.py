"""Notice a config file edited outside the app and reload it, keeping the last good settings.

The app polls `ConfigWatcher.poll()` on a timer (every second or two is fine): a `stat()` per call,
and the file is only read when its mtime or size moved; a hash then filters out touches and the
app's own writes. No file-system-event dependency, and it works on every platform and on network
mounts.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from config.errors import ConfigError
from config.loader import parse_settings
from config.models import Settings


@dataclass(frozen=True, slots=True)
class Reload:
    """What a poll found. `settings` is what to use now: the new settings after a good reload, the
    last good ones after a failed one (then `error` says why, for a notification)."""

    settings: Settings
    error: ConfigError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size)


def _digest(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


class ConfigWatcher:
    """Change detector for one config file (mtime + size, then content hash)."""

    def __init__(self, path: Path, settings: Settings):
        self.path = Path(path)
        self.settings = settings
        self._stamp: tuple[int, int] | None = None
        self._digest: str | None = None
        self._remember()

    def _remember(self) -> None:
        """Take the file as it is now as the known state (after loading it or writing it)."""
        self._stamp = _stamp(self.path)
        try:
            self._digest = _digest(self.path.read_bytes())
        except OSError:
            self._digest = None

    def accept(self, settings: Settings) -> None:
        """The app wrote the file itself and already applies `settings`: do not report it back."""
        self.settings = settings
        self._remember()

    def poll(self) -> Reload | None:
        """None when nothing changed; otherwise a Reload with the settings to use and any error."""
        stamp = _stamp(self.path)
        if stamp == self._stamp:
            return None
        self._stamp = stamp
        if stamp is None:
            self._digest = None
            return Reload(self.settings, ConfigError(
                self.path, ["the file was removed; the settings in use are kept until it is back"]))
        try:
            raw = self.path.read_bytes()
        except OSError as e:
            return Reload(self.settings, ConfigError(self.path, [f"the file cannot be read: {e.strerror or e}"]))
        digest = _digest(raw)
        if digest == self._digest:
            return None
        self._digest = digest
        try:
            self.settings = parse_settings(raw, self.path)
        except ConfigError as e:
            return Reload(self.settings, e)
        return Reload(self.settings)
