#!/usr/bin/env python3
"""Generate the demo's replayed trading day: `assets/demo/day.json`.

Deterministic (seeded) minute prices for the demo listings, anchored to plausible closes around
21 February 2025, the day Alibaba's Hong Kong shares jumped about 15% after its December-quarter
results (its ADRs had risen about 8% in New York the day before). Every price it writes is
synthetic: the app labels them DEMO wherever they appear.

How a path is made: a Brownian bridge from the previous close to the anchored close, with an
opening gap (half the day's move) and volatility scaled to the stock, rounded to the market's tick.
Each listing also gets 90 trading days of daily bars before the replayed session (a random walk
that ends at the previous close), so the detail view's daily chart has a history to draw.
Run it again after changing an anchor: `python scripts/make_demo_day.py`.
"""
from __future__ import annotations

import json
import math
import random
from datetime import date, timedelta
from pathlib import Path

SEED = 20250221
HK_DATE = "2025-02-21"  # a Friday: the Hong Kong session being replayed
US_DATE = "2025-02-20"  # the New York session before it (Thursday)
FX = {"USDHKD": [7.7772, 7.7768], "USDCNY": [7.2678, 7.2705]}  # [last, prev close]

# symbol: (previous close, close, daily volatility %, volume scale)
ANCHORS = {
    "9988.HK": (121.50, 139.70, 2.5, 2.4e8),
    "0700.HK": (505.00, 512.00, 1.2, 2.2e7),
    "9618.HK": (160.00, 168.50, 1.8, 1.6e7),
    "9888.HK": (90.00, 93.00, 1.6, 1.2e7),
    "3690.HK": (160.00, 163.00, 1.6, 2.0e7),
    "1810.HK": (44.50, 47.60, 2.2, 3.0e8),
    "9866.HK": (33.50, 35.20, 2.5, 1.1e7),
    "9999.HK": (153.00, 157.00, 1.3, 6.0e6),
    "9961.HK": (530.00, 541.00, 1.3, 2.0e6),
    "1024.HK": (57.00, 60.20, 2.0, 4.0e7),
    "2015.HK": (104.00, 110.00, 2.2, 8.0e6),
    "9868.HK": (88.00, 92.00, 2.6, 2.0e7),
    "9626.HK": (165.00, 171.00, 2.0, 3.0e6),
    "BABA": (126.20, 136.45, 2.5, 5.5e7),
    "JD": (41.60, 42.90, 1.8, 1.5e7),
    "BIDU": (94.00, 95.80, 1.6, 5.0e6),
    "PDD": (122.00, 120.90, 1.8, 8.0e6),
    "NIO": (4.38, 4.52, 2.8, 6.0e7),
    "NTES": (100.50, 101.20, 1.3, 1.5e6),
    "TCOM": (69.00, 69.70, 1.3, 3.0e6),
    "LI": (26.50, 27.60, 2.2, 6.0e6),
    "XPEV": (22.20, 23.50, 2.6, 1.5e7),
    "BILI": (21.00, 21.90, 2.0, 5.0e6),
}


def minutes(market: str) -> list[str]:
    """The session's minute stamps: HK skips the 12:00-13:00 lunch break."""
    spans = [(9 * 60 + 30, 12 * 60), (13 * 60, 16 * 60)] if market == "HK" else [(9 * 60 + 30, 16 * 60)]
    return [f"{m // 60:02d}:{m % 60:02d}" for a, b in spans for m in range(a, b + 1 if b == 16 * 60 else b)]


def tick(price: float, market: str) -> float:
    """Round to the market's tick: HK spreads are price-banded, US quotes in cents."""
    if market == "US":
        return round(price, 2)
    step = 0.01 if price < 10 else 0.02 if price < 20 else 0.05 if price < 100 else 0.1 if price < 200 else 0.2
    return round(round(price / step) * step, 3)


def path(rng: random.Random, prev: float, close: float, vol_pct: float, n: int) -> list[float]:
    """A Brownian bridge from an opening gap to `close`, in log space."""
    start = math.log(prev) + 0.5 * (math.log(close) - math.log(prev))
    end = math.log(close)
    sigma = vol_pct / 100 / math.sqrt(n)
    walk = [0.0]
    for _ in range(n - 1):
        walk.append(walk[-1] + rng.gauss(0, sigma))
    return [math.exp(start + (end - start) * i / (n - 1) + walk[i] - walk[-1] * i / (n - 1)) for i in range(n)]


def daily(rng: random.Random, session: str, prev: float, vol_pct: float, market: str,
          days: int = 90) -> dict[str, list]:
    """`days` weekday bars ending the day before `session`, walking backwards from `prev`."""
    dates: list[str] = []
    day = date.fromisoformat(session)
    while len(dates) < days:
        day -= timedelta(days=1)
        if day.weekday() < 5:
            dates.append(day.isoformat())
    closes = [prev]
    for _ in range(days - 1):
        closes.append(closes[-1] / math.exp(rng.gauss(0.0015, 0.6 * vol_pct / 100)))
    bars = {"date": [], "open": [], "high": [], "low": [], "close": []}
    for d, close in zip(reversed(dates), reversed(closes), strict=True):
        open_ = close * math.exp(rng.gauss(0, vol_pct / 200))
        spread = abs(rng.gauss(0, vol_pct / 150))
        bars["date"].append(d)
        bars["open"].append(tick(open_, market))
        bars["close"].append(tick(close, market))
        bars["high"].append(tick(max(open_, close) * (1 + spread / 2), market))
        bars["low"].append(tick(min(open_, close) * (1 - spread / 2), market))
    return bars


def main() -> None:
    rng = random.Random(SEED)
    out = {"generated_by": "scripts/make_demo_day.py", "seed": SEED, "hk_date": HK_DATE,
           "us_date": US_DATE, "fx": FX, "listings": {}}
    for symbol, (prev, close, vol, volume) in ANCHORS.items():
        market = "HK" if symbol.endswith(".HK") else "US"
        stamps = minutes(market)
        prices = [tick(p, market) for p in path(rng, prev, close, vol, len(stamps))]
        prices[-1] = close
        per_minute = [volume / len(stamps) * rng.uniform(0.3, 1.7) for _ in stamps]
        cumulative = [round(sum(per_minute[: i + 1])) for i in range(len(stamps))]
        session = HK_DATE if market == "HK" else US_DATE
        out["listings"][symbol] = {"prev_close": prev, "times": stamps, "prices": prices, "volume": cumulative,
                                   "daily": daily(rng, session, prev, vol, market)}
    target = Path(__file__).resolve().parent.parent / "assets" / "demo" / "day.json"
    target.write_text(json.dumps(out, separators=(",", ":")) + "\n")
    print(f"wrote {target} ({len(out['listings'])} listings)")


if __name__ == "__main__":
    main()
