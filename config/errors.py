"""Config problems in the user's words: the file, the line or dotted key, what is wrong, a suggestion."""
from __future__ import annotations

import dataclasses
import difflib
import typing
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pydantic is loaded only when a file is validated
    from pydantic import ValidationError

UNKNOWN_KEY = ("extra_forbidden", "unexpected_keyword_argument")
"""pydantic's error types for a key the section does not have (models / dataclasses)."""


class ConfigError(Exception):
    """A config file Sinoterm refuses to run with. `str()` is the whole message for the terminal."""

    def __init__(self, path: Path, problems: list[str]):
        self.path = path
        self.problems = problems
        lines = [f"{path}: the config has {len(problems)} problem(s):" if len(problems) > 1
                 else f"{path}: the config has a problem:"]
        lines += [f"  - {p}" for p in problems]
        lines.append("Nothing was changed. Fix the file, then run `sinoterm config validate`.")
        super().__init__("\n".join(lines))


def dotted(loc: tuple) -> str:
    """('watchlists', 0, 'symbols', 2) -> 'watchlists[0].symbols[2]'."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _section_at(model: type, loc: tuple) -> type | None:
    """The config section (dataclass) that owns the last key of `loc`, to suggest its valid keys."""
    from config.models import section_fields

    current: type | None = model
    for part in loc[:-1]:
        if current is None or isinstance(part, int):
            continue
        ann = section_fields(current).get(str(part))
        if ann is None:
            return None
        candidates = [ann, *typing.get_args(ann)]
        current = next((c for c in candidates if dataclasses.is_dataclass(c)), None)
    return current


def describe(error: ValidationError, model: type, data: dict) -> list[str]:
    """One readable line per pydantic error, with the input value and a 'did you mean'."""
    problems = []
    for err in error.errors():
        loc = tuple(err["loc"])
        key = dotted(loc)
        if err["type"] in UNKNOWN_KEY:
            owner = _section_at(model, loc)
            known = [f.name for f in dataclasses.fields(owner)] if owner else []
            guess = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.6)
            hint = f"; did you mean `{guess[0]}`?" if guess else (
                f"; valid keys here: {', '.join(known)}" if known else "")
            problems.append(f"`{key}` is not a known key{hint}")
            continue
        msg = err["msg"].removeprefix("Value error, ")
        value = err.get("input")
        shown = f" (got {value!r})" if not isinstance(value, (dict, list)) and value is not None else ""
        problems.append(f"`{key}`: {msg}{shown}")
    return problems
