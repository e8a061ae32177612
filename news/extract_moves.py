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

import re
from dataclasses import dataclass

from market.instruments import Company
from news.extract_numbers import Num
from news.extract_text import Keyword, Sentences
from news.tagging import Mention

_UP = (r"rose|rise[sn]?|rising|jump(?:s|ed|ing)?|soar(?:s|ed|ing)?|surg(?:e|es|ed|ing)|gain(?:s|ed|ing)?"
       r"|climb(?:s|ed|ing)?|rall(?:y|ies|ied|ying)|advanc(?:e|es|ed|ing)|pop(?:s|ped|ping)?"
       r"|spik(?:e|es|ed|ing)|leap(?:s|t|ed|ing)?|rebound(?:s|ed|ing)?|(?:sky)?rocket(?:s|ed|ing)?"
       r"|add(?:s|ed)|up|higher|firm(?:s|ed)|edg(?:e|es|ed)\s+(?:up|higher)|tick(?:s|ed)\s+up")
_DOWN = (r"fell|fall(?:s|ing|en)?|drop(?:s|ped|ping)?|declin(?:e|es|ed|ing)|slid(?:e|es|ing)?"
         r"|slump(?:s|ed|ing)?|sank|sink(?:s|ing)?|tumbl(?:e|es|ed|ing)|plung(?:e|es|ed|ing)"
         r"|plummet(?:s|ed|ing)?|div(?:e|es|ed|ing)|dove|shed(?:s|ding)?|los(?:e|es|ing)|lost"
         r"|slip(?:s|ped|ping)?|retreat(?:s|ed|ing)?|crash(?:es|ed|ing)?|tank(?:s|ed|ing)?|down|lower"
         r"|dip(?:s|ped|ping)?|eas(?:e|es|ed|ing)|skid(?:s|ded)?|crater(?:s|ed)?|sag(?:s|ged)?")
_NEUTRAL = r"ended|closed|finished|traded|trading|was|were|is|are|stood|opened|last"
_VERBS = re.compile(rf"(?i)\b(?:(?P<up>{_UP})|(?P<down>{_DOWN})|(?P<flat>{_NEUTRAL}))\b")
_GAP = re.compile(
    r"(?i)(?:\s+(?:by|as\s+much\s+as|up\s+to|more\s+than|over|nearly|almost|about|around|roughly|some"
    r"|just|another|a\s+further|an?\s+additional|a|an|as\s+many\s+as|at\s+one\s+point|sharply|further))*\s*$"
)
_AFTER_NEUTRAL = re.compile(r"(?i)\s*(?:(?P<up>up|higher|above)|(?P<down>down|lower|below))\b")
_NOUN = re.compile(
    r"(?i)\s*(?:(?P<up>rise|gain|jump|surge|rally|climb|advance|increase|premium)"
    r"|(?P<down>drop|decline|fall|slide|slump|loss|plunge|tumble|discount))\b(?!\s+in\b)"
)
_LEVEL = re.compile(
    r"(?i)\s*(?:(?P<up>above)|(?P<down>below|off|under))\s+(?:its|the|their)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:price|high|peak|level|debut|listing)"
)
_STOCK = re.compile(r"(?i)\b(?:shares?|stock|ADRs?|ADSs?|American\s+depositary\s+(?:receipts?|shares?)|share\s+price)\b")
_INDEX = re.compile(
    r"(?i)\b(?:index|indices|indexes|benchmark|Hang\s+Seng|HSI|HSTECH|S&P\s*500|Dow|Nasdaq\s+Composite"
    r"|Nasdaq\s+100|CSI\s+300|Shanghai\s+Composite|KWEB|ETFs?|stocks|market)\b"
)
_HK = re.compile(r"(?i)Hong\s+Kong|\bHK\b|HKEX|\bHKG\b|\.HK\b|\bHKD|Hang\s+Seng")
_US = re.compile(
    r"(?i)pre-?market|after-?hours|New\s+York|Wall\s+Street|U\.?S\.?[-\s]listed|\bADRs?\b|\bADSs?\b"
    r"|American\s+depositary|\bNasdaq\b|\bNYSE\b|\.N\b|U\.S\.\s+trading|\bUS\s+trading"
)


@dataclass(slots=True)
class MoveHit:
    company: Company | None
    pct: float | None
    direction: str
    market: str | None
    start: int
    end: int


def _cues(text: str, keywords: list[Keyword], found: list[Mention]) -> list[tuple[int, int, str, object]]:
    """Subjects a verb can have, in order: (start, end, kind, company)."""
    cues: list[tuple[int, int, str, object]] = [(k.start, k.end, "metric", None) for k in keywords
                                                 if k.group not in ("market_cap", "stake_value")]
    cues += [(m.start, m.end, "company", m.company) for m in found]
    cues += [(m.start(), m.end(), "stock", None) for m in _STOCK.finditer(text)]
    cues += [(m.start(), m.end(), "index", None) for m in _INDEX.finditer(text)]
    cues.sort(key=lambda c: (c[0], c[2] != "company"))
    return cues


def _subject(cues, lo: int, pos: int, hi: int) -> tuple[str | None, int]:
    """The kind of the nearest cue before `pos` in [lo, pos), else the first after it up to hi."""
    best: tuple[str | None, int] = (None, -1)
    for i, (s, e, kind, _) in enumerate(cues):
        if s >= lo and e <= pos:
            best = (kind, i)
        elif s >= pos:
            if best[0] is None and s < hi and kind in ("company", "stock"):
                return kind, i
            break
    return best


def _company(cues, lo: int, pos: int, hi: int, main: Company | None) -> Company | None:
    before = [c[3] for c in cues if c[2] == "company" and c[3] is not None and c[1] <= pos]
    in_sentence = [c for c in before if True]
    for s, e, kind, comp in reversed([c for c in cues if c[2] == "company" and c[3] and lo <= c[0] and c[1] <= pos]):
        return comp
    for s, e, kind, comp in cues:
        if kind == "company" and comp and pos <= s < hi:
            return comp
    return in_sentence[-1] if in_sentence else main


def _market(text: str, lo: int, hi: int, verb: int, company: Company | None, price: Num | None) -> str | None:
    if price is not None and price.currency == "HKD":
        return "HK"
    if price is not None and price.currency == "USD" and company is not None and company.us_symbol:
        return "US"
    sentence = text[lo:hi]
    best, dist = None, 10**9
    for pattern, market in ((_HK, "HK"), (_US, "US")):
        for m in pattern.finditer(sentence):
            d = abs(lo + m.start() - verb)
            if d < dist:
                best, dist = market, d
    if best is None and company is not None:
        if company.hk_symbol and not company.us_symbol:
            return "HK"
        if company.us_symbol and not company.hk_symbol:
            return "US"
    return best


def find_moves(text: str, sentences: Sentences, nums: list[Num], keywords: list[Keyword],
               found: list[Mention], main: Company | None) -> list[MoveHit]:
    """Every stock move in `text`; the percentages and prices they use are marked `used`."""
    pcts = [n for n in nums if n.kind == "pct"]
    cues = _cues(text, keywords, found)
    hits: list[MoveHit] = []
    bare: list[MoveHit] = []
    taken: set[int] = set()
    for v in _VERBS.finditer(text):
        lo, hi = sentences.span(v.start())
        direction = "up" if v.group("up") else "down" if v.group("down") else None
        pct = next((p for p in pcts if p.start >= v.end() and not p.used and p.start < hi), None)
        if pct is not None and not _GAP.match(text[v.end():pct.start]):
            pct = None
        if pct is not None and direction is None:
            after = _AFTER_NEUTRAL.match(text, pct.end)
            direction = ("up" if after.group("up") else "down") if after else None
        if direction is None or id(pct) in taken:
            continue
        kind, _ = _subject(cues, lo, v.start(), hi)
        if kind not in ("company", "stock"):
            continue
        company = _company(cues, lo, v.start(), hi, main)
        if pct is None:
            bare.append(MoveHit(company, None, direction, _market(text, lo, hi, v.start(), company, None),
                                v.start(), v.end()))
            continue
        taken.add(id(pct))
        hits.append(_hit(text, nums, pct, direction, company, lo, hi, v.start()))
    for p in pcts:  # "a 3.99 per cent rise", "40 percent below its issue price"
        if p.used or id(p) in taken:
            continue
        m = _NOUN.match(text, p.end) or _LEVEL.match(text, p.end)
        if not m:
            continue
        lo, hi = sentences.span(p.start)
        kind, _ = _subject(cues, lo, p.start, hi)
        if kind not in ("company", "stock"):
            continue
        company = _company(cues, lo, p.start, hi, main)
        hits.append(_hit(text, nums, p, "up" if m.group("up") else "down", company, lo, hi, p.start))
    named = {id(h.company) for h in hits}
    hits += [b for b in bare if id(b.company) not in named and not named.add(id(b.company))]
    hits.sort(key=lambda h: h.start)
    return hits


def _hit(text, nums, pct: Num, direction, company, lo, hi, verb) -> MoveHit:
    pct.used = True
    price = next((n for n in nums if n.kind == "money" and pct.end <= n.start < pct.end + 40
                  and not n.scaled and n.start < hi), None)
    if price is not None:
        price.used = True
        for n in nums:  # the price's own translation, "HKD69.05 (USD8.80)"
            if n.kind == "money" and price.end < n.start <= price.end + 3:
                n.used = True
    return MoveHit(company, pct.value, direction, _market(text, lo, hi, verb, company, price),
                   min(verb, pct.start), pct.end)
