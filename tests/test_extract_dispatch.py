"""Splitting an alternation by first character changes nothing a match at any position finds."""
from __future__ import annotations

import re

import pytest

from news.extract_dispatch import by_first_char

ALTERNATIVES = (
    r"(?P<expense>\bsales\s+and\s+marketing\s+expenses?\b)",
    r"(?P<eps>\b(?:diluted\s+)?(?:net\s+)?(?:income|profit)\s+per\s+share\b)",
    r"(?P<net>\b(?:net\s+)?(?:income|profit)\b|\u51c0\u5229\u6da6)",
    r"(?P<revenue>\b(?:revenues?|sales)\b)",
    r"(?P<range>[0-9]+\s*-\s*[0-9]+)",
)
TEXT = ("sales and marketing expenses rose while sales fell; net income per share and diluted profit per share "
        "beat, income from operations, \u51c0\u5229\u6da6 up, 5 - 7 units, netincome, presales")


def test_every_position_matches_as_the_whole_alternation():
    whole = re.compile("|".join(ALTERNATIVES))
    split = by_first_char(ALTERNATIVES)
    for i in range(len(TEXT)):
        m, part = whole.match(TEXT, i), split.get(TEXT[i])
        n = part.match(TEXT, i) if part else None
        assert (m and (m.end(), m.lastgroup)) == (n and (n.end(), n.lastgroup)), TEXT[i:i + 30]


def test_keys_are_the_first_characters():
    assert set(by_first_char(ALTERNATIVES)) == {"s", "d", "n", "i", "p", "r", "\u51c0", *"0123456789"}


@pytest.mark.parametrize("alternative", [r"\w+ing", r"(?:x)?", r"[^a]b", r".x"])
def test_an_alternative_that_can_start_anywhere_is_refused(alternative):
    with pytest.raises(ValueError):
        by_first_char((r"abc", alternative))

