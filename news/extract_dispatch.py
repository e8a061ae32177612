"""One alternation split by first character, so a match at a known position tries only what can start there.

`re` tries the alternatives of a pattern one after another, and one whose first character cannot
fit still costs a full attempt. `by_first_char` compiles, for every character an alternative can
start with, the alternatives that can, in their original order: at any position the first of them
to match is the whole alternation's first to match (21 metric-keyword alternatives become 1 to 6).
The first characters are read from `re`'s own parse of each alternative.
"""
from __future__ import annotations

import re
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any


def _firsts(items: Any) -> tuple[set[str] | None, bool]:
    """The characters a match of parsed `items` can start with (None: any) and whether it can be empty."""
    out: set[str] = set()
    chars: set[str] | None
    for op, av in items:
        if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
            continue  # zero-width: the next item starts the match
        if op is sre.LITERAL:
            chars, empty = {chr(av)}, False
        elif op is sre.IN:
            chars, empty = _class(av), False
        elif op is sre.BRANCH:
            chars, empty = set(), False
            for alternative in av[1]:
                some, can_be_empty = _firsts(alternative)
                chars = None if chars is None or some is None else chars | some
                empty = empty or can_be_empty
        elif op is sre.SUBPATTERN:
            chars, empty = _firsts(av[3])
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
            chars, empty = _firsts(av[2])
            empty = empty or av[0] == 0
        else:  # anything else could start anywhere
            return None, False
        if chars is None:
            return None, False
        out |= chars
        if not empty:
            return out, False
    return out, True


def _class(members: Any) -> set[str] | None:
    out: set[str] = set()
    for member, value in members:
        if member is sre.LITERAL:
            out.add(chr(value))
        elif member is sre.RANGE and value[1] - value[0] < 1000:
            out.update(map(chr, range(value[0], value[1] + 1)))
        else:  # a category (\w, \s), a negation, a huge range
            return None
    return out


def by_first_char(alternatives: tuple[str, ...], flags: int = 0) -> dict[str, re.Pattern[str]]:
    """For each character some alternative can start with, the alternation of those that can (in order).

    A position whose character is not a key matches none of them. Every alternative must begin
    with known characters, not a class such as `\\w` (ValueError otherwise).
    """
    firsts = []
    for alternative in alternatives:
        chars, empty = _firsts(sre_parse.parse(alternative, flags))
        if chars is None or empty:
            raise ValueError(f"cannot tell what {alternative[:40]!r} starts with")
        firsts.append(chars)
    return {ch: re.compile("|".join(a for a, chars in zip(alternatives, firsts, strict=True) if ch in chars), flags)
            for ch in set().union(*firsts)}
