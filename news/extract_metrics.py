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

from news.extract_lexicon import NEGATIVE_KEYWORD, USER_KINDS, segment_after, segment_before, slug
from news.extract_numbers import Num, plausible_usd
from news.extract_text import Keyword, Sentences

_CONVERSION_GAP = re.compile(r"(?i)\s*(?:\(|,?\s*or\s+|/)\s*(?:approx(?:imately|\.)?|about|around|roughly|~|or)?\s*$")
_PER_SHARE = re.compile(
    r"(?i)\s*(?:\)\s*)?(?:per|a|each)\s+(?:diluted\s+|basic\s+)?(?:ordinary\s+)?(?:share|ads|adr|american\s+deposit\w*\s+share)")
_PRIOR_BEFORE = re.compile(
    r"(?i)(?:\bfrom\s+(?:an?\s+|the\s+)?(?:year[- ]ago|year[- ]earlier|prior[- ]year|last\s+year'?s?|previous|same[- ]period)?"
    r"\s*(?:(?:net\s+)?(?:loss|profit|income|revenue)\s+of\s+)?"
    r"|\bafter\s+(?:an?\s+)?(?:net\s+)?(?:profit|income|loss|earnings)\s+of\s+"
    r"|\b(?:compared\s+(?:with|to)|versus|vs\.?|against)\s+(?:an?\s+|the\s+)?(?:year[- ]ago|prior[- ]year|last\s+year'?s?)\s+(?:\w+\s+)?(?:of\s+)?)"
    r"(?:about|around|roughly|approximately|nearly|some)?\s*$")
_PRIOR_AFTER = re.compile(
    r"(?i)\s*(?:\([^)]{0,40}\)\s*)?,?\s*(?:a\s+year\s+(?:ago|earlier|before)|in\s+the\s+(?:same|prior|previous|year-ago|corresponding)"
    r"\s+(?:year\s+)?(?:period|quarter)|(?:in\s+)?(?:the\s+)?(?:same\s+)?(?:period|quarter)\s+(?:a\s+year\s+ago|last\s+year))")
_ESTIMATE = re.compile(
    r"(?i)\b(?:estimates?|consensus|expectations?|expected|forecasts?|forecasted|projected|predicted|polled|analysts?'?|FactSet|Refinitiv|LSEG|Visible\s+Alpha)\b")
_GUIDANCE = re.compile(r"(?i)\b(?:guidance|guided|outlook|expects?|expecting|anticipates?|projects|sees)\b")
_ESTIMATE_AFTER = re.compile(
    r"(?i)\s*(?:(?:average|mean|median)?\s*(?:of\s+)?(?:\d+\s+)?(?:analysts?'?\s+)?(?:estimates|forecasts|projections)\b"
    r"|(?:that\s+)?(?:analysts?|the\s+market|wall\s+street)\s+(?:had\s+)?(?:expected|forecast|projected|estimated|predicted))")
_LIST_GAP = re.compile(r"(?i)\s*(?:,|and|,\s*and)\s*$")
_LIST_NEXT = re.compile(r"(?i)\s*(?:,|and|,\s*and)\s*(?:RMB|CNY|US\$|HK\$|\$|\u00a5)?\s?\d")
_RANGE_GAP = re.compile(r"(?i)\s*(?:to|and|-)\s*$")
_RANGE_LEAD = re.compile(r"(?i)(?:between|ranging\s+from|range\s+of|range\s+from)\s*$")
_FROM_LEAD = re.compile(r"(?i)\bfrom\s*$")
_DOWN = re.compile(
    r"(?i)\b(?:fell|fall|falls|falling|drop\w*|declin\w*|decreas\w*|down|dip\w*|lower|slid\w*|slump\w*|shr[ai]nk\w*"
    r"|contract\w*|tumbl\w*|plung\w*|plummet\w*|sank|sink\w*|slip\w*|weak\w*|negative|\u4e0b\u964d|\u51cf\u5c11)\b")
_SHARE_OF = re.compile(r"(?i)\s*of\s+(?:total|the|its|group|overall|all)\b")
_FLAT = re.compile(r"(?i)[\s,]+(?:remained\s+|was\s+|were\s+)?flat\b")
_YOY = re.compile(
    r"(?i)y/y|\byoy\b|year[- ](?:on|over)[- ]year|from\s+(?:a|the|one)\s+year\s+(?:ago|earlier|before)|\ba\s+year\s+(?:ago|earlier)"
    r"|(?:same|year[- ]ago|prior[- ]year|corresponding)\s+(?:period|quarter)|\blast\s+year\b|\u540c\u6bd4")
_QOQ = re.compile(
    r"(?i)q/q|\bqoq\b|quarter[- ](?:on|over)[- ]quarter|sequential(?:ly)?|(?:previous|prior|preceding|last)\s+quarter|\u73af\u6bd4")
_YOY_HINTS = ("y/y", "yoy", "year", "same", "prior", "corresponding", "ago", "earlier", "\u540c\u6bd4")
_QOQ_HINTS = ("q/q", "qoq", "quarter", "sequential", "\u73af\u6bd4")
_OR_GAP = re.compile(r"(?i)[\s),.]*(?:RMB)?[\s,]*or\s*$")
_FROM_QUARTER = re.compile(r"(?i)from\s+the\s+(first|second|third|fourth)\s+quarter\s+of\s+((?:19|20)\d\d)")
_BEFORE_KEYWORD = re.compile(
    r"(?i)\s*(?:(?:y/y|yoy|year[- ](?:on|over)[- ]year|q/q|qoq|quarter[- ](?:on|over)[- ]quarter)\s+)?"
    r"(?:(?:growth|increase|rise|jump|surge|gain|decline|drop|decrease|fall|dip|slump)\s+in\s+(?:[\w'-]+\s+){0,4}?"
    r"|(?:[\w'-]+\s+){0,2}?)$")
_GROWTH_AFTER = re.compile(r"(?i)\s+(?:growth|increase|rise|jump|decline|drop|decrease)\b")
_VERSUS = re.compile(
    r"(?i)\s+(?:below|above|short\s+of|ahead\s+of|more\s+than|less\s+than|shy\s+of)\s+(?:the\s+|analysts'?\s+)?"
    r"(?:[\w'-]+\s+){0,3}?(?:estimates?|consensus|expectations?|forecasts?|projections?|guidance)\b")
_STAKE_CONTEXT = re.compile(
    r"(?i)\b(?:stake|holding|holds|held|investment|invested|bought|buys|buying|acquired|owns|owned|position|bet|worth)\b")
_POST_MONEY = re.compile(
    r"(?i)\s*(?:(?P<buyback>(?:new\s+)?(?:share\s+)?(?:repurchase|buyback|buy-back))"
    r"|(?P<program>(?:new\s+)?(?:program(?:me)?|plan)\b)"
    r"|(?P<stake>(?:personal\s+)?(?:stake|bet|holding|investment)\b)"
    r"|(?P<mcap>in\s+(?:market\s+)?value|(?:to|from|off)\s+(?:its|their|the\s+company's|[\w.]+'s|the)\s+(?:market\s+(?:value|capitali[sz]ation|cap)|valuation))"
    r"|(?P<trading>worth\s+of\s+shares|in\s+turnover|of\s+shares\s+(?:changed\s+hands|traded))"
    r"|(?:(?P<what>[a-z][\w-]*)\s+)?(?P<expense>incentives?|charges?|impairments?|subsid(?:y|ies)|fines?|penalt(?:y|ies)|write-?downs?|provisions?)\b"
    r"(?:\s+(?:paid\s+)?to\s+(?P<to>[a-z]+))?)")
_POST_COUNT = re.compile(
    r"(?i)\s*(?P<words>(?:(?!(?:and|or|of|to|in|from|the|with)\b)[A-Za-z][\w-]*\s+){0,3}?)(?P<noun>shares|downloads|models|vehicles|cars|EVs|units|deliveries|orders"
    r"|merchants|stores|restaurants|employees|users|subscribers|customers|buyers|consumers|developers|apps"
    r"|smartphones|handsets|devices|riders|members|MAUs|DAUs)\b")
_MCAP_DOWN = re.compile(r"(?i)\b(?:wiped|erased|lost|shed|knocked|wipes|erases|loses|sheds)\b[^.]{0,30}$")
_MONEY_NAMES = frozenset((
    "revenue", "net_income", "net_income_attributable", "adjusted_net_income", "operating_income",
    "adjusted_operating_income", "gross_profit", "adjusted_ebita", "adjusted_ebitda", "capex", "gmv",
    "market_cap", "buyback_program", "stake_value", "turnover", "expense"))


@dataclass(slots=True)
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


class _Ctx:
    """Per-text state shared by the steps below."""

    def __init__(self, text: str, sentences: Sentences, nums: list[Num], quarter: int | None,
                 year: int | None, name_ends: list[int]):
        self.text = text
        self.name_ends = name_ends              # where company names end: a segment never spans one
        self.lists: list[list[Num]] = []
        self.sentences = sentences
        self.nums = nums
        self.quarter = quarter
        self.year = year
        self.starts = [n.start for n in nums]  # for bisect: numbers near a position without a full scan
        self.usd: dict[int, float] = {}        # id(amount) -> its USD translation
        self.prior: set[int] = set()
        self.sign: dict[int, int] = {}
        self.table_basis = _table_basis(text)


def _table_basis(text: str) -> str | None:
    if "|" not in text:
        return None
    for row in text.split("\n"):
        if "|" in row and not any(ch.isdigit() for ch in row.replace("Q1", "").replace("Q2", "").replace("Q3", "").replace("Q4", "")):
            if _YOY.search(row):
                return "yoy"
            if _QOQ.search(row):
                return "qoq"
    return None


def _prepare_amounts(c: _Ctx) -> None:
    """Translations, ranges, missing units and comparison values, before any naming."""
    text, nums = c.text, c.nums
    money = [n for n in nums if n.kind in ("money", "num")]
    for a, b in zip(money, money[1:], strict=False):
        gap = text[a.end:b.start]
        if a.kind == b.kind == "num" and _RANGE_GAP.match(gap) \
                and _RANGE_LEAD.search(text[max(0, a.start - 20):a.start]):  # "between 125,000 and 132,000"
            scale = b.value / _raw(text, b) if b.scaled and not a.scaled and _raw(text, b) else 1.0
            b.high, b.value, b.start, b.scaled = b.value, a.value * scale, a.start, b.scaled or a.scaled
            a.used = True
        elif a.kind == "num" and b.kind == "money" and b.scaled and not a.scaled and _RANGE_GAP.match(gap):
            lead = text[max(0, a.start - 20):a.start]
            scale = b.value / _raw(text, b) if _raw(text, b) else 1.0
            if _RANGE_LEAD.search(lead):
                b.high, b.value, b.start = b.value, a.value * scale, a.start
            a.used = True
        elif a.kind == b.kind == "money" and not a.used and a.currency != b.currency and _CONVERSION_GAP.match(gap) \
                and not _PER_SHARE.match(text, b.end):
            b.used = True
            if b.currency == "USD":
                c.usd[id(a)] = plausible_usd(a.value, a.currency, b.value)
            elif a.currency == "USD" and b.currency == "CNY":  # "$2.7 billion (18.25 billion RMB)"
                c.usd[id(a)] = a.value
                a.value, a.currency = b.value, b.currency
    for n in money:
        if n.kind != "money" or n.used:
            continue
        if _VERSUS.match(text, n.end):  # "$20 million below the average estimate" is a miss, not a figure
            n.used = True
            continue
        lead = text[max(0, n.start - 60):n.start]
        if n.high is None and _is_prior_lead(lead) or (_PRIOR_AFTER.match(text, n.end) and not lead.rstrip().endswith(" to")):
            c.prior.add(id(n))
        if not n.scaled and not _PER_SHARE.match(text, n.end):
            _inherit_unit(c, n)


_PRIOR_WORDS = ("from", "after", "compared", "versus", "vs", "against")


def _is_prior_lead(lead: str) -> bool:
    """Does the text before an amount introduce a comparison value ("... from RMB5.2 billion")?"""
    low = lead.lower()
    return any(w in low for w in _PRIOR_WORDS) and _PRIOR_BEFORE.search(low) is not None


def _raw(text: str, n: Num) -> float:
    digits = re.search(r"\d[\d,]*(?:\.\d+)?", text[n.start:n.end])
    return float(digits.group().replace(",", "")) if digits else 0.0


def _inherit_unit(c: _Ctx, n: Num) -> None:
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


def _status(c: _Ctx, n: Num, lo: int, prev: str | None) -> str:
    """reported, estimate (analysts, consensus) or guidance (the company's outlook)."""
    text = c.text
    if _ESTIMATE_AFTER.match(text, n.end):
        return "estimate"
    window = text[lo:n.start]
    if prev and _LIST_GAP.match(window):
        return prev
    last = None
    for pattern, status in ((_ESTIMATE, "estimate"), (_GUIDANCE, "guidance")):
        for m in pattern.finditer(window):
            before = window[max(0, m.start() - 14):m.start()].lower()
            if m.group().lower() == "expected" and before.endswith(("than-", "than ")):
                continue
            if re.search(r"\b(?:beat|beats|beating|topped|missed|exceeded|surpassed|than)\W+(?:\w+'?\s+)?$", before):
                continue
            if last is None or m.start() > last[0]:
                last = (m.start(), status, m.end())
    if last is None or len(window[last[2]:].split()) > 5:
        return "reported"
    return last[1]


def _pct_sign(c: _Ctx, p: Num, lo: int) -> float:
    if p.sign:
        return p.sign * p.value
    before = c.text[lo:p.start]
    after = c.text[p.end:p.end + 40]
    if _DOWN.search(before[-40:]) or re.match(r"(?i)\s*(?:[\w/-]+\s+){0,2}?(?:drop|decline|decrease|fall|dip|slump|lower|contraction)\b", after):
        return -p.value
    return p.value


def _basis(c: _Ctx, p: Num, lo: int) -> str | None:
    s_lo, s_hi = c.sentences.span(p.start)
    after = c.text[p.end:min(p.end + 70, s_hi)]
    before = c.text[max(lo, p.start - 30):p.start]
    m = _FROM_QUARTER.search(after) if c.quarter and "quarter of" in after else None
    if m:
        q = {"first": 1, "second": 2, "third": 3, "fourth": 4}[m.group(1).lower()]
        if q == c.quarter:
            return "yoy"
        if q % 4 + 1 == c.quarter:
            return "qoq"
    for text in (after, before):
        low = text.lower()
        y = _YOY.search(text) if any(w in low for w in _YOY_HINTS) else None
        q = _QOQ.search(text) if any(w in low for w in _QOQ_HINTS) else None
        if y or q:
            return "yoy" if y and (not q or y.start() < q.start()) else "qoq"
    if "|" in c.text[s_lo:s_hi]:
        return c.table_basis
    return None


def _name(c: _Ctx, k: Keyword, floor: int) -> tuple[str, str | None]:
    """Metric name and segment for a keyword occurrence."""
    g, word = k.group, k.word.lower()
    if g == "revenue":
        i = bisect.bisect_right(c.name_ends, k.start) - 1
        floor = max(floor, c.name_ends[i]) if i >= 0 else floor
        seg = segment_after(c.text, k.end) or segment_before(c.text, k.start, floor)
        return ("segment_revenue", seg) if seg else ("revenue", None)
    if g == "net_income" and (seg := segment_after(c.text, k.end)):
        return "segment_revenue", seg
    if g == "margin":
        kind = "gross" if "gross" in word else "operating" if "operating" in word else \
            "adjusted_ebitda" if "ebitda" in word else "adjusted_ebita" if "ebita" in word else "net"
        if kind == "net" and re.match(r"(?:adjusted|non-)", word):
            kind = "adjusted_net"
        return f"{kind}_margin", None
    if g == "users":
        kind = next((k2 for pat, k2 in USER_KINDS if pat.search(word)), None) or slug(word)
        return "users", kind
    if g == "deliveries":
        return "count", "vehicle_deliveries"
    if g == "expense":
        return "expense", slug(re.sub(r"(?i)\s+expenses?$", "", word))
    if g == "turnover":
        lo, hi = c.sentences.span(k.start)
        if re.search(r"(?i)\b(?:shares|stock|trading|traded|fell|rose)\b|HK\$", c.text[lo:hi]):
            return "trading_value", None
        return "revenue", None
    return g, None


def _emit(hits, name, seg, value, cur, usd, pct, basis, status, start, end) -> MetricHit:
    if seg and name not in ("segment_revenue", "users", "count", "expense"):
        seg = None
    full = f"{name}:{seg}" if name in ("count", "expense") and seg else name
    hit = MetricHit(full, value, cur, usd, pct, basis, status, seg, start, end)
    hits.append(hit)
    return hit


def _postnominal(c: _Ctx, hits: list[MetricHit]) -> None:
    """Numbers named by the words right after them: programs, stakes, market value, counts."""
    text = c.text
    for n in c.nums:
        if n.used or id(n) in c.prior or n.kind not in ("money", "num"):
            continue
        lo, hi = c.sentences.span(n.start)
        if n.kind == "money":
            m = _POST_MONEY.match(text, n.end)
            if not m or not n.scaled:
                continue
            sentence = text[lo:hi]
            if m.group("buyback"):
                name, seg = "buyback_program", None
            elif m.group("program"):
                if not re.search(r"(?i)repurchase|buy-?back", sentence):
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
            _emit(hits, name, seg, value, n.currency, c.usd.get(id(n)), None, None,
                  _status(c, n, lo, None), n.start, m.end())
            n.used = True
        elif n.scaled or n.value >= 1000 and not (1900 <= n.value <= 2100):
            m = _POST_COUNT.match(text, n.end)
            if not m:
                continue
            noun = m.group("noun").lower()
            if noun == "shares":
                if not _STAKE_CONTEXT.search(text[lo:hi]):
                    continue
                name, seg = "stake_shares", None
            elif noun in ("users", "maus", "daus", "subscribers", "members"):
                name, seg = "users", slug(f"{m.group('words')} {noun}".replace("maus", "mau").replace("daus", "dau"))
            else:
                verb = text[max(lo, n.start - 30):n.start].lower()
                seg = "vehicle_deliveries" if "deliver" in verb else slug(f"{m.group('words')} {noun}")
                name = "count"
            _emit(hits, name, seg, n.value, None, None, None, None, _status(c, n, lo, None), n.start, m.end())
            n.used = True


def find_metrics(text: str, sentences: Sentences, nums: list[Num], keywords: list[Keyword],
                 quarter: int | None, year: int | None, name_ends: list[int]) -> list[MetricHit]:
    """Every metric in `text`, in order of appearance."""
    c = _Ctx(text, sentences, nums, quarter, year, name_ends)
    _prepare_amounts(c)
    _reserve_respectively(c)
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
            _scope(c, k, prev_end, end, hits)
    _respectively(c, hits)
    hits.sort(key=lambda h: h.start)
    return hits


_RESPECTIVELY = re.compile(r"(?i)\brespectively\b")
_EPS_NAMES = ("eps", "adjusted_eps")
_NO_GROWTH = ("market_cap", "buyback_program", "stake_value", "trading_value", "expense", "users", "count")


def _pct_before(c: _Ctx, k: Keyword, floor: int) -> Num | None:
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


def _scope(c: _Ctx, k: Keyword, floor: int, end: int, hits: list[MetricHit]) -> None:
    """The numbers between a metric word and the next one: its value(s) and growth."""
    text = c.text
    first_i = bisect.bisect_left(c.starts, k.end)
    if (first_i >= len(c.nums) or c.nums[first_i].start >= end) and _pct_before(c, k, floor) is None:
        return  # a metric word with no number near it ("earnings beat", "sales missed")
    lo, hi = c.sentences.span(k.start)
    name, seg = _name(c, k, floor)
    neg = bool(NEGATIVE_KEYWORD.search(k.word)) and not name.endswith("_margin")
    is_margin = name.endswith("_margin")
    is_count = name in ("users", "count")
    first: MetricHit | None = None
    growth: Num | None = None
    status_prev: str | None = None
    prev_money: tuple[Num, bool, int] | None = None
    window_lo = lo
    for j in range(first_i - 1, -1, -1):
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
            if _is_prior_lead(text[max(lo, n.start - 30):n.start]):
                continue
            if is_margin and first is None:
                first = _emit(hits, name, seg, n.value, None, None, None, None, "reported", k.start, n.end)
                n.used = True
            elif growth is None and not is_margin and not _SHARE_OF.match(text, n.end):
                growth = n
            continue
        if n.kind == "num":
            if is_count and first is None and (n.scaled or n.value >= 1000) and not (1900 <= n.value <= 2100):
                first = _emit(hits, name, seg, n.value, None, None, None, None,
                              _status(c, n, window_lo, None), k.start, n.end)
                n.used = True
            continue
        if n.used:
            window_lo = n.end
            continue
        gap_or = _OR_GAP.match(text, prev_money[0].end, n.start) if prev_money else None
        per_share = _PER_SHARE.match(text, n.end)
        if id(n) in c.prior or (per_share and gap_or and prev_money[1]):
            prev_money = (n, True, 1)
            n.used = True
            window_lo = n.end
            continue
        status = _status(c, n, window_lo, status_prev)
        if per_share or name in _EPS_NAMES:
            sign = -1 if neg or n.sign < 0 or (gap_or and prev_money[2] < 0) else 1
            ename = "adjusted_eps" if name.startswith("adjusted") else "eps"
            hit = _emit(hits, ename, None, sign * n.value, n.currency, None, None, None, status,
                        k.start, n.end + (per_share.end() - n.end if per_share else 0))
        elif not is_count and not is_margin and n.scaled:
            sign = -1 if neg or n.sign < 0 else 1
            usd = c.usd.get(id(n))
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
    if growth is None:
        growth = _pct_before(c, k, floor)
        if growth is not None and first is None and not is_margin and name not in _NO_GROWTH:
            first = _emit(hits, name, seg, None, None, None, None, None, "reported", growth.start, k.end)
    elif first is None and not is_margin and name not in _NO_GROWTH:
        first = _emit(hits, name, seg, None, None, None, None, None,
                      _status(c, growth, window_lo, None), k.start, growth.end)
    if first is None:
        return
    if growth is not None and name not in _NO_GROWTH:
        first.change_pct = _pct_sign(c, growth, max(floor, first.start if growth.start > first.start else floor))
        first.change_basis = _basis(c, growth, k.start)
        first.end = max(first.end, growth.end)
        growth.used = True
    elif first.value is not None and _FLAT.match(text, _after_conversion(text, first.end)):
        first.change_pct = 0.0
        flat_end = min(first.end + 60, hi)
        y = _YOY.search(text, first.end, flat_end)
        first.change_basis = "yoy" if y else ("qoq" if _QOQ.search(text, first.end, flat_end) else None)


def _after_conversion(text: str, pos: int) -> int:
    m = re.match(r"\s*\([^)]{0,40}\)", text[pos:pos + 45])
    return pos + m.end() if m else pos


def _reserve_respectively(c: _Ctx) -> None:
    """Lists before "respectively" ("40% and 46%, respectively") are assigned as lists, later."""
    for m in _RESPECTIVELY.finditer(c.text):
        lo, _ = c.sentences.span(m.start())
        before = [n for n in c.nums if lo <= n.start and n.end <= m.start() and n.kind in ("pct", "money")
                  and not (n.kind == "money" and n.used)]
        group: list[Num] = []
        pos = m.start()
        for n in reversed(before):
            gap = c.text[n.end:pos]
            if (group and n.kind != group[0].kind) or not re.fullmatch(r"(?i)\s*(?:,|and|,\s*and)?\s*", gap):
                break
            group.insert(0, n)
            pos = n.start
        if len(group) >= 2:
            for n in group:
                n.used = True
            c.lists.append(group)


def _respectively(c: _Ctx, hits: list[MetricHit]) -> None:
    for group in c.lists:
        si = c.sentences.index(group[0].start)
        lo, hi = c.sentences.spans[si]
        if group[0].kind == "pct":
            targets = [h for h in hits if lo <= h.start < hi and h.change_pct is None and h.value is not None]
            for h, p in zip(targets[-len(group):], group, strict=False):
                h.change_pct = _pct_sign(c, p, max(lo, p.start - 40))
                h.change_basis = _basis(c, p, p.start)
            continue
        earlier = [h for h in hits if h.start < lo]
        if not earlier:
            continue
        prev_si = c.sentences.index(earlier[-1].start)
        names = list(dict.fromkeys((h.name, h.segment) for h in earlier if c.sentences.index(h.start) == prev_si))
        status = None
        for (name, seg), n in zip(names[-len(group):], group, strict=False):
            status = _status(c, n, lo, status)
            if name not in _EPS_NAMES and not n.scaled:
                continue
            _emit(hits, name, seg, n.value, n.currency, c.usd.get(id(n)), None, None, status, n.start, n.end)
