"""ADS parity of a dual listing: what the US price means in Hong Kong, and back.

One ADS is `ratio` ordinary shares, so the US price in HK dollars per ordinary share is
`us_implied_hk = us_last * USDHKD / ratio`, and `premium_pct` is how far the HK price sits above
(+) or below (-) it. The two markets never trade at the same time, so the leg that traded last
sets the expectation for the other's next session: after (or during) the HK session, the HK price
implies a US price (`hk_last * ratio / USDHKD`) to compare with the last US close; after the US
session, the US price implies an HK price to compare with the last HK close. A closed leg
contributes its last price, which is its close.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from market.instruments import Company
from market.models import FxRate, Market, Quote
from market.sessions import last_regular_close, market_status

_RATIO_HINT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*:\s*(\d+(?:\.\d+)?)\s*$")


@dataclass(frozen=True, slots=True)
class Parity:
    """One dual-listed company's parity at `time`; a figure is None when an input is missing."""

    company: Company
    ratio: float
    usdhkd: float | None
    hk_last: float | None
    us_last: float | None
    us_implied_hk: float | None
    hk_implied_us: float | None
    premium_pct: float | None
    next_session: Market  # the market whose next session the implied move is for
    implied_us_move_pct: float | None
    implied_hk_move_pct: float | None
    hk_state: str
    us_state: str
    time: datetime
    hk_time: datetime | None
    us_time: datetime | None
    stale: bool
    ratio_warning: str | None

    @property
    def hk_symbol(self) -> str:
        return self.company.hk_symbol or ""

    @property
    def us_symbol(self) -> str:
        return self.company.us_symbol or ""

    def to_json(self) -> dict:
        """The `parity --json` contract (DESIGN.md) plus the implied moves, states and warning."""
        return {
            "company": self.company.name_en,
            "company_id": self.company.id,
            "hk_symbol": self.hk_symbol,
            "us_symbol": self.us_symbol,
            "ratio": _number(self.ratio),
            "usdhkd": self.usdhkd,
            "hk_last": self.hk_last,
            "us_last": self.us_last,
            "us_implied_hk": _round(self.us_implied_hk, 4),
            "hk_implied_us": _round(self.hk_implied_us, 4),
            "premium_pct": _round(self.premium_pct, 4),
            "next_session": self.next_session,
            "implied_us_move_pct": _round(self.implied_us_move_pct, 4),
            "implied_hk_move_pct": _round(self.implied_hk_move_pct, 4),
            "hk_state": self.hk_state,
            "us_state": self.us_state,
            "time": self.time.isoformat(),
            "hk_time": self.hk_time.isoformat() if self.hk_time else None,
            "us_time": self.us_time.isoformat() if self.us_time else None,
            "stale": self.stale,
            "ratio_warning": self.ratio_warning,
        }


def parse_ratio_hint(hint: str | None) -> float | None:
    """Ordinary shares per ADS from a source's `ADS:shares` text ("1:8" -> 8.0); None if unreadable."""
    m = _RATIO_HINT.match(hint or "")
    if not m or float(m.group(1)) == 0:
        return None
    return float(m.group(2)) / float(m.group(1))


def ratio_warning(company: Company, hint: str | None) -> str | None:
    """A message when the quote source's ratio disagrees with the instruments directory's."""
    source = parse_ratio_hint(hint)
    if source is None or company.ads_ratio is None:
        return None
    if abs(source - company.ads_ratio) <= 1e-9 * max(source, company.ads_ratio):
        return None
    return (f"{company.us_symbol}: the directory has {_number(company.ads_ratio)} shares per ADS "
            f"but the quote source says {hint.strip() if hint else hint} (ADS:shares); using the directory")


def leading_market(at: datetime) -> Market:
    """The market that traded most recently (or is trading): its prices carry the newer news."""
    hk, us = last_regular_close("HK", at), last_regular_close("US", at)
    if hk is None:
        return "US"
    if us is None:
        return "HK"
    return "HK" if hk > us else "US"


def compute(company: Company, hk: Quote | None, us: Quote | None, usdhkd: FxRate | None,
            at: datetime) -> Parity | None:
    """Parity of `company` at `at` from its two legs' quotes and USD/HKD.

    None for a company that is not dual-listed or when neither leg has a price.
    """
    if not company.is_dual_listed or company.ads_ratio is None:
        return None
    hk_last = hk.last if hk and hk.last and hk.last > 0 else None  # a zero price is a source's gap
    us_last = us.last if us and us.last and us.last > 0 else None
    if hk_last is None and us_last is None:
        return None
    ratio = float(company.ads_ratio)
    fx = usdhkd.rate if usdhkd and usdhkd.rate > 0 else None
    us_implied_hk = us_last * fx / ratio if us_last is not None and fx else None
    hk_implied_us = hk_last * ratio / fx if hk_last is not None and fx else None
    premium = _pct(hk_last, us_implied_hk)
    leader = leading_market(at)
    times = [q.time for q in (hk, us) if q and q.time]
    return Parity(
        company=company,
        ratio=ratio,
        usdhkd=fx,
        hk_last=hk_last,
        us_last=us_last,
        us_implied_hk=us_implied_hk,
        hk_implied_us=hk_implied_us,
        premium_pct=premium,
        next_session="US" if leader == "HK" else "HK",
        # the follower is closed, so its last price is its last close
        implied_us_move_pct=_pct(hk_implied_us, us_last) if leader == "HK" else None,
        implied_hk_move_pct=_pct(us_implied_hk, hk_last) if leader == "US" else None,
        hk_state=market_status("HK", at).state,
        us_state=market_status("US", at).state,
        time=max(times) if times else at,
        hk_time=hk.time if hk else None,
        us_time=us.time if us else None,
        stale=any(q.stale for q in (hk, us) if q) or bool(usdhkd and usdhkd.stale),
        ratio_warning=ratio_warning(company, us.ads_ratio_hint if us else None),
    )


def _pct(value: float | None, base: float | None) -> float | None:
    if value is None or not base:
        return None
    return (value / base - 1.0) * 100.0


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def _number(value: float) -> float | int:
    """8.0 -> 8 for JSON and messages; 0.2 stays 0.2."""
    return int(value) if float(value).is_integer() else value
