"""Stock moves: who moved, which way, by how much, and where ("jumped 15% in Hong Kong").

A move is a price verb ("rose", "slid", "were down", "ended ... lower") with a percentage right
after it, or a percentage followed by a move noun ("a 3.99 per cent rise") or a level ("40 percent
below its issue price"). The same verbs carry results ("revenue rose 8%"), so what decides is the
nearest subject before the verb: a company, a ticker, "shares", "stock" or "ADRs" make it a move;
a metric word makes it a growth figure (left to the metrics); an index ("Hang Seng Tech Index",
"benchmark") makes it nobody's move. The market comes from the nearest cue: a price in HK$ or $,
"Hong Kong", "premarket" (only New York has one), "ADRs", or a listing the company has only there.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from operator import itemgetter
from typing import Final

from market.instruments import Company
from news.extract_numbers import Num
from news.extract_text import Keyword, Sentences
from news.tagging import Mention, WordSet, word_start

_UP: Final = (r"rose|rise[sn]?|rising|jump(?:s|ed|ing)?|soar(?:s|ed|ing)?|surg(?:e|es|ed|ing)|gain(?:s|ed|ing)?"
       r"|climb(?:s|ed|ing)?|rall(?:y|ies|ied|ying)|advanc(?:e|es|ed|ing)|pop(?:s|ped|ping)?"
       r"|spik(?:e|es|ed|ing)|leap(?:s|t|ed|ing)?|rebound(?:s|ed|ing)?|(?:sky)?rocket(?:s|ed|ing)?"
       r"|add(?:s|ed)|up|higher|firm(?:s|ed)|edg(?:e|es|ed)\s+(?:up|higher)|tick(?:s|ed)\s+up")
_DOWN: Final = (r"fell|fall(?:s|ing|en)?|drop(?:s|ped|ping)?|declin(?:e|es|ed|ing)|slid(?:e|es|ing)?"
         r"|slump(?:s|ed|ing)?|sank|sink(?:s|ing)?|tumbl(?:e|es|ed|ing)|plung(?:e|es|ed|ing)"
         r"|plummet(?:s|ed|ing)?|div(?:e|es|ed|ing)|dove|shed(?:s|ding)?|los(?:e|es|ing)|lost"
         r"|slip(?:s|ped|ping)?|retreat(?:s|ed|ing)?|crash(?:es|ed|ing)?|tank(?:s|ed|ing)?|down|lower"
         r"|dip(?:s|ped|ping)?|eas(?:e|es|ed|ing)|skid(?:s|ded)?|crater(?:s|ed)?|sag(?:s|ged)?")
_NEUTRAL: Final = r"ended|closed|finished|traded|trading|was|were|is|are|stood|opened|last"
_GAP: Final = (r"(?:\s+(?:by|as\s+much\s+as|up\s+to|more\s+than|over|nearly|almost|about|around|roughly|some"
        r"|just|another|a\s+further|an?\s+additional|a|an|as\s+many\s+as|at\s+one\s+point|sharply|further))*\s*")
_VERB_WORD: Final = re.compile(rf"(?:(?P<up>{_UP})|(?P<down>{_DOWN})|(?P<flat>{_NEUTRAL}))")
_GAP_WORDS: Final = frozenset(
    "by as much more than over nearly almost about around roughly some just another a an further additional "
    "many at one point sharply".split())
_WORD_KIND: Final[dict[str, str | None]] = {}
_LOOK: Final = 12      # cues looked at after a verb (bounds the work in run-on text)
_OWNER: Final = re.compile(r"(?:attributable\s+to|at|of|from|for)\s+(?:the\s+)?$")
_REACH: Final = 240    # characters around a verb in which its market is looked for
_RESTATED: Final = re.compile(r",?\s+or\s+(?:about\s+|roughly\s+)?$")
_BARE_VERB: Final = re.compile(
    rf"(?:\s+[a-z]+){{0,3}}?\s+(?!up\b|down\b|higher\b|lower\b)(?:(?P<up>{_UP})|(?P<down>{_DOWN}))\b(?!{_GAP}[+-]?\d)")
_AFTER_NEUTRAL: Final = re.compile(r"\s*(?:(?P<up>up|higher|above)|(?P<down>down|lower|below))\b")
_NOUN: Final = re.compile(
    r"\s*(?:(?P<up>rise|gain|jump|surge|rally|climb|advance|increase|premium)"
    r"|(?P<down>drop|decline|fall|slide|slump|loss|plunge|tumble|discount))\b(?!\s+in\b)"
)
_LEVEL: Final = re.compile(
    r"\s*(?:(?P<up>above)|(?P<down>below|off|under))\s+(?:its|the|their)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:price|high|peak|level|debut|listing)"
)
_STOCK: Final = WordSet(["share", "shares", "stock", "adr", "adrs", "ads", "adss", "american depositary receipts",
                        "american depositary receipt", "american depositary shares", "share price"])
_INDEX: Final = WordSet([
    "index", "indices", "indexes", "benchmark", "hang seng", "hsi", "hstech", "s&p 500", "dow", "nasdaq composite",
    "nasdaq 100", "csi 300", "shanghai composite", "kweb", "etf", "etfs", "stocks", "market"])
# Market cues, led by literals (a leading \b would make `re` try every position); `_market` checks
# that a cue starts a word.
_HK: Final = re.compile(r"hong\s+kong|hk\b|hkex|hkg\b|\.hk\b|hkd|hang\s+seng")
_US: Final = re.compile(
    r"pre-?market|after-?hours|new\s+york|wall\s+street|u\.?s\.?[-\s]listed|adrs?\b|adss?\b"
    r"|american\s+depositary|nasdaq\b|nyse\b|\.n\b|u\.s\.\s+trading|us\s+trading"
)

@dataclass(slots=True)
class MoveHit:
    company: Company | None
    pct: float | None
    direction: str
    market: str | None
    start: int
    end: int


class _Cues:
    """Subjects a verb can have, in order: company names, "shares"/"stock", indexes, metric words."""

    def __init__(self, lower: str, vocab: frozenset[bytes], keywords: list[Keyword], found: list[Mention]):
        # Sorted by end; where two end together a company comes first, then the others as listed here.
        cues: list[tuple[int, int, str, Company | None]] = [(m.start, m.end, "company", m.company) for m in found]
        cues += [(k.start, k.end, "metric", None) for k in keywords if k.group not in ("market_cap", "stake_value")]
        self.stock = _STOCK.spans(lower, vocab)
        cues += [(s, e, "stock", None) for s, e in self.stock]
        cues += [(s, e, "index", None) for s, e in _INDEX.spans(lower, vocab)]
        cues.sort(key=itemgetter(1))  # stable
        self.lower = lower
        self.cues = cues
        self.ends = list(map(itemgetter(1), cues))
        self.names = [i for i, c in enumerate(cues) if c[2] == "company"]  # where the company cues are
        self.subjects = sorted([m.start for m in found] + [s for s, _ in self.stock])  # where a mover can be named

    def any_subject(self, lo: int, hi: int) -> bool:
        """Does a company, a ticker or "shares"/"stock" start in text[lo:hi]? Without one no move is there."""
        i = bisect.bisect_left(self.subjects, lo)
        return i < len(self.subjects) and self.subjects[i] < hi

    def subject(self, lo: int, pos: int, hi: int) -> tuple[str | None, int]:
        """The kind of the nearest cue ending before `pos` in the sentence, else the first one after.

        A company that is the object of a preposition after a metric is not the subject: in "net
        income attributable to Baidu fell 13%" or "revenue at Baidu Core rose 1%" what moved is the
        metric, not the stock.
        """
        i = bisect.bisect_right(self.ends, pos) - 1
        while i >= 0 and self.cues[i][0] >= lo:
            if self.cues[i][1] <= pos:
                kind = self.cues[i][2]
                if kind == "company" and i > 0 and self._owned_by_metric(i, lo):
                    kind = "metric"
                return kind, self.cues[i][1]
            i -= 1
        j = bisect.bisect_right(self.ends, pos)
        for s, _, kind, _ in self.cues[j:j + _LOOK]:
            if s >= hi:
                break
            if s >= pos and kind in ("company", "stock"):
                return kind, pos
        return None, pos

    def _owned_by_metric(self, i: int, lo: int) -> bool:
        """Company cue `i` follows a metric cue through "attributable to", "at", "of", "from" or "for"."""
        start, before = self.cues[i][0], self.cues[i - 1]
        if before[2] != "metric" or before[0] < lo or start - before[1] > 40:
            return False
        return bool(_OWNER.search(self.lower, before[1], start))

    def company(self, lo: int, pos: int, hi: int, main: Company | None) -> Company | None:
        """The company named nearest before `pos` in the sentence, else after it, else the last one before."""
        j = bisect.bisect_right(self.ends, pos)
        earlier = None
        # Back through the company cues among the last 4 * _LOOK cues ending by `pos`.
        names = self.names
        k = bisect.bisect_left(names, j) - 1
        while k >= 0 and names[k] > j - 1 - 4 * _LOOK:
            s, _, _, comp = self.cues[names[k]]
            if comp is None:
                if s >= lo:
                    return None  # a ticker outside the directory ("Tesla (NASDAQ:TSLA) rose 2%")
            else:
                if s >= lo:
                    return comp
                earlier = comp
                break
            k -= 1
        for s, _, kind, comp in self.cues[j:j + _LOOK]:
            if s >= hi:
                break
            if kind == "company" and comp is not None:
                return comp
        return earlier or main


def _market(lower: str, lo: int, hi: int, verb: int, company: Company | None, price: Num | None) -> str | None:
    if price is not None and price.currency == "HKD":
        return "HK"
    if price is not None and price.currency == "USD" and company is not None and company.us_symbol:
        return "US"
    best: str | None = None
    dist = 10**9
    a, b = max(lo, verb - _REACH), min(hi, verb + _REACH)
    # Each pattern runs only when a word all its cues contain is near.
    w = lower[a:b]
    if "hk" in w or "hong" in w or "hang" in w:
        best, dist = _nearest(_HK, lower, a, b, verb, "HK", best, dist)
    if "market" in w or "hours" in w or "york" in w or "street" in w or "listed" in w or "adr" in w or "ads" in w \
            or "depositary" in w or "nasdaq" in w or "nyse" in w or ".n" in w or "trading" in w:
        best, dist = _nearest(_US, lower, a, b, verb, "US", best, dist)
    if best is None and company is not None:
        if company.hk_symbol and not company.us_symbol:
            return "HK"
        if company.us_symbol and not company.hk_symbol:
            return "US"
    return best


def find_moves(lower: str, vocab: frozenset[bytes], sentences: Sentences, nums: list[Num],
               keywords: list[Keyword], found: list[Mention], main: Company | None) -> list[MoveHit]:
    """Every stock move in the lower-cased text; the percentages and prices they use are marked `used`."""
    cues = _Cues(lower, vocab, keywords, found)
    starts = [n.start for n in nums]
    hits: list[MoveHit] = []
    for p in nums:
        if p.kind != "pct" or p.used:
            continue
        lo, hi = sentences.span(p.start)
        if not cues.any_subject(lo, hi) and not (hits and hits[-1].end >= p.start - 14):
            continue  # a growth rate in a sentence naming no stock, and no move just before to restate
        kind, at = _verb_before(lower, max(lo, p.start - 60), p.start)
        if kind is not None:
            direction = kind if kind != "flat" else None
            if direction is None:
                after = _AFTER_NEUTRAL.match(lower, p.end)
                direction = ("up" if after.group("up") else "down") if after else None
        else:
            m = _NOUN.match(lower, p.end) or _LEVEL.match(lower, p.end)
            direction = ("up" if m.group("up") else "down") if m else None
            at = p.start
        if direction is None and hits and _RESTATED.search(lower, max(lo, p.start - 12), p.start) \
                and hits[-1].end >= p.start - 14:  # "jumped 9.7%, or 9.698%": the same move, more precise
            last = hits[-1]
            p.used = True
            hits.append(MoveHit(last.company, p.value, last.direction, last.market, p.start, p.end))
            continue
        if direction is None:
            continue
        kind, subject_end = cues.subject(lo, at, hi)
        if kind not in ("company", "stock") or _figure_between(nums, starts, subject_end, at):
            continue  # "BYD sold 444,425 vehicles, up 31%": the growth of a figure, not of the stock
        company = cues.company(lo, at, hi, main)
        hits.append(_hit(lower, nums, starts, p, direction, company, lo, hi, at))
    named = {h.company.id if h.company else None for h in hits}
    for start, end in cues.stock:  # "Shares fell in premarket trading": a move with no size
        lo, hi = sentences.span(start)
        company = cues.company(lo, start, hi, main)
        key = company.id if company else None
        if key in named:
            continue  # only when no move with a size was found for the company
        v = _BARE_VERB.match(lower, end)
        if v is None:
            continue
        named.add(key)
        direction = "up" if v.group("up") else "down"
        hits.append(MoveHit(company, None, direction, _market(lower, lo, hi, start, company, None),
                            start, v.end()))
    hits.sort(key=lambda h: h.start)
    return hits


def _nearest(pattern: re.Pattern[str], lower: str, a: int, b: int, verb: int, market: str, best: str | None,
             dist: int) -> tuple[str | None, int]:
    """`market` and the distance of its cue nearest the verb, if nearer than `dist`."""
    for m in pattern.finditer(lower, a, b):
        if m.group()[0] != "." and not word_start(lower, m.start()):
            continue
        d = abs(m.start() - verb)
        if d < dist:
            best, dist = market, d
    return best, dist


def _figure_between(nums: list[Num], starts: list[int], lo: int, hi: int) -> bool:
    """Is there an amount or a count (not a price or a time of day) between a subject and its verb?"""
    j = bisect.bisect_left(starts, lo)
    for n in nums[j:j + 6]:
        if n.start < hi and n.kind in ("money", "num") and not n.used and (n.scaled or n.kind == "num" and n.value >= 1000):
            return True
    return False


def _word_kind(word: str) -> str | None:
    """"up", "down", "flat" (was, ended, closed) for a price verb, "gap" for "by", "as much as" words."""
    kind = _WORD_KIND.get(word, "")
    if kind == "":
        m = _VERB_WORD.fullmatch(word)
        kind = m.lastgroup if m else ("gap" if word in _GAP_WORDS else None)
        if len(_WORD_KIND) > 20_000:
            _WORD_KIND.clear()
        _WORD_KIND[word] = kind
    return kind


def _verb_before(lower: str, lo: int, pos: int) -> tuple[str | None, int]:
    """The price verb just before `pos` ("rose as much as" 7%), read word by word backwards."""
    words = lower[lo:pos].split()
    end = pos
    i = len(words) - 1
    while i >= 0:
        word = words[i].strip("\"'(")
        end = lower.rfind(words[i], lo, end)
        if word == "to" and i and words[i - 1] == "up":  # "up to 5%" qualifies a verb before it
            i -= 2
            end = lower.rfind("up", lo, end)
            continue
        kind = _word_kind(word)
        if kind != "gap":
            return (kind, end) if kind else (None, pos)
        i -= 1
    return None, pos


def _hit(lower: str, nums: list[Num], starts: list[int], pct: Num, direction: str, company: Company | None,
         lo: int, hi: int, verb: int) -> MoveHit:
    pct.used = True
    j = bisect.bisect_right(starts, pct.start)
    price = next((n for n in nums[j:j + 3] if n.kind == "money" and n.start < pct.end + 40
                  and not n.scaled and n.start < hi), None)
    if price is not None:
        price.used = True
        k = bisect.bisect_right(starts, price.start)
        for n in nums[k:k + 1]:  # the price's own translation, "HKD69.05 (USD8.80)"
            if n.kind == "money" and n.start <= price.end + 3:
                n.used = True
    return MoveHit(company, pct.value, direction, _market(lower, lo, hi, verb, company, price),
                   min(verb, pct.start), pct.end)
