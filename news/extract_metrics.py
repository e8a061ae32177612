"""Metrics from results news: which number is which figure, its growth, basis and status.

The numbers were found by `extract_numbers`; here each one is given a role. First the ones that
belong to something else are set aside: translations in parentheses ("(US$38.58 billion)") become
the `usd_value` of the amount before them, comparison values ("from RMB52.3 billion a year ago",
"after a profit of ...") are dropped, prices taken by a move are skipped. Then a number named by the
noun right after it ("a US$5 billion share repurchase program", "7 million shares", "700 million
downloads") gets that name; every other number belongs to the nearest metric word before it in its
sentence ("net income jumped 78% to 43.11 billion yuan"). A percentage in the same stretch is the
metric's growth, with the basis the words beside it give (YoY, QoQ, "from the same quarter of
2023"); a metric word with a percentage and no amount is a growth-only figure. Words such as
"consensus", "analysts expected" or "guidance" mark the status.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Final

from news.extract_lexicon import NEGATIVE_KEYWORD, USER_KINDS, segment_after, segment_before, slug
from news.extract_numbers import Num
from news.extract_roles import (
    FLAT,
    OR_GAP,
    PER_SHARE,
    QOQ,
    SHARE_OF,
    YOY,
    Ctx,
    Cue,
    after_conversion,
    basis_of,
    is_prior_lead,
    prepare_amounts,
    reserve_lists,
    signed_pct,
    status_of,
    table_value,
)
from news.extract_segments import segment_around
from news.extract_text import Keyword, Sentences

_BEFORE_KEYWORD: Final = re.compile(
    r"(?i)\s*(?:(?:y/y|yoy|year[- ](?:on|over)[- ]year|q/q|qoq|quarter[- ](?:on|over)[- ]quarter)\s+)?"
    r"(?:(?:growth|increase|rise|jump|surge|gain|decline|drop|decrease|fall|dip|slump)\s+in\s+(?:[\w'-]+\s+){0,4}?"
    r"|(?:[\w'-]+\s+){0,2}?)$")
_GROWTH_AFTER: Final = re.compile(r"(?i)\s+(?:growth|increase|rise|jump|decline|drop|decrease)\b")
_STAKE_CONTEXT: Final = re.compile(
    r"(?i)\b(?:stake|holding|holds|held|investment|invested|bought|buys|buying|acquired|owns|owned|position|bet|worth)\b")
# Every reading starts with a letter: most amounts, followed by "(", "," or ".", are turned away by `Cue`.
_POST_MONEY: Final = Cue(re.compile(
    r"(?i)\s*(?:(?P<buyback>(?:new\s+)?(?:share\s+)?(?:repurchase|buyback|buy-back))"
    r"|(?P<program>(?:new\s+)?(?:program(?:me)?|plan)\b)"
    r"|(?P<stake>(?:personal\s+)?(?:stake|bet|holding|investment)\b)"
    r"|(?P<mcap>in\s+(?:market\s+)?value|(?:to|from|off)\s+(?:its|their|the\s+company's|[\w.]+'s|the)\s+(?:market\s+(?:value|capitali[sz]ation|cap)|valuation))"
    r"|(?P<trading>worth\s+of\s+shares|in\s+turnover|of\s+shares\s+(?:changed\s+hands|traded))"
    r"|(?:(?P<what>[a-z][\w-]*)\s+)?(?P<expense>incentives?|charges?|impairments?|subsid(?:y|ies)|fines?|penalt(?:y|ies)|write-?downs?|provisions?)\b"
    r"(?:\s+(?:paid\s+)?to\s+(?P<to>[a-z]+))?)"), "abcdefghijklmnopqrstuvwxyz")
_POST_COUNT: Final = re.compile(
    r"(?i)\s*(?P<words>(?:(?!(?:and|or|of|to|in|from|the|with)\b)[A-Za-z][\w-]*\s+){0,3}?)(?P<noun>shares|downloads|models|vehicles|cars|EVs|units|deliveries|orders"
    r"|merchants|stores|restaurants|employees|users|subscribers|customers|buyers|consumers|developers|apps"
    r"|smartphones|handsets|devices|riders|members|MAUs|DAUs)\b")
_COUNTED_BEFORE: Final = re.compile(r"(?i)\b(?:deliveries|active\s+users|[md]aus?)\b[^.;\d]*(?:\d[\d.]*%[^.;\d]*)?$")
_COUNT_GROWTH_GAP: Final = re.compile(
    r"(?i)(?:\s+(?:in|during|for)\s+(?:[\w-]+\s*){1,3})?,?\s+(?:(?:an?\s+)?(?:up|increase\s+of|rise\s+of|growth\s+of|rising|growing)"
    r"|(?P<down>(?:an?\s+)?(?:down|decrease\s+of|decline\s+of|drop\s+of|falling|declining)))(?:\s+by)?\s+")
_EXPENSE_WORD: Final = re.compile(r"(?i)\s+expenses?$")
_SHARE_TRADING: Final = re.compile(r"(?i)\b(?:shares|stock|trading|traded|fell|rose)\b|HK\$")  # "turnover" is trading value
_BUYBACK: Final = re.compile(r"(?i)repurchase|buy-?back")
_MCAP_DOWN: Final = re.compile(
    r"(?i)\b(?:wiped|erased|lost|shed|knocked|wipes|erases|loses|sheds|wiping|erasing|losing|shedding)\b[^.]{0,30}$")


@dataclass(slots=True, init=False)
class MetricHit:
    name: str
    value: float | None
    currency: str | None
    usd_value: float | None
    change_pct: float | None
    change_basis: str | None
    status: str
    segment: str | None
    start: int
    end: int

    # Written out so that mypyc compiles it: the one `dataclass` makes runs interpreted, ~0.4 us a hit.
    def __init__(self, name: str, value: float | None, currency: str | None, usd_value: float | None,
                 change_pct: float | None, change_basis: str | None, status: str, segment: str | None,
                 start: int, end: int) -> None:
        self.name = name
        self.value = value
        self.currency = currency
        self.usd_value = usd_value
        self.change_pct = change_pct
        self.change_basis = change_basis
        self.status = status
        self.segment = segment
        self.start = start
        self.end = end


def _name(c: Ctx, k: Keyword, floor: int, lo: int, hi: int) -> tuple[str, str | None]:
    """Metric name and segment for a keyword occurrence in the sentence text[lo:hi]."""
    g, word = k.group, k.word.lower()
    if g == "revenue":
        i = bisect.bisect_right(c.name_ends, k.start) - 1
        floor = max(floor, c.name_ends[i]) if i >= 0 else floor
        seg = segment_after(c.text, k.end) or segment_before(c.text, k.start, floor) \
            or segment_around(c.text, c.lower, k.start, k.end, lo, floor, c.name_ends)
        return ("segment_revenue", seg) if seg else ("revenue", None)
    if g == "net_income" and (seg := segment_after(c.text, k.end)):
        return "segment_revenue", seg
    if g == "margin":
        kind = "gross" if "gross" in word else "operating" if "operating" in word else \
            "adjusted_ebitda" if "ebitda" in word else "adjusted_ebita" if "ebita" in word else "net"
        if kind == "net" and word.startswith(("adjusted", "non-")):
            kind = "adjusted_net"
        return f"{kind}_margin", None
    if g == "users":
        kind = next((k2 for pat, k2 in USER_KINDS if pat.search(word)), None) or slug(word)
        return "users", kind
    if g == "deliveries":
        return "count", "vehicle_deliveries"
    if g == "expense":
        return "expense", slug(_EXPENSE_WORD.sub("", word))
    if g == "turnover":
        if _SHARE_TRADING.search(c.text[lo:hi]):
            return "trading_value", None
        return "revenue", None
    return g, None


def _emit(hits, name, seg, value, cur, usd, pct, basis, status, start, end) -> MetricHit:
    if seg and name not in ("segment_revenue", "users", "count", "expense"):
        seg = None
    # `count` and `users` keep DESIGN's base name, with what is counted in `segment`; expenses, which
    # the contract does not name, carry theirs in the name ("expense:marketing").
    full = f"{name}:{seg}" if name == "expense" and seg else name
    hit = MetricHit(full, value, cur, usd, pct, basis, status, seg, start, end)
    hits.append(hit)
    return hit


def _postnominal(c: Ctx, hits: list[MetricHit]) -> None:
    """Numbers named by the words right after them: programs, stakes, market value, counts."""
    text = c.text
    for n in c.nums:
        if n.used or n.kind not in ("money", "num") or n in c.prior:
            continue
        if n.kind == "money":
            m = _POST_MONEY.match(c, n.end) if n.scaled else None
            if not m:
                continue
            lo, hi = c.sentences.span(n.start)
            sentence = text[lo:hi]
            if m.group("buyback"):
                name, seg = "buyback_program", None
            elif m.group("program"):
                if not _BUYBACK.search(sentence):
                    continue
                name, seg = "buyback_program", None
            elif m.group("stake"):
                name, seg = "stake_value", None
            elif m.group("mcap"):
                name, seg = "market_cap_change", None
                if _MCAP_DOWN.search(text[lo:n.start]):
                    n.sign = -1
            elif m.group("trading"):
                name, seg = "trading_value", None
            else:
                what = m.group("to") or m.group("what") or ""
                name, seg = "expense", slug(f"{what} {m.group('expense').rstrip('s')}")
            value = -n.value if n.sign < 0 else n.value
            _emit(hits, name, seg, value, n.currency, c.usd.get(n), None, None,
                  status_of(c, n, lo, None), n.start, m.end())
            n.used = True
        elif n.scaled or n.value >= 1000 and not (1900 <= n.value <= 2100):
            m = _POST_COUNT.match(text, n.end)
            if not m:
                continue
            lo, hi = c.sentences.span(n.start)
            if _COUNTED_BEFORE.search(text, max(lo, n.start - 60), n.start):
                continue  # "deliveries surged 65% to 21,181 vehicles": the keyword's own figure
            noun = m.group("noun").lower()
            if noun == "shares":
                if not _STAKE_CONTEXT.search(text[lo:hi]):
                    continue
                name, seg = "stake_shares", None
            elif noun in ("users", "maus", "daus", "subscribers", "members"):
                phrase = f"{m.group('words')} {noun}"
                name = "users"
                seg = next((kind for pat, kind in USER_KINDS if pat.search(phrase)), None) or slug(phrase)
            else:
                verb = text[max(lo, n.start - 30):n.start].lower()
                seg = "vehicle_deliveries" if "deliver" in verb else slug(f"{m.group('words')} {noun}")
                name = "count"
            hit = _emit(hits, name, seg, n.value, None, None, None, None, status_of(c, n, lo, None), n.start, m.end())
            n.used = True
            if name != "stake_shares":
                _count_growth(c, hit, hi)


def _count_growth(c: Ctx, hit: MetricHit, hi: int) -> None:
    """"delivered 40,700 vehicles in May, up 23% from a year earlier": a count's own growth after it."""
    j = bisect.bisect_left(c.starts, hit.end)
    p = c.nums[j] if j < len(c.nums) else None
    if p is None or p.kind != "pct" or p.used or p.start >= hi:
        return
    m = _COUNT_GROWTH_GAP.fullmatch(c.text, hit.end, p.start)
    if m is None:
        return
    hit.change_pct = -p.value if m.group("down") else p.value
    hit.change_basis = basis_of(c, p, hit.start)
    hit.end = p.end
    p.used = True


def find_metrics(text: str, lower: str, vocab: frozenset[bytes], sentences: Sentences, nums: list[Num],
                 keywords: list[Keyword], quarter: int | None, year: int | None,
                 name_ends: list[int]) -> list[MetricHit]:
    """Every metric in `text` (`lower` is its lower case, `vocab` its vocabulary), in order of appearance."""
    c = Ctx(text, lower, vocab, sentences, nums, quarter, year, name_ends)
    prepare_amounts(c)
    reserve_lists(c)
    hits: list[MetricHit] = []
    _postnominal(c, hits)
    by_sentence: dict[int, list[Keyword]] = {}
    for k in keywords:
        by_sentence.setdefault(sentences.index(k.start), []).append(k)
    for si, kws in by_sentence.items():
        lo, hi = sentences.spans[si]
        for i, k in enumerate(kws):
            end = kws[i + 1].start if i + 1 < len(kws) else hi
            prev_end = kws[i - 1].end if i else lo
            _scope(c, k, prev_end, end, lo, hi, hits)
    _respectively(c, hits)
    hits.sort(key=lambda h: h.start)
    return hits


_EPS_NAMES: Final = ("eps", "adjusted_eps")
_NO_GROWTH: Final = ("market_cap", "buyback_program", "stake_value", "trading_value", "expense", "users", "count")


def _pct_before(c: Ctx, k: Keyword, floor: int) -> Num | None:
    """"a 29.9% year-on-year drop in Q2 net profit", "31% Y/Y revenue growth": growth before its metric."""
    p = None
    for j in range(bisect.bisect_left(c.starts, k.start) - 1, -1, -1):
        n = c.nums[j]
        if n.start < floor:
            break
        if n.kind == "pct" and not n.used and n.end <= k.start:
            p = n
            break
    if p is None:
        return None
    gap = c.text[p.end:k.start]
    m = _BEFORE_KEYWORD.match(gap)
    if not m or m.end() != len(gap):
        return None
    if " in " not in gap and not _GROWTH_AFTER.match(c.text, k.end):
        return None
    return p


def _table_row(c: Ctx, k: Keyword, name: str, seg: str | None, neg: bool, growth: Num | None,
               first_i: int, end: int, hits: list[MetricHit]) -> MetricHit | None:
    """A row of a flattened results table: "Operating loss | (911.4) | (1,202.3)" in RMB millions."""
    cells = []
    for n in c.nums[first_i:first_i + 12]:  # a row has a handful of cells
        if n.start >= end:
            break
        if n.kind == "num" and not n.used:
            cells.append(n)
    picked = table_value(c, cells, growth)
    unit = c.table_unit
    if picked is None or unit is None:
        return None
    cell, usd_cell = picked
    currency, scale = unit
    sign = -1 if neg or cell.sign < 0 else 1
    for n in cells:
        n.used = True
    usd = sign * abs(usd_cell.value) * scale if usd_cell is not None else None
    return _emit(hits, name, seg, sign * abs(cell.value) * scale, currency, usd, None, None, "reported",
                 k.start, (usd_cell or cell).end)


def _scope(c: Ctx, k: Keyword, floor: int, end: int, lo: int, hi: int, hits: list[MetricHit]) -> None:
    """The numbers between a metric word and the next one (`end`) in its sentence text[lo:hi]: its value(s) and growth."""
    text = c.text
    first_i = bisect.bisect_left(c.starts, k.end)
    if (first_i >= len(c.nums) or c.nums[first_i].start >= end) and _pct_before(c, k, floor) is None:
        return  # a metric word with no number near it ("earnings beat", "sales missed")
    name, seg = _name(c, k, floor, lo, hi)
    low = k.word.lower()
    neg = ("lo" in low or "\u4e8f" in low) and bool(NEGATIVE_KEYWORD.search(k.word)) and not name.endswith("_margin")
    is_margin = name.endswith("_margin")
    is_count = name in ("users", "count")
    first: MetricHit | None = None
    growth: Num | None = None
    status_prev: str | None = None
    prev_money: tuple[Num, bool, int] | None = None
    window_lo = lo
    for j in range(first_i - 1, max(-1, first_i - 20), -1):
        n = c.nums[j]
        if n.end <= lo:
            break
        if n.kind == "money" and n.end <= k.start:
            window_lo = n.end
            break
    for j in range(first_i, len(c.nums)):
        n = c.nums[j]
        if n.start >= end:
            break
        if n.used and n.kind != "money":
            continue
        if n.kind == "pct":
            if is_prior_lead(c, max(lo, n.start - 30), n.start):
                continue
            if is_margin and first is None:
                first = _emit(hits, name, seg, n.value, None, None, None, None, "reported", k.start, n.end)
                n.used = True
            elif growth is None and not is_margin and not SHARE_OF.match(c, n.end):
                growth = n
            continue
        if n.kind == "num":
            if is_count and first is None and (n.scaled or n.value >= 1000) and not (1900 <= n.value <= 2100):
                first = _emit(hits, name, seg, n.value, None, None, None, None,
                              status_of(c, n, window_lo, None), k.start, n.end)
                n.used = True
            continue
        if n.used:
            window_lo = n.end
            continue
        # "RMB0.70 or US$0.10 per share": OR_GAP needs the gap to end in "or", which `re` is not asked to find
        gap_or = OR_GAP.match(text, prev_money[0].end, n.start) \
            if prev_money and text[prev_money[0].end:n.start].rstrip()[-2:].lower() == "or" else None
        per_share = PER_SHARE.match(c, n.end)
        if n in c.prior or (per_share and gap_or and prev_money and prev_money[1]):
            prev_money = (n, True, 1)
            n.used = True
            window_lo = n.end
            continue
        status = status_of(c, n, window_lo if window_lo <= n.start else lo, status_prev)
        if per_share or name in _EPS_NAMES:
            sign = -1 if neg or n.sign < 0 or (gap_or and prev_money and prev_money[2] < 0) else 1
            ename = "adjusted_eps" if name.startswith("adjusted") else "eps"
            usd = c.usd.get(n)
            hit = _emit(hits, ename, None, sign * n.value, n.currency, None if usd is None else sign * usd,
                        None, None, status,
                        k.start, n.end + (per_share.end() - n.end if per_share else 0))
        elif not is_count and not is_margin and n.scaled:
            sign = -1 if neg or n.sign < 0 else 1
            usd = c.usd.get(n)
            hit = _emit(hits, name, seg, sign * n.value, n.currency, None if usd is None else sign * usd,
                        None, None, status, k.start, n.end)
            prev_money = (n, False, sign)
        else:
            window_lo = n.end
            continue
        n.used = True
        status_prev = status
        window_lo = n.end
        if first is None or (first.status != "reported" and status == "reported"):
            first = hit
    if first is None and not (is_margin or is_count) and name not in _EPS_NAMES and text.find("|", lo, hi) >= 0 \
            and c.table_unit:
        first = _table_row(c, k, name, seg, neg, growth, first_i, end, hits)
    if growth is None:
        growth = _pct_before(c, k, floor)
        if growth is not None and first is None and not is_margin and name not in _NO_GROWTH:
            first = _emit(hits, name, seg, None, None, None, None, None, "reported", growth.start, k.end)
    elif first is None and not is_margin and name not in _NO_GROWTH:
        first = _emit(hits, name, seg, None, None, None, None, None,
                      status_of(c, growth, window_lo, None), k.start, growth.end)
    if first is None:
        return
    if growth is not None and (name not in _NO_GROWTH or name in ("users", "count")):
        first.change_pct = signed_pct(c, growth, max(floor, first.start if growth.start > first.start else floor))
        first.change_basis = basis_of(c, growth, k.start)
        first.end = max(first.end, growth.end)
        growth.used = True
    elif first.value is not None and FLAT.match(c, after_conversion(text, first.end)):
        first.change_pct = 0.0
        flat_end = min(first.end + 60, hi)
        y = YOY.search(text, first.end, flat_end)
        first.change_basis = "yoy" if y else ("qoq" if QOQ.search(text, first.end, flat_end) else None)


def _respectively(c: Ctx, hits: list[MetricHit]) -> None:
    """Give "respectively" lists to the metrics they follow, in order."""
    if not c.lists:
        return
    by_sentence: dict[int, list[MetricHit]] = {}
    for h in sorted(hits, key=lambda h: h.start):
        by_sentence.setdefault(c.sentences.index(h.start), []).append(h)
    for group in c.lists:
        si = c.sentences.index(group[0].start)
        lo = c.sentences.spans[si][0]
        if group[0].kind == "pct":
            targets = [h for h in by_sentence.get(si, []) if h.change_pct is None and h.value is not None]
            for h, p in zip(targets[-len(group):], group, strict=False):
                h.change_pct = signed_pct(c, p, max(lo, p.start - 40))
                h.change_basis = basis_of(c, p, p.start)
            continue
        prev = max((i for i in by_sentence if i < si), default=None)
        if prev is None:
            continue
        names = list(dict.fromkeys((h.name, h.segment) for h in by_sentence[prev]))
        status = None
        for (name, seg), n in zip(names[-len(group):], group, strict=False):
            status = status_of(c, n, lo, status)
            if name not in _EPS_NAMES and not n.scaled:
                continue
            _emit(hits, name, seg, n.value, n.currency, c.usd.get(n), None, None, status, n.start, n.end)
