"""Check the `[keys]` table (binding id -> "key1,key2") against the bindings the app really has.

The known binding ids only exist at run time (the app and its screens declare them), so the app
passes them in; this module stays free of Textual. Problems come back as sentences for a
notification or for `sinoterm config validate`-style output.
"""
from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping

# a key is one printable character or a lower-case Textual key name (f5, pageup, question_mark)
_KEY = re.compile(r"^(?:(?:ctrl|alt|shift|super|meta|hyper)\+)*(?:[^\s,+]|[a-z][a-z0-9_]+)$")


class KeyProblem(str):
    """One problem sentence, remembering which binding id it is about (so the rest can apply)."""

    binding_id: str

    def __new__(cls, binding_id: str, message: str) -> KeyProblem:
        problem = super().__new__(cls, message)
        problem.binding_id = binding_id
        return problem


def split_keys(spec: str) -> list[str]:
    """'f5, r' -> ['f5', 'r'] (the form Textual's set_keymap takes, one key per entry)."""
    return [k.strip() for k in spec.split(",") if k.strip()]


def validate_keymap(keys: Mapping[str, str], known_ids: Iterable[str]) -> list[KeyProblem]:
    """Problems with a keymap: unknown binding ids (with a suggestion), empty or malformed keys,
    and one key given to two bindings. An empty list means the keymap can be applied as is."""
    known = sorted(set(known_ids))
    problems: list[KeyProblem] = []
    owner: dict[str, str] = {}
    for binding_id, spec in keys.items():
        where = f"`keys.\"{binding_id}\"`" if "." in binding_id else f"`keys.{binding_id}`"

        def problem(message: str, binding_id: str = binding_id, where: str = where) -> None:
            problems.append(KeyProblem(binding_id, f"{where}{message}"))

        if binding_id not in known:
            guess = difflib.get_close_matches(binding_id, known, n=1, cutoff=0.6)
            problem(f" is not a binding id; did you mean `{guess[0]}`?" if guess
                    else f" is not a binding id; known ids: {', '.join(known)}")
            continue
        parsed = split_keys(spec)
        if not parsed:
            problem(': no key given (write e.g. "f5,r")')
        for key in parsed:
            if not _KEY.match(key):
                problem(f': {key!r} is not a key name (e.g. "r", "ctrl+r", "f5")')
            elif key in owner and owner[key] != binding_id:
                problem(f": {key!r} is already given to `{owner[key]}`")
            else:
                owner[key] = binding_id
    return problems
