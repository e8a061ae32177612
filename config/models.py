"""The whole config file as plain dataclasses: strict, documented, with defaults.

Why dataclasses and not pydantic models: the app reads these on every start, and importing
pydantic's BaseModel machinery costs ~90 ms, a quarter of Textual's own start-up. So the shapes
are stdlib dataclasses, cheap to import and to build from defaults, and pydantic validates them
only when there is a file to check (`config.validation`). The pydantic rules (`Field` bounds,
`AfterValidator`s, `__pydantic_config__`) live here, beside the fields they govern, inside the
annotations: `from __future__ import annotations` keeps those as strings until the validation
module resolves them, with pydantic loaded, from its own namespace.

Every field carries a docstring; `sinoterm config show` and the commented template in `assets/` say
the same thing. Symbols are validated and stored canonical (`09988` -> `9988.HK`).
"""
from __future__ import annotations

import typing
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Annotated, Any, Literal
from urllib.parse import urlparse

from market.instruments import SymbolError, directory, normalise

if TYPE_CHECKING:  # resolved by config.validation, which imports them; never loaded at start-up
    from pydantic import AfterValidator, BeforeValidator, Field, PlainSerializer

SourceName = Literal["tencent", "sina", "yahoo"]

DEFAULT_SYMBOLS = [
    "9988.HK", "BABA", "0700.HK", "9618.HK", "JD", "9888.HK", "BIDU",
    "3690.HK", "1810.HK", "PDD", "9866.HK", "NIO",
]

STRICT = {"extra": "forbid", "use_attribute_docstrings": True}
"""pydantic's config for every section: unknown keys are errors, docstrings describe fields."""

_PYDANTIC_STAND_INS = dict.fromkeys(("AfterValidator", "BeforeValidator", "Field", "PlainSerializer"),
                                    lambda *args, **kwargs: None)
"""The pydantic names in the annotations, as no-ops: reading a section's types needs no pydantic."""


@cache
def section_fields(section: type) -> dict[str, Any]:
    """Each key of a section with its type (`Settings` -> {"quotes": QuotesSettings, ...}), for
    walking the sections by name: error messages, rebuilding remembered settings, the template
    check."""
    return typing.get_type_hints(section, localns=_PYDANTIC_STAND_INS)


def http_url(value: str) -> str:
    """Only http and https URLs: a feed or source must never read local files or other schemes."""
    parsed = urlparse(value)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise ValueError(f"{value!r} is not an http(s) URL")
    return value


def canonical_symbol(value: str) -> str:
    try:
        return normalise(value)
    except SymbolError as e:
        raise ValueError(str(e)) from None


def canonical_symbols(value: list[str]) -> list[str]:
    """Each symbol canonical, duplicates dropped (`09988` and `9988.HK` are one listing)."""
    out: list[str] = []
    for raw in value:
        sym = canonical_symbol(raw)
        if sym not in out:
            out.append(sym)
    return out


def none_word(value: object) -> object:
    """TOML has no null, so the file says `secondary = "none"` (or false) for no fallback."""
    return None if value in ("none", "", False) else value


@dataclass
class QuotesSettings:
    __pydantic_config__ = STRICT

    primary: SourceName = "tencent"
    """Source asked first for quotes and FX."""
    secondary: Annotated[SourceName | None, BeforeValidator(none_word),
                         PlainSerializer(lambda v: v or "none")] = "sina"
    """Source that takes over symbols the primary fails on; "none" for no fallback."""
    refresh_seconds: Annotated[float, Field(ge=1, le=3600)] = 5.0
    """Seconds between refreshes while a market is trading."""
    timeout_seconds: Annotated[float, Field(gt=0, le=30)] = 4.0
    """Connect and read timeout for one request to a source."""
    follow_sessions: bool = True
    """Refresh only the markets that are trading (one refresh at each open and close)."""


@dataclass
class ProviderSettings:
    __pydantic_config__ = STRICT

    base_url: Annotated[str, AfterValidator(http_url)]
    """Where the source lives; point it at a mirror, a proxy or a local test server."""
    enabled: bool = True
    """Set false to never ask this source."""


@dataclass
class TencentSettings(ProviderSettings):
    base_url: Annotated[str, AfterValidator(http_url)] = "https://qt.gtimg.cn"
    """Quote endpoint (qt.gtimg.cn)."""
    history_url: str = "https://web.ifzq.gtimg.cn"
    """Minute and kline endpoints (web.ifzq.gtimg.cn)."""


@dataclass
class SinaSettings(ProviderSettings):
    base_url: Annotated[str, AfterValidator(http_url)] = "https://hq.sinajs.cn"
    """Quote endpoint (hq.sinajs.cn); needs the finance.sina.com.cn Referer, which Sinoterm sends."""


@dataclass
class YahooSettings(ProviderSettings):
    base_url: Annotated[str, AfterValidator(http_url)] = "https://query1.finance.yahoo.com"
    """v8 chart endpoint host."""


@dataclass
class ProvidersSettings:
    __pydantic_config__ = STRICT

    tencent: TencentSettings = field(default_factory=TencentSettings)
    """Tencent: default quotes, FX and history."""
    sina: SinaSettings = field(default_factory=SinaSettings)
    """Sina: secondary quotes and FX."""
    yahoo: YahooSettings = field(default_factory=YahooSettings)
    """Yahoo: history and last-resort quotes."""


WATCHLIST_NAME_MAX = 40


@dataclass
class Watchlist:
    __pydantic_config__ = STRICT

    name: Annotated[str, Field(min_length=1, max_length=WATCHLIST_NAME_MAX)]
    """Tab title."""
    symbols: Annotated[list[str], AfterValidator(canonical_symbols)] = field(default_factory=list)
    """HK codes (9988.HK), US tickers (BABA) or company names; stored canonical."""


@dataclass
class Feed:
    __pydantic_config__ = STRICT

    name: Annotated[str, Field(min_length=1)]
    """Shown as the item's source."""
    url: Annotated[str, AfterValidator(http_url)]
    """RSS or Atom URL (http or https only)."""


@dataclass
class NewsSettings:
    __pydantic_config__ = STRICT

    feeds: list[Feed] = field(default_factory=list)
    """Feeds to poll; `sinoterm config init` writes Yahoo and Google News defaults."""
    refresh_minutes: Annotated[float, Field(ge=0.5, le=1440)] = 5.0
    """Minutes between feed polls."""
    fetch_articles: bool = True
    """Fetch each item's page to extract its text and metrics."""
    max_items: Annotated[int, Field(ge=10, le=100_000)] = 500
    """News items kept in the database."""


@dataclass
class DisplaySettings:
    __pydantic_config__ = STRICT

    theme: str = "textual-dark"
    """Any Textual theme name (textual-dark, textual-light, nord, gruvbox, ...)."""
    up: Literal["green", "red"] = "green"
    """Colour of a rise: green (HK/US convention) or red (mainland convention)."""
    chinese_names: bool = False
    """Show Chinese names in the watchlist."""


@dataclass
class Alert:
    __pydantic_config__ = STRICT

    symbol: Annotated[str, AfterValidator(canonical_symbol)]
    """Listing (9988.HK, BABA) or, for premium alerts, either leg of a dual listing."""
    condition: Literal["price_above", "price_below", "change_pct_beyond", "premium_beyond"]
    """What to watch."""
    value: float
    """Threshold: a price, or a percentage for change and premium."""

    def __post_init__(self) -> None:
        if self.condition == "premium_beyond":
            company = directory().company_of(self.symbol)
            if company is None or not company.is_dual_listed:
                raise ValueError(f"{self.symbol} is not one leg of a dual listing, so it has no premium")


def unique_names(value: list[Watchlist]) -> list[Watchlist]:
    """Tabs, `--watchlist NAME` and in-app edits find a watchlist by name, so names must differ."""
    seen: set[str] = set()
    for w in value:
        key = w.name.casefold()
        if key in seen:
            raise ValueError(f"two watchlists are named {w.name!r}; give each its own name")
        seen.add(key)
    return value


@dataclass
class Settings:
    __pydantic_config__ = STRICT

    quotes: QuotesSettings = field(default_factory=QuotesSettings)
    """Quote sources and cadence."""
    providers: ProvidersSettings = field(default_factory=ProvidersSettings)
    """Where each source lives."""
    watchlists: Annotated[list[Watchlist], AfterValidator(unique_names)] = field(
        default_factory=lambda: [Watchlist(name="China tech", symbols=list(DEFAULT_SYMBOLS))]
    )
    """Named watchlists, shown as tabs."""
    news: NewsSettings = field(default_factory=NewsSettings)
    """News feeds."""
    display: DisplaySettings = field(default_factory=DisplaySettings)
    """Look and feel."""
    keys: dict[str, str] = field(default_factory=dict)
    """Binding id -> keys, e.g. "app.refresh" = "f5,r" (the help screen lists the ids)."""
    alerts: list[Alert] = field(default_factory=list)
    """Price, change and premium alerts."""

    def watchlist(self, name: str | None) -> Watchlist:
        """The named watchlist (case-insensitive), else the first."""
        for w in self.watchlists:
            if name and w.name.casefold() == name.casefold():
                return w
        return self.watchlists[0] if self.watchlists else Watchlist(name="Default", symbols=[])
