"""The instruments directory: China-tech companies, their HK and US listings, and symbol normalisation.

Canonical ids (DESIGN.md): an HK listing is its code zero-padded to four digits plus `.HK`
(`9988.HK`, `0700.HK`); a US listing is its upper-case ticker (`BABA`). Users and news write symbols
in many more forms (`09988`, `hk09988`, `r_hk09988`, `HK:9988`, `BABA.N`, `阿里巴巴`); `normalise`
turns all of them into the canonical id. Any well-formed HK code or US ticker is accepted even when
it is not in the bundled directory.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache

from config.paths import bundled
from market.models import Market


class SymbolError(ValueError):
    """User input that is not a symbol we can resolve; the message says why, in the user's words."""


@dataclass(slots=True, frozen=True)
class Company:
    """A company and its listings. `ads_ratio` is ordinary shares per ADS (BABA 8, JD 2, NIO 1)."""

    id: str
    name_en: str
    name_zh: str
    hk_symbol: str | None
    us_symbol: str | None
    us_exchange: str | None
    ads_ratio: float | None
    sector: str
    fiscal_year_end: str  # "MM-DD"
    aliases: tuple[str, ...]

    @property
    def is_dual_listed(self) -> bool:
        return bool(self.hk_symbol and self.us_symbol and self.ads_ratio)

    @property
    def symbols(self) -> tuple[str, ...]:
        return tuple(s for s in (self.hk_symbol, self.us_symbol) if s)


@dataclass(slots=True, frozen=True)
class Listing:
    """One tradable line: a canonical symbol on one market, possibly belonging to a known company."""

    symbol: str
    market: Market
    company: Company | None

    @property
    def currency(self) -> str:
        return "HKD" if self.market == "HK" else "USD"

    @property
    def name(self) -> str:
        return self.company.name_en if self.company else self.symbol

    @property
    def code(self) -> str:
        """The bare exchange code: `9988` for 9988.HK, `BABA` for BABA."""
        return self.symbol.removesuffix(".HK")


_HK_FORMS = re.compile(
    r"^(?:r_hk|rt_hk|hk|hk:|hkex:|hkex|sehk:|sehk|hkg:|116\.)?\s*(\d{1,5})(?:\.hk)?$", re.IGNORECASE
)
_US_PREFIXED = re.compile(
    r"^(?:gb_|usr_|us:|nyse:|nasdaq:|nyse|nasdaq|10[567]\.)\s*([a-z][a-z0-9]{0,5}(?:[.$][a-z])?)$",
    re.IGNORECASE,
)
_US_TENCENT = re.compile(r"^us([A-Z][A-Z0-9]{0,5})(?:\.(?:N|OQ|O|AM))?$")  # case matters: usBABA
_US_SUFFIXED = re.compile(r"^([a-z][a-z0-9]{0,5})\.(?:n|oq|o|us|k|am)$", re.IGNORECASE)
_US_PLAIN = re.compile(r"^([a-z][a-z0-9]{0,5}(?:[.$][a-z])?)$", re.IGNORECASE)


class Directory:
    """Lookup over the bundled companies: by canonical symbol, by company id, by name or alias."""

    def __init__(self, companies: list[Company]):
        self.companies = companies
        self._by_symbol: dict[str, Company] = {}
        self._by_name: dict[str, Company] = {}
        for c in companies:
            for s in c.symbols:
                self._by_symbol[s] = c
            for n in (c.id, c.name_en, c.name_zh, *c.aliases):
                self._by_name.setdefault(_name_key(n), c)

    def company_of(self, symbol: str) -> Company | None:
        return self._by_symbol.get(symbol)

    def company(self, key: str) -> Company | None:
        """A company by id (`alibaba`), English or Chinese name or alias, or either listing's symbol."""
        found = self._by_name.get(_name_key(key))
        if found:
            return found
        try:
            return self._by_symbol.get(self.normalise(key))
        except SymbolError:
            return None

    def listing(self, symbol: str) -> Listing:
        """The listing for any accepted form of a symbol."""
        canonical = self.normalise(symbol)
        market: Market = "HK" if canonical.endswith(".HK") else "US"
        return Listing(canonical, market, self._by_symbol.get(canonical))

    def normalise(self, text: str) -> str:
        """Canonical id for user or source input; raises SymbolError with a readable reason."""
        raw = (text or "").strip()
        if not raw:
            raise SymbolError("empty symbol")
        if len(raw) > 24:
            raise SymbolError(f"{raw[:24]!r}... is too long to be a symbol")
        m = _US_SUFFIXED.match(raw)
        if m:  # BABA.N, XPEV.N, PDD.US, AAPL.OQ: the suffix names the exchange, not a share class
            raw = m.group(1)
        if raw.upper() in self._by_symbol:  # a known ticker wins over a same-spelt alias (JD, NIO, TME)
            return raw.upper()
        by_name = self._by_name.get(_name_key(raw))
        if by_name:
            return by_name.hk_symbol or by_name.us_symbol or by_name.id
        m = _HK_FORMS.match(raw)
        if m:
            code = int(m.group(1))
            if code == 0:
                raise SymbolError(f"{raw!r}: 0 is not a Hong Kong stock code")
            return f"{code:04d}.HK"
        m = _US_TENCENT.match(raw) or _US_PREFIXED.match(raw) or _US_PLAIN.match(raw)
        if m:
            ticker = m.group(1).upper().replace("$", ".")
            # `A$K` reads as class K, but `A.K` is an exchange suffix: strip it here too, so that a
            # canonical id always normalises to itself
            suffixed = _US_SUFFIXED.match(ticker)
            return suffixed.group(1) if suffixed else ticker
        raise SymbolError(
            f"{raw!r} is not a symbol: use an HK code such as 9988 or 0700.HK, "
            "a US ticker such as BABA, or a company name such as alibaba"
        )

    def search(self, query: str, limit: int = 12) -> list[tuple[str, Company]]:
        """Completion candidates: (symbol, company) whose code or names start with or contain `query`."""
        q = _name_key(query)
        if not q:
            return []
        starts: list[tuple[str, Company]] = []
        contains: list[tuple[str, Company]] = []
        for c in self.companies:
            keys = [_name_key(k) for k in (c.name_en, c.name_zh, c.id, *c.aliases)]
            for s in c.symbols:
                code = _name_key(s.removesuffix(".HK"))
                if code.startswith(q.lstrip("0") or q) or _name_key(s).startswith(q) or any(
                    k.startswith(q) for k in keys
                ):
                    starts.append((s, c))
                elif any(q in k for k in keys):
                    contains.append((s, c))
        return (starts + contains)[:limit]


def _name_key(text: str) -> str:
    return re.sub(r"[\s.\-_,'()]+", "", text).casefold()


@cache
def directory() -> Directory:
    """The bundled directory, read once from `assets/instruments.json`."""
    raw = json.loads(bundled("instruments.json").read_text("utf-8"))
    companies = [
        Company(
            id=c["id"],
            name_en=c["name_en"],
            name_zh=c["name_zh"],
            hk_symbol=f"{int(c['hk_code']):04d}.HK" if c.get("hk_code") else None,
            us_symbol=c.get("us_ticker"),
            us_exchange=c.get("us_exchange"),
            ads_ratio=c.get("ads_ratio"),
            sector=c.get("sector", ""),
            fiscal_year_end=c.get("fiscal_year_end", "12-31"),
            aliases=tuple(c.get("aliases", ())),
        )
        for c in raw["companies"]
    ]
    return Directory(companies)


def normalise(text: str) -> str:
    """Canonical id for `text` using the bundled directory (see `Directory.normalise`)."""
    return directory().normalise(text)
