"""Numbers in news text: money amounts, percentages and plain counts, found in one regex pass.

Writers print the same amount a dozen ways: "RMB280.15 billion", "Rmb7.45bn", "280.15 billion
yuan", "27.6 billion-yuan", "CNY95.67 billion", "~\u00a5192.9 billion", "US$3.0 billion", "$1.8B",
"480 mln yuan", "HK$205 million", "2802\u4ebf\u5143", "53 cents", a table's "(911.4)". `scan` turns
each into a `Num` with the absolute value (280150000000.0), an ISO currency and its kind, so the
metric and move logic never looks at digits again. A footnote digit fused to a translated amount
("US$1 28.5 billion") is dropped here; one fused without a space is repaired later against the
exchange rate (`plausible_usd`).
"""
from __future__ import annotations

import re
from typing import Final

from news.extract_text import non_ascii

_CUR_PRE: Final = (
    r"US\s?\$|U\.S\.\s?\$|HK\$|S\$|NT\$|A\$|C\$|USD|HKD|RMB|Rmb|rmb|CNY|CNH|CN\u00a5|JPY|GBP|EUR"
    r"|\u00a5|\$|\u20ac|\u00a3"
)
_UNIT_W: Final = r"trillion|trln|tn|billion|bln|bn|million|mln|mn|thousand|\u4e07\u4ebf|\u4ebf|\u4e07"
_UNIT_L: Final = r"[bBmMkK]"
_CUR_POST: Final = (
    r"(?:Chinese\s+|Hong\s+Kong\s+|U\.?S\.?\s+|Japanese\s+|)(?:yuan|renminbi|RMB|CNY|HKD|USD|dollars?|yen|euros?)\b"
    r"|\u6e2f\u5143|\u7f8e\u5143|\u4eba\u6c11\u5e01|\u5143"
)
_PCT: Final = r"%|per\s?cent\b|percent\b|pct\b|pc\b"
_PP: Final = r"percentage\s+points?\b|pp\b|ppts?\b|\u4e2a\u767e\u5206\u70b9"

# Numbers are found by one digit-led scan that also reads the words after each (a unit, "%" or a
# currency word); a currency before one is read with a small pattern anchored at its first digit.
# These patterns, run at every number, write an optional group as `(?:X|)`, not `(?:X)?`: the same
# match, but `re` runs a `?` on more than one character through its general repeat, which allocates
# memory each time it is tried (a third of the scan's time); an empty alternative costs nothing.
# The lookahead `(?=\d{0,2},)` likewise spares the thousands-separated reading on plain numbers.
_NUMBER_SOURCE: Final = (
    r"(?P<n>\d(?:(?=\d{0,2},)\d{0,2}(?:,\d{3})+(?:\.\d+|)|\d*(?:\.\d+|)))"
    rf"(?:(?P<unit>\s?(?P<u>{_UNIT_W})(?![A-Za-z])|(?P<l>{_UNIT_L})(?![A-Za-z]))|)"
    rf"(?:\s?(?P<pct>{_PCT})|\s(?P<pp>{_PP})|[\s-]?(?P<cs>{_CUR_POST})|\s?(?P<cents>cents?)\b|)"
)
_NUMBER: Final = re.compile(_NUMBER_SOURCE)
# The same for text whose decimal digits are all ASCII ones (almost every text): `re` skips to a
# digit much faster than to a Unicode digit.
_NUMBER_ASCII: Final = re.compile(_NUMBER_SOURCE.replace(r"\d", "[0-9]"))
_DIGIT: Final = re.compile(r"\d")
_PREFIX: Final = re.compile(rf"(?<![A-Za-z])(?:~\s?|)(?P<cp>{_CUR_PRE})\s?(?:(?P<neg>-\s?)|)(?:(?P<fn>\d\s)|)$")
_WORDISH: Final = frozenset("._,$")
# The last characters a currency prefix can end with: an amount without one of them in the five
# characters before it ("RMB -3", "US$1 28") has no prefix, and the prefix pattern is not tried.
_CUR_LAST: Final = frozenset("$BbYDHPR\u00a5\u20ac\u00a3")
_SCALE: Final = {
    "trillion": 1e12, "trln": 1e12, "tn": 1e12, "billion": 1e9, "bln": 1e9, "bn": 1e9, "b": 1e9,
    "million": 1e6, "mln": 1e6, "mn": 1e6, "m": 1e6, "thousand": 1e3, "k": 1e3,
    "\u4e07\u4ebf": 1e12, "\u4ebf": 1e8, "\u4e07": 1e4,
}
_CURRENCY: Final = {
    "us$": "USD", "u.s.$": "USD", "usd": "USD", "$": "USD", "dollar": "USD", "dollars": "USD",
    "us dollars": "USD", "u.s. dollars": "USD", "\u7f8e\u5143": "USD",
    "hk$": "HKD", "hkd": "HKD", "hong kong dollars": "HKD", "hong kong dollar": "HKD", "\u6e2f\u5143": "HKD",
    "rmb": "CNY", "cny": "CNY", "cnh": "CNY", "cn\u00a5": "CNY", "\u00a5": "CNY", "yuan": "CNY",
    "renminbi": "CNY", "chinese yuan": "CNY", "\u5143": "CNY", "\u4eba\u6c11\u5e01": "CNY",
    "jpy": "JPY", "yen": "JPY", "japanese yen": "JPY", "gbp": "GBP", "\u00a3": "GBP",
    "eur": "EUR", "\u20ac": "EUR", "euro": "EUR", "euros": "EUR", "s$": "SGD", "nt$": "TWD",
    "a$": "AUD", "c$": "CAD",
}
# Sensible exchange rates (units of the first per US dollar), for telling a translation from noise.
_PER_USD: Final = {"CNY": (5.5, 8.8), "HKD": (7.6, 7.9)}


class Num:
    """One number in the text. `kind`: money, pct (a percentage), pp (percentage points) or num."""

    __slots__ = ("kind", "start", "end", "value", "currency", "scaled", "sign", "high", "used")

    def __init__(self, kind: str, start: int, end: int, value: float, currency: str | None,
                 scaled: bool, sign: int):
        self.kind = kind
        self.start = start
        self.end = end
        self.value = value          # absolute amount (money, counts) or the percentage itself
        self.currency = currency
        self.scaled = scaled        # a unit (million, bn, B, \u4ebf) was printed
        self.sign = sign            # -1 for "-5%", "(911.4)", "RMB -3"; +1 for "+5%"; 0 unsigned
        self.high: float | None = None   # the top of a range ("7 to 10 billion yuan")
        self.used = False           # claimed by a move, a price or a metric

    def __repr__(self) -> str:  # for test failure messages
        return f"Num({self.kind}, {self.value!r}, {self.currency}, {self.start}:{self.end})"


_CURRENCY_OF: Final[dict[str, str | None]] = {}  # `_currency` of the few tokens that recur in every text


def _currency(token: str | None) -> str | None:
    if not token:
        return None
    cur = _CURRENCY_OF.get(token, "")
    if cur == "":
        key = " ".join(token.lower().replace("\u00a0", " ").split())
        cur = _CURRENCY.get(key) or _CURRENCY.get(key.split()[-1]) or _CURRENCY.get(key.replace(" ", ""))
        if len(_CURRENCY_OF) > 1000:
            _CURRENCY_OF.clear()
        _CURRENCY_OF[token] = cur
    return cur


def scan(text: str) -> list[Num]:
    """Every number in `text`, in order, with value, unit and currency resolved.

    Each match's groups are read in one `groups()` call and the unit's scale looked up in place:
    with some sixty numbers in an article, per-match calls are most of the time the regex leaves.
    """
    out: list[Num] = []
    append = out.append
    end = 0
    numbers = _NUMBER if _DIGIT.search(non_ascii(text)) else _NUMBER_ASCII
    search = _PREFIX.search
    disjoint = _CUR_LAST.isdisjoint
    for d in numbers.finditer(text):
        s, e = d.span(1)
        if s < end:
            continue
        digits, _, unit_w, unit_l, pct, pp, cs, cents = d.groups()
        # A currency prefix ends in one of `_CUR_LAST` within the five characters before the digits.
        if s > 5:
            p = None if disjoint(text[s - 5:s]) else search(text, s - 12 if s > 12 else 0, s)
        else:
            p = search(text, 0, s) if s and not disjoint(text[:s]) else None
        if p is not None:
            if e - s == 1 and text[e:e + 1] == " " and text[e + 1:e + 2].isdigit():
                continue  # "US$1 28.5 billion": a footnote digit fused to the amount
            if unit_w:
                end = d.end(2)
                value = float(digits.replace(",", "")) * _SCALE[unit_w]
            elif unit_l:
                end = d.end(2)
                value = float(digits.replace(",", "")) * _SCALE[unit_l.lower()]
            else:
                end = e
                value = float(digits.replace(",", ""))
            cp, neg = p.group("cp", "neg")
            append(Num("money", p.start(), end, value, _currency(cp.replace(" ", "")),
                       bool(unit_w or unit_l), -1 if neg else 0))
            continue
        before = text[s - 1] if s else " "
        if before.isalnum() or before in _WORDISH:
            continue  # digits inside a word or a code ("Q3", "H20", "9.9.9")
        raw = float(digits.replace(",", "") if "," in digits else digits)
        if before == "(" and text[e:e + 1] == ")" and ("," in digits or "." in digits):
            end = e + 1
            append(Num("num", s - 1, end, raw, None, False, -1))  # "(911.4)": a table's negative
            continue
        sign, start = 0, s
        k = s - 2 if before == " " and s >= 2 else s - 1   # "+5%", "- 5%", "by -1.23%"
        if k >= 0 and text[k] in "+-" and (k == 0 or not (text[k - 1].isalnum() or text[k - 1] in _WORDISH)):
            sign, start = (1 if text[k] == "+" else -1), k
        if pct is not None:
            end = d.end()
            append(Num("pct", start, end, raw, None, False, sign))
        elif pp is not None:
            end = d.end()
            append(Num("pp", start, end, raw, None, False, sign))
        elif cents is not None:
            end = d.end()
            append(Num("money", start, end, raw / 100, "USD", True, 0))
        else:
            cur = _currency(cs)
            if unit_l and not cur:  # "5B" alone is a model name or a grade, not money
                end = e  # (a letter unit is never read with a word unit: they are alternatives)
                append(Num("num", start, end, raw, None, False, 0))
                continue
            end = d.end()
            append(Num("money" if cur else "num", start, end,
                       raw * (_SCALE[unit_w] if unit_w else _SCALE[unit_l.lower()] if unit_l else 1.0), cur,
                       bool(unit_w or unit_l), 0))
    return out


def plausible_usd(amount: float, currency: str | None, usd: float) -> float:
    """The USD translation of `amount`, repaired when a footnote digit was fused in front of it.

    "RMB95.6 billion (US$113,355.8 million)" cannot be right: no exchange rate makes 95.6 bn yuan
    worth 113 bn dollars. Dropping the fused leading digit gives 13,355.8 million, which fits; only
    then is the repair made. Anything else is kept as printed (a source's own error stays visible).
    """
    bounds = _PER_USD.get(currency or "")
    if not bounds or usd <= 0 or amount == 0:
        return usd
    lo, hi = bounds
    if lo <= abs(amount) / usd <= hi:
        return usd
    digits = f"{usd:.6f}".rstrip("0").rstrip(".")
    if len(digits.split(".")[0]) >= 2:
        shift = 10 ** (len(digits.split(".")[0]) - 1)
        repaired = usd - int(digits[0]) * shift
        if repaired > 0 and lo <= abs(amount) / repaired <= hi:
            return repaired
    return usd
