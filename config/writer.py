"""Edits to the user's config file that keep their comments, order and layout (tomlkit).

Every edit follows one path (`ConfigFile._edit`): read the file as it is on disk now (so changes
made in an editor meanwhile are kept), refuse if it does not parse or validate, apply the change to
the tomlkit document, validate the result with the Settings model, and only then write it
atomically, keeping the previous version as `<name>.bak`. The user's file is never replaced by
defaults and never left half-written.
"""
from __future__ import annotations

import contextlib
import dataclasses
import itertools
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.items import AoT, Array, Table, Whitespace
from tomlkit.toml_document import TOMLDocument

from config.errors import ConfigError
from config.loader import parse_settings, parse_toml, validate_data
from config.models import Alert, DisplaySettings, Settings
from config.paths import bundled
from config.validation import to_data, validate_alert
from market.instruments import SymbolError, normalise


class EditError(ValueError):
    """An edit that makes no sense for the file as it is (duplicate symbol, unknown watchlist)."""


def template_text() -> str:
    """The commented default config shipped in `assets/config_template.toml`."""
    return bundled("config_template.toml").read_text("utf-8")


def backup_path(path: Path) -> Path:
    """Where the previous version of `path` is kept: `config.toml` -> `config.toml.bak`."""
    return path.with_name(path.name + ".bak")


def atomic_write(path: Path, data: bytes) -> None:
    """Replace `path` with `data` all at once: temp file in the same dir, fsync, os.replace.

    A crash or error at any point leaves either the old file or the new one, never a mix. The
    file keeps its permission bits.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = path.stat().st_mode & 0o777
    except FileNotFoundError:
        mode = 0o644
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    _fsync_dir(path.parent)


def _fsync_dir(directory: Path) -> None:
    """Make the rename itself durable (POSIX); harmless where directories cannot be opened."""
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def restore_backup(path: Path) -> Settings:
    """Put `<name>.bak` back in place; the version it replaces becomes the new backup (an undo)."""
    bak = backup_path(path)
    if not bak.exists():
        raise ConfigError(path, [f"there is no backup to restore ({bak.name} does not exist)"])
    old = bak.read_bytes()
    settings = parse_settings(old, bak)
    if path.exists():
        atomic_write(bak, path.read_bytes())
    atomic_write(path, old)
    return settings


class ConfigFile:
    """Style-preserving edits of one config file; each method saves at once and returns the new
    validated Settings. A file that does not exist yet is started from the commented template."""

    def __init__(self, path: Path):
        self.path = Path(path)

    # --- watchlists -------------------------------------------------------------------------

    def add_symbol(self, watchlist: str, symbol: str, index: int | None = None) -> Settings:
        """Add `symbol` (any accepted form, stored canonical) to a watchlist, at the end by default."""
        canonical = _canonical(symbol)

        def change(doc: TOMLDocument) -> None:
            symbols = _symbols(_watchlist(doc, watchlist))
            if canonical in _canonical_list(symbols):
                raise EditError(f"{canonical} is already in {watchlist!r}")
            if index is None or index >= len(symbols):
                symbols.append(canonical)
            else:
                symbols.insert(max(index, 0), canonical)
            _keep_items_out_of_comments(symbols)

        return self._edit(change)

    def remove_symbols(self, watchlist: str, symbols: list[str] | tuple[str, ...]) -> Settings:
        """Remove symbols from a watchlist in one save (matched in any spelling the file uses)."""
        unwanted = [_canonical(s) for s in symbols]

        def change(doc: TOMLDocument) -> None:
            array = _symbols(_watchlist(doc, watchlist))
            positions = _canonical_list(array)
            missing = [s for s in unwanted if s not in positions]
            if missing:
                raise EditError(f"{', '.join(missing)} not in {watchlist!r}")
            for i in sorted((i for i, s in enumerate(positions) if s in unwanted), reverse=True):
                del array[i]

        return self._edit(change)

    def move_symbol(self, watchlist: str, symbol: str, offset: int) -> Settings:
        """Move a symbol `offset` places (negative: up), clamped to the list's ends."""
        canonical = _canonical(symbol)

        def change(doc: TOMLDocument) -> None:
            array = _symbols(_watchlist(doc, watchlist))
            order = _canonical_list(array)
            if canonical not in order:
                raise EditError(f"{canonical} is not in {watchlist!r}")
            i = order.index(canonical)
            order.insert(min(max(i + offset, 0), len(order) - 1), order.pop(i))
            _permute(array, order)

        return self._edit(change)

    def reorder_symbols(self, watchlist: str, order: list[str] | tuple[str, ...]) -> Settings:
        """Put a watchlist's symbols in `order` (the same symbols, any accepted spelling)."""
        wanted = [_canonical(s) for s in order]

        def change(doc: TOMLDocument) -> None:
            array = _symbols(_watchlist(doc, watchlist))
            if sorted(_canonical_list(array)) != sorted(wanted):
                raise EditError(f"the new order of {watchlist!r} must hold the same symbols")
            _permute(array, wanted)

        return self._edit(change)

    def add_watchlist(self, name: str, symbols: list[str] | tuple[str, ...] = ()) -> Settings:
        """Append a new watchlist (a new tab)."""
        name = name.strip()
        canonical = [_canonical(s) for s in symbols]

        def change(doc: TOMLDocument) -> None:
            lists = _watchlists(doc)
            if _find(lists, name) is not None:
                raise EditError(f"there is already a watchlist named {name!r}")
            table = tomlkit.table()
            table["name"] = name
            table["symbols"] = canonical
            lists.append(table)

        return self._edit(change)

    def rename_watchlist(self, old: str, new: str) -> Settings:
        """Rename a watchlist in place, keeping its comments and symbols."""
        new = new.strip()

        def change(doc: TOMLDocument) -> None:
            lists = _watchlists(doc)
            target = _watchlist(doc, old)
            other = _find(lists, new)
            if other is not None and other is not target:
                raise EditError(f"there is already a watchlist named {new!r}")
            target["name"] = new

        return self._edit(change)

    def delete_watchlist(self, name: str) -> Settings:
        """Delete a watchlist; the last one cannot go (the defaults would silently come back)."""

        def change(doc: TOMLDocument) -> None:
            lists = _watchlists(doc)
            target = _watchlist(doc, name)
            if len(lists) == 1:
                raise EditError("the last watchlist cannot be deleted; rename it or add another first")
            del lists[next(i for i, t in enumerate(lists) if t is target)]

        return self._edit(change)

    # --- alerts and display -----------------------------------------------------------------

    def add_alert(self, symbol: str, condition: str, value: float) -> Settings:
        """Append an `[[alerts]]` entry (validated by the Alert model first)."""
        alert = validate_alert({"symbol": symbol, "condition": condition, "value": value})

        def change(doc: TOMLDocument) -> None:
            alerts = _array_of_tables(doc, "alerts", [])
            if any(_same_alert(t, alert) for t in alerts):
                raise EditError(f"the alert {alert.symbol} {alert.condition} {alert.value:g} exists already")
            table = tomlkit.table()
            table.update(to_data(alert))
            alerts.append(table)

        return self._edit(change)

    def remove_alert(self, symbol: str, condition: str, value: float) -> Settings:
        """Remove the `[[alerts]]` entry with this symbol, condition and value."""
        alert = validate_alert({"symbol": symbol, "condition": condition, "value": value})

        def change(doc: TOMLDocument) -> None:
            alerts = _array_of_tables(doc, "alerts", [])
            for i, t in enumerate(alerts):
                if _same_alert(t, alert):
                    del alerts[i]
                    return
            raise EditError(f"no alert {alert.symbol} {alert.condition} {alert.value:g}")

        return self._edit(change)

    def set_display(self, key: str, value: Any) -> Settings:
        """Set one `[display]` key (theme, up, chinese_names), keeping the rest of the table."""
        if key not in {f.name for f in dataclasses.fields(DisplaySettings)}:
            raise EditError(f"[display] has no key {key!r}")

        def change(doc: TOMLDocument) -> None:
            if "display" not in doc:
                doc.add(tomlkit.nl())
                doc["display"] = tomlkit.table()
            doc["display"][key] = value  # type: ignore[index]

        return self._edit(change)

    # --- the one write path -----------------------------------------------------------------

    def _edit(self, change: Callable[[TOMLDocument], None]) -> Settings:
        raw = self._current()
        parse_settings(raw, self.path)  # refuse to touch a file the user still has to fix
        doc = tomlkit.parse(raw.decode("utf-8"))
        change(doc)
        text = tomlkit.dumps(doc)
        data = parse_toml(text.encode("utf-8"), self.path)
        if data != doc.unwrap():  # the rendered text must mean exactly what was edited
            raise EditError("the edit could not be written without changing other values; nothing was saved")
        try:
            settings = validate_data(data, self.path)
        except ConfigError as e:
            raise EditError("; ".join(e.problems)) from None
        if self.path.exists():
            atomic_write(backup_path(self.path), raw)
        atomic_write(self.path, text.encode("utf-8"))
        return settings

    def _current(self) -> bytes:
        try:
            return self.path.read_bytes()
        except FileNotFoundError:
            return template_text().encode("utf-8")
        except OSError as e:
            raise ConfigError(self.path, [f"the file cannot be read: {e.strerror or e}"]) from None


# --- tomlkit helpers ------------------------------------------------------------------------


def _canonical(symbol: str) -> str:
    try:
        return normalise(symbol)
    except SymbolError as e:
        raise EditError(str(e)) from None


def _canonical_list(symbols: Array) -> list[str]:
    """The file may spell symbols loosely (`09988`); compare in canonical form."""
    out = []
    for s in symbols:
        try:
            out.append(normalise(str(s)))
        except SymbolError:
            out.append(str(s))
    return out


def _array_of_tables(doc: TOMLDocument, key: str, default: list[dict]) -> AoT | Array:
    """`[[key]]` tables (or an inline array of tables); created from `default` when absent, so
    the first edit of a defaulted list starts from what the user was seeing."""
    if key not in doc:
        aot = tomlkit.aot()
        for entry in default:
            table = tomlkit.table()
            table.update(entry)
            aot.append(table)
        doc.add(tomlkit.nl())
        doc[key] = aot
    return doc[key]  # type: ignore[return-value]


def _watchlists(doc: TOMLDocument) -> AoT | Array:
    defaults = [to_data(w) for w in Settings().watchlists]
    return _array_of_tables(doc, "watchlists", defaults)


def _find(lists: AoT | Array, name: str) -> Table | None:
    wanted = name.strip().casefold()
    return next((t for t in lists if str(t.get("name", "")).casefold() == wanted), None)


def _watchlist(doc: TOMLDocument, name: str) -> Table:
    found = _find(_watchlists(doc), name)
    if found is None:
        raise EditError(f"there is no watchlist named {name!r}")
    return found


def _symbols(table: Table) -> Array:
    if "symbols" not in table:
        table["symbols"] = tomlkit.array()
    return table["symbols"]  # type: ignore[return-value]


def _permute(arr: Array, wanted: list[str]) -> None:
    """Reorder `arr` to the canonical order `wanted` by swaps, so each item's comment goes with it."""
    current = _canonical_list(arr)
    for i, symbol in enumerate(wanted):
        j = current.index(symbol, i)
        if j != i:
            _swap(arr, i, j)
            current[i], current[j] = current[j], current[i]
    _keep_items_out_of_comments(arr)


def _swap(arr: Array, i: int, j: int) -> None:
    """Swap two array items; their trailing comments travel with them where tomlkit allows."""
    a, b = arr[i], arr[j]
    arr[i], arr[j] = b, a
    groups = getattr(arr, "_value", None)
    index = getattr(arr, "_index_map", None)
    if groups is None or index is None:
        return  # comments stay in place; the values are still right
    with contextlib.suppress(IndexError, KeyError, AttributeError):
        gi, gj = groups[index[i]], groups[index[j]]
        gi.comment, gj.comment = gj.comment, gi.comment


def _keep_items_out_of_comments(arr: Array) -> None:
    """tomlkit gives a new item the indent of the one before it; after an item with a trailing
    `# comment` on a shared line that puts the new item inside the comment. Start such items on
    their own line instead."""
    groups = getattr(arr, "_value", None)
    if not groups:
        return
    indents = [str(g.indent) for g in groups if getattr(g, "indent", None) is not None]
    line_indent = next((i for i in indents if i.startswith("\n")), "\n  ")
    for before, group in itertools.pairwise(groups):
        if getattr(before, "comment", None) is not None and getattr(group, "value", None) is not None:
            if not str(group.indent or "").startswith("\n"):
                group.indent = Whitespace(line_indent)


def _same_alert(table: Any, alert: Alert) -> bool:
    try:
        return validate_alert(dict(table)) == alert
    except ValueError:
        return False

