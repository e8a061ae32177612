"""Config problems in the user's words: the file, the line or dotted key, what is wrong, a suggestion."""
from __future__ import annotations

import difflib
from pathlib import Path

from pydantic import BaseModel, ValidationError


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


def _model_at(model: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    """The model class that owns the last key of `loc`, to suggest its valid field names."""
    current: type[BaseModel] | None = model
    for part in loc[:-1]:
        if current is None or isinstance(part, int):
            continue
        field = current.model_fields.get(str(part))
        if field is None:
            return None
        ann = field.annotation
        inner = getattr(ann, "__args__", None)
        candidates = [ann, *(inner or ())]
        current = next((c for c in candidates if isinstance(c, type) and issubclass(c, BaseModel)), None)
    return current


def describe(error: ValidationError, model: type[BaseModel], data: dict) -> list[str]:
    """One readable line per pydantic error, with the input value and a 'did you mean'."""
    problems = []
    for err in error.errors():
        loc = tuple(err["loc"])
        key = dotted(loc)
        if err["type"] == "extra_forbidden":
            owner = _model_at(model, loc)
            known = list(owner.model_fields) if owner else []
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
