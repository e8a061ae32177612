"""The fast lower-case forms of the growth-basis and down-word patterns find what the originals find."""
from __future__ import annotations

import itertools
import random

from news.extract_roles import _DOWN, _QOQ_LOWER, _YOY_LOWER, QOQ, YOY

WORDS = ("y/y yoy xyoy year-on-year year over year from a year ago from the year earlier a year ago ba year earlier "
         "same period same quarter year-ago quarter prior-year period corresponding quarter last year blast year "
         "q/q qoq qoqs quarter-on-quarter sequential sequentially previous quarter prior quarter preceding quarter "
         "last quarter fell falling dropped declines decrease down downs lower slid slump shrank contract tumbled "
         "plunging plummeted sank sinking slipped weaker negative rose up 5% , . \u540c\u6bd4 \u73af\u6bd4 "
         "\u4e0b\u964d \u51cf\u5c11 \u6536\u5165\u4e0b\u964d").split()


def phrases():
    rng = random.Random(1)
    for n in range(1, 7):
        for _ in range(400):
            yield rng.choice(["", " ", "x"]).join(rng.choice(WORDS) for _ in range(n))
    yield from (" ".join(p) for p in itertools.product(WORDS[:20], repeat=2))


def start(m):
    return m.start() if m else None


def test_yoy_and_qoq_find_the_same_first_match():
    for text in phrases():
        assert start(_YOY_LOWER[0].search(text)) == start(YOY.search(text)), text
        assert start(_QOQ_LOWER[0].search(text)) == start(QOQ.search(text)), text


def test_down_words_are_found_alike():
    for text in phrases():
        assert bool(_DOWN[0].search(text)) == bool(_DOWN[1].search(text)), text
