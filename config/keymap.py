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


def split_keys(spec: str) -> list[str]:
    """'f5, r' -> ['f5', 'r'] (the form Textual's set_keymap takes, one key per entry)."""
    return [k.strip() for k in spec.split(",") if k.strip()]


def validate_keymap(keys: Mapping[str, str], known_ids: Iterable[str]) -> list[str]:
    """Problems with a keymap: unknown binding ids (with a suggestion), empty or malformed keys,
    and one key given to two bindings. An empty list means the keymap can be applied as is."""
    known = sorted(set(known_ids))
    problems: list[str] = []
    owner: dict[str, str] = {}
    for binding_id, spec in keys.items():
        if binding_id not in known:
            guess = difflib.get_close_matches(binding_id, known, n=1, cutoff=0.6)
            hint = f"; did you mean `{guess[0]}`?" if guess else f"; known ids: {', '.join(known)}"
            problems.append(f"`keys.{binding_id}` is not a binding id{hint}")
            continue
        parsed = split_keys(spec)
        if not parsed:
            problems.append(f"`keys.{binding_id}`: no key given (write e.g. {binding_id} = \"f5,r\")")
        for key in parsed:
            if not _KEY.match(key):
                problems.append(f"`keys.{binding_id}`: {key!r} is not a key name (e.g. \"r\", \"ctrl+r\", \"f5\")")
            elif key in owner and owner[key] != binding_id:
                problems.append(f"`keys.{binding_id}`: {key!r} is already given to `keys.{owner[key]}`")
            else:
                owner[key] = binding_id
    return problems
