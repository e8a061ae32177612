"""Which companies a text is about: names in English and Chinese, aliases and tickers in news forms.

News names a company many ways: "Alibaba Group Holding", "\u963f\u91cc\u5df4\u5df4", "BABA", "NYSE: BABA",
"9988.HK", "(HK:9988)", "[HKG: 9888]", "HKEX 00700", "SEHK: 700", a bare "(09961)", "XPEV.N",
"PDD.US", "(ticker: BABA)". One regex, built once from `market.instruments.directory()`, finds them
all in a single pass. Short tickers are the trap: "JD" is a word only in upper case and "LI" is a
ticker only where the text marks it as one (an exchange prefix, parentheses, a suffix), never as a
bare word, so "LI" in a sentence or "jd" inside a word never tags anyone.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from market.instruments import Company, Directory, SymbolError, directory

_US_EXCHANGES = r"NYSE|NASDAQ|Nasdaq|NasdaqGS|NYSEARCA|NYSE\s?American|AMEX|OTC|SGX|US"
_HK_EXCHANGES = r"HKEX|HKSE|SEHK|HKG|HK|Hong\s+Kong"


@dataclass(slots=True, frozen=True)
class Mention:
    """One place a company (or a ticker) is named; `symbol` is set when the text used a ticker."""

    start: int
    end: int
    company: Company | None
    symbol: str | None


class _Tagger:
    """The compiled pattern and the lookups behind it."""

    def __init__(self, d: Directory):
        self.directory = d
        names: dict[str, Company] = {}
        for c in d.companies:
            for n in (c.name_en, c.name_zh, *c.aliases):
                if n and (len(n) > 3 or not n.isascii() or (n == c.name_en and len(n) == 3)):
                    names.setdefault(n.casefold(), c)
        self.names = names
        self.short = {n: c for c in d.companies for n in (c.name_en, *c.aliases)
                      if n.isascii() and len(n) <= 3 and n.isupper() and n not in ("LI",)}
        self.us = {c.us_symbol: c for c in d.companies if c.us_symbol}
        ascii_names = sorted((n for n in names if n.isascii()), key=len, reverse=True)
        zh_names = sorted((n for n in names if not n.isascii()), key=len, reverse=True)
        bare = sorted({t for t in self.us if len(t) >= 3} | set(self.short), key=len, reverse=True)
        self.pattern = re.compile(
            rf"(?P<ust>(?:\b(?:{_US_EXCHANGES})\s?:\s?|\bticker:?\s?|\$)(?P<us>[A-Z]{{1,5}})\b)"
            rf"|(?P<hkt>\b(?:{_HK_EXCHANGES})\s?:\s?(?P<hk>\d{{1,5}})\b|\b(?:HKEX|SEHK|HKG)\s(?P<hk2>\d{{3,5}})\b)"
            r"|(?P<hks>\b(?P<hk3>\d{1,5})\.[Hh][Kk]\b)"
            r"|(?P<uss>\b(?P<us2>[A-Z]{1,5})\.(?:N|O|OQ|US|K)\b)"
            r"|(?P<par>(?<=[(\[])(?:(?P<hk4>\d{4,5})|(?P<us3>[A-Z]{2,5}))(?=[)\]]))"
            rf"|(?P<name>(?i:\b(?:{'|'.join(re.escape(n) for n in ascii_names)})(?=s?\b)))"
            rf"|(?P<zh>{'|'.join(re.escape(n) for n in zh_names)})"
            rf"|(?P<bare>\b(?:{'|'.join(re.escape(t) for t in bare)})\b)"
        )

    def hk(self, code: str, strict: bool) -> tuple[Company | None, str | None]:
        symbol = f"{int(code):04d}.HK" if code.strip("0") else None
        company = self.directory.company_of(symbol) if symbol else None
        if strict and company is None and not (len(code) == 5 and code.startswith("0")):
            return None, None  # "(2019)" is a year, not an unknown HK code
        return company, symbol

    def mention(self, m: re.Match[str]) -> Mention | None:
        kind = m.lastgroup
        start, end = m.start(), m.end()
        if kind == "name":
            return Mention(start, end, self.names.get(m.group().casefold()), None)
        if kind == "zh":
            return Mention(start, end, self.names.get(m.group().casefold()), None)
        if kind == "bare":
            word = m.group()
            company = self.short.get(word) or self.us.get(word)
            is_ticker = word in self.us and word.casefold() not in self.names and word not in self.short
            return Mention(start, end, company, word if is_ticker else None)
        if kind == "hkt":
            company, symbol = self.hk(m.group("hk") or m.group("hk2"), False)
            return Mention(start, end, company, symbol) if symbol else None
        if kind == "hks":
            company, symbol = self.hk(m.group("hk3"), False)
            return Mention(start, end, company, symbol) if symbol else None
        if kind == "par" and m.group("hk4"):
            company, symbol = self.hk(m.group("hk4"), True)
            return Mention(start, end, company, symbol) if symbol else None
        ticker = m.group("us") or m.group("us2") or m.group("us3")
        if kind == "par" and ticker not in self.us:
            return None  # "(ADS)", "(GMV)", "(MAU)": abbreviations in parentheses, not tickers
        if kind == "ust" and m.group().startswith("$") and ticker not in self.us:
            return None  # "$X" cashtags only for names we know, never "$B" from "$B2B"
        try:
            symbol = self.directory.normalise(ticker)
        except SymbolError:
            return None
        return Mention(start, end, self.us.get(ticker), symbol)


@cache
def _tagger() -> _Tagger:
    return _Tagger(directory())


def mentions(text: str) -> list[Mention]:
    """Every company or ticker mention in `text`, in order of appearance."""
    tagger = _tagger()
    out = []
    for m in tagger.pattern.finditer(text):
        found = tagger.mention(m)
        if found is not None:
            out.append(found)
    return out


def companies_in(text: str) -> list[Company]:
    """The known companies `text` names, in order of first mention."""
    return _companies(mentions(text))


def tickers_in(text: str) -> list[str]:
    """Canonical symbols (`9988.HK`, `BABA`) of the tickers `text` prints, in order, without repeats."""
    return _tickers(mentions(text))


def _companies(found: list[Mention]) -> list[Company]:
    seen: dict[str, Company] = {}
    for m in found:
        if m.company is not None:
            seen.setdefault(m.company.id, m.company)
    return list(seen.values())


def _tickers(found: list[Mention]) -> list[str]:
    return list(dict.fromkeys(m.symbol for m in found if m.symbol))
