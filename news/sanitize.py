"""Make untrusted text (feed titles, article bodies, names from a source) safe to show in a terminal.

Text written by strangers may carry ANSI/OSC escape sequences (clear the screen, retitle the window,
write to the clipboard), C0/C1 control characters, NULs and bidirectional overrides that reorder what
the reader sees. `clean_text` removes all of them and caps the length, and changes nothing else:
Rich/Textual markup such as ``[bold]`` is kept as literal text, because escaping it is the
renderer's job (widgets use `rich.text.Text`, never markup strings).
"""
from __future__ import annotations

import re

DEFAULT_LIMIT = 4000
"""Characters kept by default: a generous headline or summary. Article bodies pass their own limit."""

ELLIPSIS = "\u2026"

# Whole escape sequences first, so their parameters ("[2J", "]0;title") do not survive as litter.
_ESCAPES = re.compile(
    r"""
      (?:\x1b\[|\x9b) [0-?]* [ -/]* [@-~]                       # CSI: ESC [ params intermediates final
    | (?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f]) [^\x07\x1b\x9c]*  # OSC, DCS, SOS, PM, APC payload ...
        (?:\x07|\x1b\\|\x9c)                                    # ... up to BEL or ST
    | \x1b [ -/]* [0-~]                                         # two-byte and nF escapes (ESC c, ESC ( B)
    """,
    re.VERBOSE,
)

# What is left: C0 except \t and \n, DEL, C1, bidi embeddings/overrides/isolates and marks,
# line/paragraph separators and the BOM.
_CONTROLS = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufeff]"
)


def clean_text(text: str | None, limit: int = DEFAULT_LIMIT, *, single_line: bool = False) -> str:
    """`text` without escape sequences and control characters, at most `limit` characters.

    `single_line=True` also turns tabs and newlines into spaces (headlines, names, table cells).
    A text cut at `limit` ends with an ellipsis so the reader knows it was cut.
    """
    if not text:
        return ""
    # Bound the work on hostile input: sequences are short, so a generous prefix is enough.
    if len(text) > limit * 4 + 64:
        text = text[: limit * 4 + 64]
    text = _CONTROLS.sub("", _ESCAPES.sub("", text))
    if single_line:
        text = text.replace("\n", " ").replace("\t", " ")
    if len(text) > limit:
        text = text[: max(limit - 1, 0)].rstrip() + ELLIPSIS
    return text
