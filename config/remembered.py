"""Settings validated on an earlier start, reused while the file and the code are unchanged.

Validating a config file means loading pydantic and building its validators: ~150 ms on every
start, for a file that rarely changes. The outcome of a successful validation depends only on the
file's bytes and on the code that validates (the models, the symbol directory), so it is kept in
the cache dir under a digest of both and reused on a match. Anything else (no entry, another
digest, an unreadable or foreign entry) validates the file again; a failed validation is never
kept, so a broken file is reported on every start.

The entry is JSON (the dataclasses as plain data), rebuilt into the dataclasses by their field
types: nothing in it is executed, and it is only read back after its digest matches.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import typing
from pathlib import Path
from typing import Any

from config.models import Settings, section_fields
from config.paths import bundled, cache_dir

_CODE = (
    Path(__file__).with_name("models.py"),
    Path(__file__).with_name("validation.py"),
    Path(__file__).parent.parent / "market" / "instruments.py",
)


def digest(raw: bytes) -> str:
    """The file's bytes plus everything that decides what they validate to."""
    h = hashlib.sha256(raw)
    for path in _CODE:
        h.update(path.read_bytes())
    h.update(bundled("instruments.json").read_bytes())
    return h.hexdigest()


def _entry() -> Path:
    return cache_dir() / "validated-settings.json"


def recall(key: str) -> Settings | None:
    """The settings validated under `key`, if that is what the cache holds."""
    try:
        stored = json.loads(_entry().read_bytes())
        if stored.get("key") != key:
            return None
        return _build(Settings, stored["settings"])
    except Exception:  # noqa: BLE001 - missing, truncated, foreign: validate again
        return None


def remember(key: str, settings: Settings) -> None:
    """Keep `settings` under `key` (atomically; a cache that cannot be written is no error)."""
    entry = _entry()
    tmp = entry.with_name(f".{entry.name}.{os.getpid()}")
    try:
        tmp.write_text(json.dumps({"key": key, "settings": dataclasses.asdict(settings)}), "utf-8")
        os.replace(tmp, entry)
    except OSError:
        tmp.unlink(missing_ok=True)


def _build(kind: Any, data: Any) -> Any:
    """Plain data back into the (validated once already) dataclasses, following the field types."""
    if dataclasses.is_dataclass(kind):
        types = section_fields(kind)
        return kind(**{name: _build(types[name], value) for name, value in data.items()})
    if typing.get_origin(kind) is list:
        (item,) = typing.get_args(kind)
        return [_build(item, value) for value in data]
    return data
