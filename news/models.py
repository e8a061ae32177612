"""The news item every part of Sinoterm passes around, and its `news --json` shape (DESIGN.md)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from market.instruments import directory

if TYPE_CHECKING:
    from news.findings import Extraction


@dataclass(slots=True)
class Validators:
    """What a feed's server said last time (ETag, Last-Modified), sent back so an unchanged feed
    costs a 304. Lives with the models so the store can hold it without loading the feed parser."""

    etag: str | None = None
    last_modified: str | None = None

    def headers(self) -> dict[str, str]:
        out = {}
        if self.etag:
            out["If-None-Match"] = self.etag
        if self.last_modified:
            out["If-Modified-Since"] = self.last_modified
        return out


@dataclass(slots=True)
class NewsItem:
    """One story: the feed's headline plus what the pipeline learnt from its page.

    `title`, `summary` and `text` are already cleaned (`news.sanitize.clean_text`): no control or
    escape characters, but any markup-looking brackets kept literally. `companies` are company ids
    (`alibaba`); `source` is the publisher when the feed names one (Google News), else the feed's name.
    """

    id: str
    title: str
    link: str
    source: str
    published: datetime | None
    summary: str = ""
    text: str = ""
    companies: list[str] = field(default_factory=list)
    extraction: Extraction | None = None
    read: bool = False
    fetched_at: datetime | None = None
    feed: str = ""

    @property
    def time(self) -> datetime | None:
        """When the story is from: its published time, else when Sinoterm first saw it."""
        return self.published or self.fetched_at

    def extraction_dict(self) -> dict[str, Any]:
        """The extraction as plain JSON data (empty lists when there is none)."""
        if self.extraction is None:
            return {"metrics": [], "moves": []}
        if isinstance(self.extraction, dict):
            return self.extraction
        return self.extraction.to_json()

    def tickers(self) -> list[str]:
        """The tagged companies as short codes (`9988`, `PDD`): HK code first, else the US ticker."""
        out = []
        for company_id in self.companies:
            company = directory().company(company_id)
            if company:
                out.append((company.hk_symbol or company.us_symbol or company.id).removesuffix(".HK"))
        return out

    def move_badge(self) -> str:
        """`BABA +15% HK` from the first move with a size, on the leg of the market it names."""
        for move in self.extraction_dict().get("moves", []):
            if move.get("pct") is None:
                continue
            company = directory().company(move["company"]) if move.get("company") else None
            if company:
                leg = company.us_symbol if move.get("market") == "US" or not company.hk_symbol else company.hk_symbol
                label = (leg or company.name_en).removesuffix(".HK")
            else:
                label = move.get("company") or "?"
            sign = "+" if move.get("direction") == "up" else "-"
            return f"{label} {sign}{move['pct']:g}%" + (f" {move['market']}" if move.get("market") else "")
        return ""

    def to_json(self) -> dict[str, Any]:
        """The `news --json` object: companies as canonical names, like `extract --json`; an item
        its feed left undated is dated when Sinoterm first saw it, so `published` is always a time."""
        found = self.extraction_dict()
        names = []
        for company_id in self.companies:
            company = directory().company(company_id)
            names.append(company.name_en if company else company_id)
        return {
            "id": self.id,
            "title": self.title,
            "link": self.link,
            "source": self.source,
            "published": self.time.isoformat() if self.time else None,  # undated items: first seen
            "companies": names,
            "company_ids": list(self.companies),
            "moves": found.get("moves", []),
            "metrics": found.get("metrics", []),
            "read": self.read,
        }


def load_extraction(data: dict[str, Any] | None) -> Extraction | None:
    """A stored extraction back as findings; None when there is none or it no longer fits."""
    from news.findings import Extraction

    return Extraction.from_json(data) if data else None
