"""Roles of the numbers in a text, decided before any metric is named.

A number in results news is not always a figure of the period: "(US$38.58 billion)" translates the
amount before it, "from RMB52.3 billion a year ago" and "after a profit of ..." are comparison
values, "between 7 and 10 billion yuan" is one range, "RMB 114.90" next to "RMB 115.96B" is in
billions too, "$20 million below the estimate" is a miss. This module settles those roles, and
answers the questions every figure asks of its surroundings: its status (reported, an analysts'
estimate, the company's guidance), the sign of a growth rate and its basis (YoY, QoQ).
"""
from __future__ import annotations

import bisect
import re
from typing import Final

from news.extract_lexicon import next_char
from news.extract_numbers import Num, plausible_usd
from news.extract_text import Sentences
from news.tagging import WordSet, find_words, folds_oddly, on_lower


class Cue:
    """A pattern read on the lower-cased text right after a number, tried only where it can start.

    `firsts` are the characters a match can have first after leading whitespace (`next_char`): most
    numbers are followed by none of them, and are turned away without a call to `re`. Under
    IGNORECASE (the `on_lower` variant for text that `folds_oddly`) "\u0130" and "\u0131" also match
    "i" and "\u017f" matches "s", so those are added here; `digits` admits any `\\d`.
    """

    def __init__(self, pattern: re.Pattern[str], firsts: str, digits: bool = False) -> None:
        self.patterns = on_lower(pattern)
        self.firsts = firsts + ("\u0130\u0131" if "i" in firsts else "") + ("\u017f" if "s" in firsts else "")
        self.digits = digits

    def match(self, c: Ctx, pos: int) -> re.Match[str] | None:
        ch = next_char(c.lower, pos)
        if ch in self.firsts or (self.digits and ch.isdecimal()):
            return self.patterns[c.fold].match(c.lower, pos)
        return None

_CONVERSION_GAP: Final = re.compile(r"(?i)\s*(?:\(|,?\s*or\s+|/)\s*(?:approx(?:imately|\.)?|about|around|roughly|~|or)?\s*$")
# The `on_lower` pairs and the `Cue`s read the lower-cased text (`Ctx.lower`, `Ctx.fold`).
# The `Cue`s, tried after most numbers, write an optional group `(?:X|)`: the match of `(?:X)?` without
# the memory `re` allocates for a `?` on more than one character each time it is tried.
PER_SHARE: Final = Cue(re.compile(
    r"(?i)\s*(?:\)\s*|)(?:per|a|each)\s+(?:diluted\s+|basic\s+|)(?:ordinary\s+|)(?:share|ads|adr|american\s+deposit\w*\s+share)"),
    ")pae")
_PRIOR_BEFORE: Final = on_lower(re.compile(
    r"(?i)(?:\bfrom\s+(?:an?\s+|the\s+)?(?:year[- ]ago|year[- ]earlier|prior[- ]year|last\s+year'?s?|previous|same[- ]period)?"
    r"\s*(?:(?:net\s+)?(?:loss|profit|income|revenue)\s+of\s+)?"
    r"|\bafter\s+(?:an?\s+)?(?:net\s+)?(?:profit|income|loss|earnings)\s+of\s+"
    r"|\b(?:compared\s+(?:with|to)|versus|vs\.?|against)\s+(?:an?\s+|the\s+)?(?:year[- ]ago|prior[- ]year|last\s+year'?s?)\s+(?:\w+\s+)?(?:of\s+)?)"
    r"(?:about|around|roughly|approximately|nearly|some)?\s*$"))
_PRIOR_AFTER: Final = Cue(re.compile(
    r"(?i)\s*(?:\([^)]{0,40}\)\s*|),?\s*(?:a\s+year\s+(?:ago|earlier|before)|in\s+the\s+(?:same|prior|previous|year-ago|corresponding)"
    r"\s+(?:year\s+|)(?:period|quarter)|(?:in\s+|)(?:the\s+|)(?:same\s+|)(?:period|quarter)\s+(?:a\s+year\s+ago|last\s+year))"),
    "(,aitspq")
# Estimate and guidance words, found once per text with `find_words`.
_STATUS_WORDS: Final = {
    **dict.fromkeys("estimate estimates consensus expectation expectations expected forecast forecasts forecasted "
                    "projected predicted polled analyst analysts factset refinitiv lseg".split(), "estimate"),
    "visible alpha": "estimate", "wall street": "estimate",
    **dict.fromkeys("guidance guided outlook expect expects expecting anticipate anticipates projects sees".split(),
                    "guidance"),
}
_STATUS_KEYS: Final = WordSet(tuple(_STATUS_WORDS))
# Led by a look at the words a match can begin with, so most amounts `Cue` lets through fail at once.
_ESTIMATE_AFTER: Final = Cue(re.compile(
    r"(?i)(?=\s*(?:average|mean|median|consensus|of|\d|analyst|estimat|forecast|projection|that|the|wall|expected))"
    r"\s*(?:(?:average|mean|median|consensus|)\s*(?:of\s+|)(?:\d+\s+|)(?:analysts?'?\s+|)(?:estimates?|forecasts|projections?|consensus)\b"
    r"|(?:that\s+|)(?:analysts?|the\s+market|wall\s+street)\s+(?:had\s+|)(?:expected|forecast|projected|estimated|predicted)"
    r"|(?:expected|estimated|forecast)\b(?!\s+to\b))"), "amcoefptw", digits=True)
# On lower-cased text led by the whole word, which `re` finds fast; the word start checked behind it.
_RESPECTIVELY: Final = (re.compile(r"respectively(?<!\wrespectively)\b"), re.compile(r"(?i)\brespectively\b"))
_BEAT: Final = re.compile(r"\b(?:beat|beats|beating|topped|missed|exceeded|surpassed|than)\W+(?:\w+'?\s+)?$")
_OF_AMOUNT: Final = re.compile(r"(?i)\s+(?:of|at|for)\s*(?:about|around|roughly|approximately)?\s*$")
_TO_BE: Final = re.compile(r"(?i)\bto\s+(?:be|reach|range|total)\s+(?:between\s+|approximately\s+|about\s+|around\s+)?(?:from\s+)?$")
_LIST_SEPARATOR: Final = re.compile(r"(?i)\s*(?:,|and|,\s*and)?\s*")
_LIST_GAP: Final = re.compile(r"(?i)\s*(?:,|and|,\s*and)\s*$")
_LIST_NEXT: Final = re.compile(r"(?i)\s*(?:,|and|,\s*and)\s*(?:RMB|CNY|US\$|HK\$|\$|\u00a5)?\s?\d")
_RANGE_LEAD: Final = re.compile(r"(?i)(?:between|ranging\s+from|range\s+of|range\s+from)\s*$")
_TO_RANGE_LEAD: Final = re.compile(r"(?i)\b(?:of|be|at|around|about|approximately|roughly|guided|forecast|sees|expects)\s*$")
# Who says a forecast decides its status: the company ("the smartphone maker forecast", "Xiaomi
# expects", "it guided") gives guidance, analysts ("analysts expect", "the Street forecast") an estimate.
_SAYS: Final = re.compile(
    r"(?i)\b(?:forecast(?:s|ed|ing)?|project(?:s|ed|ing)|predict(?:s|ed|ing)?|expect(?:s|ed|ing)?|guided|guides|sees"
    r"|anticipat(?:es|ed|ing)|estimat(?:es|ed)|its\s+(?:own\s+)?(?:forecasts?|outlook|guidance|projections?))\b")


def _word_starts(words: str) -> str:
    """`\\b(?:w1|w2|...)` for `re` to search fast: alternatives that each begin with a literal character.

    The word start is checked behind that character (`(?<!\\w.)`). A pattern whose alternatives all
    begin so is searched by skipping to the characters a match can start with; one led by `\\b` or a
    group is tried whole at every position (two to four times as slow on a window of text).
    """
    rests: dict[str, list[str]] = {}
    for w in words.split():
        rests.setdefault(w[0], []).append(w[1:])
    return "|".join(f"{first}(?<!\\w.)(?:{'|'.join(r)})" for first, r in rests.items())


_BY_COMPANY: Final = on_lower(re.compile(
    "(?i)(?:" + _word_starts("it company group firm maker makers giant carmaker automaker retailer platform operator "
                             "developer management executives startup conglomerate titan heavyweight owner parent "
                             "unit business") + "|'s)"
    r"\s+(?:also\s+|now\s+|had\s+|has\s+|have\s+|then\s+|previously\s+|further\s+|)$"))
_BY_ANALYSTS: Final = on_lower(re.compile(
    "(?i)(?:" + _word_starts("analysts? street consensus market investors economists brokers? polls? factset "
                             "refinitiv lseg bloomberg") + ")"
    r"'?\s+(?:had\s+|have\s+|were\s+|on\s+average\s+|now\s+|also\s+|)$"))
SHARE_OF: Final = Cue(re.compile(r"(?i)\s*of\s+(?:total|the|its|group|overall|all)\b"), "o")
FLAT: Final = Cue(re.compile(r"(?i)[\s,]+(?:remained\s+|was\s+|were\s+|)flat\b"), ",rwf")
_DOWN: Final = on_lower(re.compile(
    "(?i)(?:" + _word_starts(r"fell fall falls falling drop\w* declin\w* decreas\w* down dip\w* lower slid\w* slump\w* "
                             r"shr[ai]nk\w* contract\w* tumbl\w* plung\w* plummet\w* sank sink\w* slip\w* weak\w* "
                             "negative \u4e0b\u964d \u51cf\u5c11") + r")\b"))
# Written as `_word_starts` writes them, for the same reason.
YOY: Final = re.compile(
    r"(?i)y(?:/y|(?<!\w.)oy\b|ear[- ](?:on|over)[- ]year|ear[- ]ago\s+(?:period|quarter))"
    r"|from\s+(?:a|the|one)\s+year\s+(?:ago|earlier|before)|a(?<!\w.)\s+year\s+(?:ago|earlier)"
    r"|same\s+(?:period|quarter)|prior[- ]year\s+(?:period|quarter)|corresponding\s+(?:period|quarter)"
    r"|l(?<!\w.)ast\s+year\b|\u540c\u6bd4")
QOQ: Final = re.compile(
    r"(?i)q(?:/q|(?<!\w.)oq\b|uarter[- ](?:on|over)[- ]quarter)|sequential(?:ly|)|p(?:revious|rior|receding)\s+quarter"
    r"|last\s+quarter|\u73af\u6bd4")
OR_GAP: Final = re.compile(r"(?i)[\s),.]*(?:RMB)?[\s,]*or\s*$")
_YOY_LOWER: Final = on_lower(YOY)
_QOQ_LOWER: Final = on_lower(QOQ)
_FROM_QUARTER: Final = re.compile(r"(?i)from\s+the\s+(first|second|third|fourth)\s+quarter\s+of\s+((?:19|20)\d\d)")
_VERSUS: Final = Cue(re.compile(
    r"(?i)\s+(?:below|above|short\s+of|ahead\s+of|more\s+than|less\s+than|shy\s+of)\s+(?:the\s+|analysts'?\s+)?"
    r"(?:[\w'-]+\s+){0,3}?(?:estimates?|consensus|expectations?|forecasts?|projections?|guidance)\b"), "basml")


class Ctx:
    """Per-text state shared by the steps below."""

    def __init__(self, text: str, lower: str, vocab: frozenset[bytes], sentences: Sentences, nums: list[Num],
                 quarter: int | None, year: int | None, name_ends: list[int]):
        self.text = text
        self.lower = lower                      # text.lower(), same offsets
        self.fold = int(folds_oddly(lower))     # which of an `on_lower` pair reads it
        self.vocab = vocab
        self.name_ends = name_ends              # where company names end: a segment never spans one
        self.lists: list[list[Num]] = []
        self.sentences = sentences
        self.nums = nums
        self.quarter = quarter
        self.year = year
        self.starts = [n.start for n in nums]  # for bisect: numbers near a position without a full scan
        self.usd: dict[Num, float] = {}        # amount -> its USD translation
        self.prior: set[Num] = set()           # comparison values ("from RMB52.3 billion a year ago")
        self._table_basis: str | None | bool = False  # not read yet
        self._table_unit: tuple[str, float] | None | bool = False  # not read yet
        self._status_cues: tuple[list[tuple[int, int, str]], list[int]] | None = None
        self._prior_words: tuple[list[int], list[int]] | None = None
        self.table_column = 0                   # which cell of a table row is the current period

    def status_cues(self) -> tuple[list[tuple[int, int, str]], list[int]]:
        """Estimate and guidance words of the whole text, found in one pass, and their starts."""
        if self._status_cues is None:
            found = find_words(self.lower, _STATUS_KEYS.present(self.vocab))
            cues = [(a, b, _STATUS_WORDS[w]) for a, b, w in found]
            self._status_cues = (cues, [x[0] for x in cues])
        return self._status_cues

    def prior_words(self) -> tuple[list[int], list[int]]:
        """Where the first words of comparison leads ("from", "after", "versus" ...) start, and end.

        Each is a whole word wherever the pattern matches, so the ones not in the vocabulary are not
        looked for: a sweep of the whole text for "vs" alone costs more than all the rest.
        """
        if self._prior_words is None:
            found = []
            for w in _PRIOR_WORDS:
                if w.encode() not in self.vocab:
                    continue
                i = self.lower.find(w)
                while i >= 0:
                    found.append((i, i + len(w)))
                    i = self.lower.find(w, i + 1)
            found.sort()
            self._prior_words = [i for i, _ in found], [e for _, e in found]
        return self._prior_words

    @property
    def table_basis(self) -> str | None:
        """The growth basis a table's header names ("YoY Change"), read the first time a row needs it."""
        if self._table_basis is False:
            self._table_basis = _table_basis(self.text)
        return self._table_basis  # type: ignore[return-value]

    @property
    def table_unit(self) -> tuple[str, float] | None:
        """The unit of the text's table, read the first time a table row asks for it."""
        if self._table_unit is False:
            self._table_unit = _table_unit(self.lower) if "|" in self.text else None
        return self._table_unit  # type: ignore[return-value]


# A table's unit header, read outward from its scale word (found with str.find): "(in millions of
# RMB)", "RMB in millions", "US$ mn".
_SCALE_STEMS: Final = ("million", "thousand", "billion", "mn", "bn", "'000")
_UNIT_OPEN: Final = re.compile(r"(?:\bin\s+|\()$")
_UNIT_CURRENCY_AFTER: Final = re.compile(r"(?:\s+of)?\s+(?:chinese\s+)?(rmb|us\$|hk\$|cny|usd|hkd|yuan|renminbi)")
_UNIT_CURRENCY_BEFORE: Final = re.compile(r"(rmb|us\$|hk\$|cny|usd|hkd)\s*(?:in\s+)?$")
_HEAD_LAST: Final = frozenset("(bn$yd")  # what a unit header's text before its scale word can end with
_TABLE_SCALE: Final = {"million": 1e6, "millions": 1e6, "mn": 1e6, "thousand": 1e3, "thousands": 1e3, "'000": 1e3,
                "billion": 1e9, "billions": 1e9, "bn": 1e9}
_TABLE_CURRENCY: Final = {"rmb": "CNY", "cny": "CNY", "yuan": "CNY", "renminbi": "CNY", "us$": "USD", "usd": "USD",
                   "hk$": "HKD", "hkd": "HKD"}


def _table_unit(lower: str) -> tuple[str, float] | None:
    """("CNY", 1e6) for a table headed "(in millions of RMB)" or "RMB million": its bare numbers' unit.

    The first scale word in the text with a currency beside it decides. A scale word is read only when
    the text before it can open a unit header, and each pattern runs only after a quick look at the
    characters it needs.
    """
    best: tuple[int, tuple[str, float]] | None = None
    n = len(lower)
    for stem in _SCALE_STEMS:
        s = lower.find(stem)
        while s >= 0 and (best is None or s < best[0]):
            # Every header this reads has "(", "in" or a currency right before the scale word, so its
            # last non-space character is one of "(bn$yd": most scale words ("1.2 million") fail that
            # on the one or two characters before them, without the slicing below.
            ch = lower[s - 1] if s else "("
            if ch == " " and s >= 2:
                ch = lower[s - 2]
            if ch not in _HEAD_LAST and not ch.isspace():
                s = lower.find(stem, s + 1)
                continue
            head = lower[max(0, s - 12):s]
            tail = head.rstrip()
            # what _UNIT_OPEN needs ("$" also matches before a last newline)
            opens = head.endswith(("(", "(\n")) or (len(tail) < len(head) and tail.endswith("in"))
            if opens or tail.endswith(("b", "$", "y", "d", "in")):  # ... or a currency before it
                e = s + len(stem)
                scale = stem + "s" if stem[0] in "mtb" and stem not in ("mn", "bn") and lower.startswith("s", e) else stem
                e = s + len(scale)
                unit = None
                if opens and scale[0] in "mtb" and len(scale) > 2 and lower[e:e + 1].isspace() \
                        and _UNIT_OPEN.search(lower, max(0, s - 12), s):
                    after = _UNIT_CURRENCY_AFTER.match(lower, e)
                    if after:
                        unit = _TABLE_CURRENCY[after.group(1)], _TABLE_SCALE[scale]
                if unit is None and not (e < n and (lower[e].isalnum() or lower[e] == "_")) \
                        and tail.endswith(("b", "$", "y", "d", "in")):
                    before = _UNIT_CURRENCY_BEFORE.search(lower, max(0, s - 12), s)
                    if before:
                        unit = _TABLE_CURRENCY[before.group(1)], _TABLE_SCALE[scale]
                if unit is not None:
                    best = s, unit
                    break
            s = lower.find(stem, s + 1)
    return best[1] if best else None


def table_value(c: Ctx, cells: list[Num], growth: Num | None) -> tuple[Num, Num | None] | None:
    """The current-period cell of a table row, and its USD column if there is one.

    Press-release tables run prior period, current period, current period in US dollars; scraped
    summaries run current then prior. A row's own growth rate or USD column says which order it is.
    """
    cells = [n for n in cells if "," in c.text[n.start:n.end] or "." in c.text[n.start:n.end] or n.sign < 0]
    if not cells or c.table_unit is None:
        return None
    if len(cells) >= 3 and cells[1].value and cells[2].value:
        lo, hi = _PER_USD_TABLE
        if lo <= abs(cells[1].value / cells[2].value) <= hi:
            c.table_column = 1
            return cells[1], cells[2]
    if len(cells) >= 2 and growth is not None and cells[0].value and cells[1].value:
        rate = 1 + growth.value * (growth.sign or 1) / 100
        c.table_column = int(abs(cells[1].value / cells[0].value - rate) < abs(cells[0].value / cells[1].value - rate))
    column = min(c.table_column, len(cells) - 1)  # rows without evidence follow the rows with it
    return cells[column], None


_PER_USD_TABLE: Final = (5.5, 8.8)


_HEADER_DATES: Final = re.compile(r"Q[1-4]|H[12]|FY|(?:19|20)\d\d")  # a header row's column names ("Q2 2025")


def _table_basis(text: str) -> str | None:
    if "|" not in text:
        return None
    for row in text.split("\n"):
        if "|" in row and not any(map(str.isdigit, _HEADER_DATES.sub("", row))):
            if YOY.search(row):
                return "yoy"
            if QOQ.search(row):
                return "qoq"
    return None


def prepare_amounts(c: Ctx) -> None:
    """Translations, ranges, missing units and comparison values, before any naming."""
    text, nums = c.text, c.nums
    money = [n for n in nums if n.kind in ("money", "num")]
    for a, b in zip(money, money[1:], strict=False):
        gap = a.end, b.start  # matched in place: the gap patterns look at nothing outside it
        joint = _joint(text, a.end, b.start)
        if a.kind == "num":
            if b.kind == "num":
                if joint in _RANGE_JOINTS and _RANGE_LEAD.search(text[max(0, a.start - 20):a.start]):
                    # "between 125,000 and 132,000"
                    scale = b.value / _raw(text, b) if b.scaled and not a.scaled and _raw(text, b) else 1.0
                    b.high, b.value, b.start, b.scaled = b.value, a.value * scale, a.start, b.scaled or a.scaled
                    a.used = True
            elif b.scaled and not a.scaled and joint in _RANGE_JOINTS:
                lead = text[max(0, a.start - 20):a.start]
                scale = b.value / _raw(text, b) if _raw(text, b) else 1.0
                if _RANGE_LEAD.search(lead):
                    b.high, b.value, b.start = b.value, a.value * scale, a.start
                a.used = True
        elif b.kind != "money":
            continue
        elif a.currency == b.currency:
            if not (a.scaled and b.scaled):
                continue
            if joint in _RANGE_JOINTS and _RANGE_LEAD.search(text[max(0, a.start - 20):a.start]):
                b.high, b.value, b.start = b.value, a.value, a.start  # "between RMB40.8 billion and RMB42.9 billion"
                a.used = True
            elif a.value < b.value <= 1.5 * a.value and joint in ("to", "-") \
                    and _TO_RANGE_LEAD.search(text[max(0, a.start - 20):a.start]):
                b.high, b.value, b.start = b.value, a.value, a.start  # "revenue of RMB21.5 billion to RMB23 billion"
                a.used = True
        elif not a.used and _CONVERSION_GAP.match(text, *gap) and not PER_SHARE.match(c, b.end):
            b.used = True
            if b.currency == "USD":
                c.usd[a] = plausible_usd(a.value, a.currency, b.value)
            elif a.currency == "USD" and b.currency == "CNY":  # "$2.7 billion (18.25 billion RMB)"
                c.usd[a] = a.value
                a.value, a.currency = b.value, b.currency
    for n in money:
        if n.kind != "money" or n.used:
            continue
        if _VERSUS.match(c, n.end):  # "$20 million below the average estimate" is a miss, not a figure
            n.used = True
            continue
        lo = max(0, n.start - 60)
        if n.high is None and is_prior_lead(c, lo, n.start) or (
                _PRIOR_AFTER.match(c, n.end) and not text[lo:n.start].rstrip().endswith(" to")):
            c.prior.add(n)
        if not n.scaled and not PER_SHARE.match(c, n.end):
            _inherit_unit(c, n)


_RANGE_JOINTS: Final = ("to", "and", "-")


def _joint(text: str, lo: int, hi: int) -> str:
    """The word alone between two amounts ("to", "and", "-"), lower-cased; "" for anything longer.

    What a gap pattern `(?i)\\s*(?:to|and|-)\\s*$` matched in place reads, without `re`: `isspace` is
    what `\\s` matches, and no other character lower-cases to these ASCII letters. The word's ends are
    found in place: most gaps are long, and are never copied.
    """
    while lo < hi and text[lo].isspace():
        lo += 1
    while hi > lo and text[hi - 1].isspace():
        hi -= 1
    return text[lo:hi].lower() if hi - lo <= 3 else ""


_PRIOR_WORDS: Final = ("from", "after", "compared", "versus", "vs", "against")  # what every _PRIOR_BEFORE starts with


def is_prior_lead(c: Ctx, lo: int, hi: int) -> bool:
    """Does text[lo:hi], before an amount, introduce a comparison value ("... from RMB5.2 billion")?

    The pattern is tried only where one of its first words is (`Ctx.prior_words`), not at every position.
    """
    starts, ends = c.prior_words()
    first = bisect.bisect_left(starts, lo)
    if first == len(starts) or starts[first] >= hi:
        return False  # most amounts: no such word before them
    low = None
    for j in range(first, bisect.bisect_left(starts, hi, first)):
        if ends[j] <= hi:
            low = c.lower[lo:hi] if low is None else low
            if _PRIOR_BEFORE[c.fold].match(low, starts[j] - lo):
                return True
    return False


_DIGITS: Final = re.compile(r"\d[\d,]*(?:\.\d+)?")


def _raw(text: str, n: Num) -> float:
    digits = _DIGITS.search(text, n.start, n.end)
    return float(digits.group().replace(",", "")) if digits else 0.0


def _inherit_unit(c: Ctx, n: Num) -> None:
    """"RMB 114.90" next to "RMB 115.96B" in the same sentence means billions too."""
    lo, hi = c.sentences.span(n.start)
    if _LIST_NEXT.match(c.text, n.end):
        return  # "CNY2.95 and CNY4.4 billion": a list of different figures, each with its own unit
    for other in c.nums[bisect.bisect_left(c.starts, lo):bisect.bisect_left(c.starts, hi)]:
        if other is n or other.kind != "money" or not other.scaled or other.currency != n.currency:
            continue
        raw = _raw(c.text, other)
        if raw and 0.5 <= n.value / raw <= 2.0:
            n.value *= other.value / raw
            n.scaled = True
            return


def status_of(c: Ctx, n: Num, lo: int, prev: str | None) -> str:
    """reported, estimate (analysts, consensus) or guidance (the company's outlook)."""
    text = c.text
    if _ESTIMATE_AFTER.match(c, n.end):
        return "estimate"
    wlo = min(max(lo, n.start - 200), n.start)  # the 200 characters before, within the sentence
    if prev and _LIST_GAP.match(text, wlo, n.start):
        return prev
    last = None
    cues, starts = c.status_cues()
    for i in range(bisect.bisect_left(starts, n.start) - 1, -1, -1):
        s, e, status = cues[i]
        if s < wlo:
            break
        if e > n.start:
            continue
        before = c.lower[max(wlo, s - 14):s]
        if status == "estimate" and c.lower[s:e] == "expected" and before.endswith(("than-", "than ")):
            continue
        if _BEAT.search(before) and not _OF_AMOUNT.match(text, e, n.start):
            continue  # "beat estimates, helped by ..." compares; "beating estimates of $1.1" names one
        last = (s - wlo, status, e - wlo)
        break
    if last is None:
        return "reported"
    window = text[wlo:n.start]
    if _SAYS.fullmatch(window, last[0], last[2]):
        last = (last[0], _speaker(c, wlo + last[0]) or last[1], last[2])
    if len(window[last[2]:].split()) > 5:
        # An outlook sentence ("expects deliveries of ... and revenues of between X and Y") governs
        # its amounts from afar, but only the ones that read as outlook: ranges and "to be ...".
        if last[1] == "guidance" and (n.high is not None or _TO_BE.search(window[-30:])):
            return "guidance"
        return "reported"
    return last[1]


def _speaker(c: Ctx, pos: int) -> str | None:
    """guidance when the company says the verb at `pos`, estimate when analysts do, else None."""
    lead = c.lower[max(0, pos - 40):pos]
    if _BY_ANALYSTS[c.fold].search(lead):
        return "estimate"
    i = bisect.bisect_right(c.name_ends, pos) - 1
    if _BY_COMPANY[c.fold].search(lead) or (i >= 0 and not c.text[c.name_ends[i]:pos].strip(" '")):
        return "guidance"
    return None


_DOWN_AFTER: Final = on_lower(
    re.compile(r"(?i)\s*(?:[\w/-]+\s+){0,2}?(?:drop|decline|decrease|fall|dip|slump|lower|contraction)\b"))


def signed_pct(c: Ctx, p: Num, lo: int) -> float:
    if p.sign:
        return p.sign * p.value
    low, fold = c.lower, c.fold
    if _DOWN[fold].search(low[max(lo, p.start - 40):p.start]) or _DOWN_AFTER[fold].match(low, p.end, p.end + 40):
        return -p.value
    return p.value


def basis_of(c: Ctx, p: Num, lo: int) -> str | None:
    s_lo, s_hi = c.sentences.span(p.start)
    after = c.lower[p.end:min(p.end + 70, s_hi)]
    before = c.lower[max(lo, p.start - 30):p.start]
    m = _FROM_QUARTER.search(after) if c.quarter and c.text.find("quarter of", p.end, min(p.end + 70, s_hi)) >= 0 \
        else None
    if m:
        since = {"first": 1, "second": 2, "third": 3, "fourth": 4}[m.group(1).lower()]
        if since == c.quarter:
            return "yoy"
        if since % 4 + 1 == c.quarter:
            return "qoq"
    for low in (after, before):
        # Each pattern is tried at every position: only when a word every match contains is there.
        y = _YOY_LOWER[c.fold].search(low) if ("year" in low or "same" in low or "corresponding" in low or "y/y" in low
                                or "yoy" in low or "\u540c\u6bd4" in low) else None
        q = _QOQ_LOWER[c.fold].search(low) if ("quarter" in low or "q/q" in low or "qoq" in low or "sequential" in low
                                or "\u73af\u6bd4" in low) else None
        if y or q:
            return "yoy" if y and (not q or y.start() < q.start()) else "qoq"
    if c.text.find("|", s_lo, s_hi) >= 0:
        return c.table_basis
    return None


_CONVERSION_AFTER: Final = re.compile(r"\s*\([^)]{0,40}\)")


def after_conversion(text: str, pos: int) -> int:
    m = _CONVERSION_AFTER.match(text, pos, pos + 45)
    return m.end() if m else pos


def reserve_lists(c: Ctx) -> None:
    """Lists before "respectively" ("40% and 46%, respectively") are assigned as lists, later."""
    if "espectively" not in c.text:
        return
    for m in _RESPECTIVELY[c.fold].finditer(c.lower):
        lo, _ = c.sentences.span(m.start())
        group: list[Num] = []
        pos = m.start()
        for j in range(bisect.bisect_left(c.starts, pos) - 1, -1, -1):
            n = c.nums[j]
            if n.start < lo or len(group) > 8:
                break
            if n.end > pos or n.kind not in ("pct", "money") or (n.kind == "money" and n.used):
                continue
            gap = c.text[n.end:pos]
            if (group and n.kind != group[0].kind) or not _LIST_SEPARATOR.fullmatch(gap):
                break
            group.insert(0, n)
            pos = n.start
        if len(group) >= 2:
            for n in group:
                n.used = True
            c.lists.append(group)
