"""The whole config file as pydantic models: strict (`extra="forbid"`), documented, with defaults.

Every field carries a docstring; `sinoterm config show` and the commented template in `assets/` say
the same thing. Symbols are validated and stored canonical (`09988` -> `9988.HK`).
"""
from __future__ import annotations

from typing import Literal
from urllib.parse import urlparse

from pydantic import BaseModel, ConfigDict, Field, field_serializer, field_validator, model_validator

from market.instruments import SymbolError, directory, normalise

SourceName = Literal["tencent", "sina", "yahoo"]

DEFAULT_SYMBOLS = [
    "9988.HK", "BABA", "0700.HK", "9618.HK", "JD", "9888.HK", "BIDU",
    "3690.HK", "1810.HK", "PDD", "9866.HK", "NIO",
]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True, validate_assignment=True)


def http_url(value: str) -> str:
    """Only http and https URLs: a feed or source must never read local files or other schemes."""
    parsed = urlparse(value)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise ValueError(f"{value!r} is not an http(s) URL")
    return value


class QuotesSettings(Strict):
    primary: SourceName = "tencent"
    """Source asked first for quotes and FX."""
    secondary: SourceName | None = "sina"
    """Source that takes over symbols the primary fails on; "none" for no fallback."""
    refresh_seconds: float = Field(5.0, ge=1, le=3600)
    """Seconds between refreshes while a market is trading."""
    timeout_seconds: float = Field(4.0, gt=0, le=30)
    """Connect and read timeout for one request to a source."""
    follow_sessions: bool = True
    """Refresh only the markets that are trading (one refresh at each open and close)."""

    @field_validator("secondary", mode="before")
    @classmethod
    def _none_word(cls, value: object) -> object:
        """TOML has no null, so the file says `secondary = "none"` (or false) for no fallback."""
        return None if value in ("none", "", False) else value

    @field_serializer("secondary")
    def _none_out(self, value: str | None) -> str:
        return value or "none"


class ProviderSettings(Strict):
    base_url: str
    """Where the source lives; point it at a mirror, a proxy or a local test server."""
    enabled: bool = True
    """Set false to never ask this source."""

    _check_url = field_validator("base_url")(classmethod(lambda cls, v: http_url(v)))


class TencentSettings(ProviderSettings):
    base_url: str = "https://qt.gtimg.cn"
    """Quote endpoint (qt.gtimg.cn)."""
    history_url: str = "https://web.ifzq.gtimg.cn"
    """Minute and kline endpoints (web.ifzq.gtimg.cn)."""


class SinaSettings(ProviderSettings):
    base_url: str = "https://hq.sinajs.cn"
    """Quote endpoint (hq.sinajs.cn); needs the finance.sina.com.cn Referer, which Sinoterm sends."""


class YahooSettings(ProviderSettings):
    base_url: str = "https://query1.finance.yahoo.com"
    """v8 chart endpoint host."""


class ProvidersSettings(Strict):
    tencent: TencentSettings = TencentSettings()
    """Tencent: default quotes, FX and history."""
    sina: SinaSettings = SinaSettings()
    """Sina: secondary quotes and FX."""
    yahoo: YahooSettings = YahooSettings()
    """Yahoo: history and last-resort quotes."""


WATCHLIST_NAME_MAX = 40


class Watchlist(Strict):
    name: str = Field(min_length=1, max_length=WATCHLIST_NAME_MAX)
    """Tab title."""
    symbols: list[str] = []
    """HK codes (9988.HK), US tickers (BABA) or company names; stored canonical."""

    @field_validator("symbols")
    @classmethod
    def _canonical(cls, value: list[str]) -> list[str]:
        out: list[str] = []
        for raw in value:
            try:
                sym = normalise(raw)
            except SymbolError as e:
                raise ValueError(str(e)) from None
            if sym not in out:
                out.append(sym)
        return out


class Feed(Strict):
    name: str = Field(min_length=1)
    """Shown as the item's source."""
    url: str
    """RSS or Atom URL (http or https only)."""

    _check_url = field_validator("url")(classmethod(lambda cls, v: http_url(v)))


class NewsSettings(Strict):
    feeds: list[Feed] = []
    """Feeds to poll; `sinoterm config init` writes Yahoo and Google News defaults."""
    refresh_minutes: float = Field(5.0, ge=0.5, le=1440)
    """Minutes between feed polls."""
    fetch_articles: bool = True
    """Fetch each item's page to extract its text and metrics."""
    max_items: int = Field(500, ge=10, le=100_000)
    """News items kept in the database."""


class DisplaySettings(Strict):
    theme: str = "textual-dark"
    """Any Textual theme name (textual-dark, textual-light, nord, gruvbox, ...)."""
    up: Literal["green", "red"] = "green"
    """Colour of a rise: green (HK/US convention) or red (mainland convention)."""
    chinese_names: bool = False
    """Show Chinese names in the watchlist."""


class Alert(Strict):
    symbol: str
    """Listing (9988.HK, BABA) or, for premium alerts, either leg of a dual listing."""
    condition: Literal["price_above", "price_below", "change_pct_beyond", "premium_beyond"]
    """What to watch."""
    value: float
    """Threshold: a price, or a percentage for change and premium."""

    @field_validator("symbol")
    @classmethod
    def _canonical(cls, value: str) -> str:
        try:
            return normalise(value)
        except SymbolError as e:
            raise ValueError(str(e)) from None

    @model_validator(mode="after")
    def _premium_needs_a_dual_listing(self) -> Alert:
        if self.condition == "premium_beyond":
            company = directory().company_of(self.symbol)
            if company is None or not company.is_dual_listed:
                raise ValueError(f"{self.symbol} is not one leg of a dual listing, so it has no premium")
        return self


class Settings(Strict):
    quotes: QuotesSettings = QuotesSettings()
    """Quote sources and cadence."""
    providers: ProvidersSettings = ProvidersSettings()
    """Where each source lives."""
    watchlists: list[Watchlist] = Field(
        default_factory=lambda: [Watchlist(name="China tech", symbols=list(DEFAULT_SYMBOLS))]
    )
    """Named watchlists, shown as tabs."""
    news: NewsSettings = NewsSettings()
    """News feeds."""
    display: DisplaySettings = DisplaySettings()
    """Look and feel."""
    keys: dict[str, str] = {}
    """Binding id -> keys, e.g. "app.refresh" = "f5,r" (the help screen lists the ids)."""
    alerts: list[Alert] = []
    """Price, change and premium alerts."""

    @field_validator("watchlists")
    @classmethod
    def _unique_names(cls, value: list[Watchlist]) -> list[Watchlist]:
        """Tabs, `--watchlist NAME` and in-app edits find a watchlist by name, so names must differ."""
        seen: set[str] = set()
        for w in value:
            key = w.name.casefold()
            if key in seen:
                raise ValueError(f"two watchlists are named {w.name!r}; give each its own name")
            seen.add(key)
        return value

    def watchlist(self, name: str | None) -> Watchlist:
        """The named watchlist (case-insensitive), else the first."""
        for w in self.watchlists:
            if name and w.name.casefold() == name.casefold():
                return w
        return self.watchlists[0] if self.watchlists else Watchlist(name="Default", symbols=[])
