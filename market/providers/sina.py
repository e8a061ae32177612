"""Sina `hq.sinajs.cn`: the secondary source for HK (`rt_hk`), US (`gb_`) and FX (`fx_s...`).

Wire format (reference/providers.md section 2): `var hq_str_<code>="a,b,...";` lines, GBK, and a 403
without the `Referer: https://finance.sina.com.cn/` header (sent by `http.source_headers`). An unknown
code answers an empty string. HK times are Beijing time (= HKT); the US field 3 timestamp is Beijing
time too and is converted to US Eastern, where the listing trades.
"""
from __future__ import annotations

from market import codes
from market.models import FxRate, Quote
from market.providers.base import SourceGarbage, SourceResult
from market.providers.batched import BatchedTextSource, absorb_lines, split_assignments
from market.providers.fields import BEIJING, EASTERN, HKT, local_time, num, quote_name, text, volume

NAME = "sina"
_PREFIX = "var hq_str_"


def split_lines(body: str) -> tuple[dict[str, list[str] | None], bool]:
    """`var hq_str_<code>="a,b,...";` lines (an empty value is Sina's answer for an unknown code)."""
    return split_assignments(body, _PREFIX, ",")


def parse_hk(symbol: str, f: list[str]) -> Quote | None:
    """`rt_hk` (25 fields) or `hk` (19): 0 English name, 1 Chinese, 2 open, 3 prev, 4/5 high/low,
    6 last, 7/8 change/%, 12 volume, 17/18 date/time."""
    last = num(f, 6)
    if len(f) < 19 or last is None:
        return None
    return Quote(
        symbol=symbol,
        name=quote_name(symbol, text(f, 0), text(f, 1)),
        currency="HKD",
        last=last,
        prev_close=num(f, 3),
        open=num(f, 2),
        high=num(f, 4),
        low=num(f, 5),
        change=num(f, 7),
        change_pct=num(f, 8),
        volume=volume(f, 12),
        time=local_time(f"{f[17]} {f[18]}", HKT),
        source=NAME,
        extra={"turnover": num(f, 11), "pe": num(f, 13), "high_52w": num(f, 15), "low_52w": num(f, 16)},
    )


def parse_us(symbol: str, f: list[str]) -> Quote | None:
    """`gb_` (36 fields): 1 last, 2 change %, 3 Beijing time, 4 change, 5/6/7 open/high/low,
    10 volume, 26 previous close."""
    last = num(f, 1)
    if len(f) < 27 or last is None:
        return None
    beijing = local_time(f[3], BEIJING)
    return Quote(
        symbol=symbol,
        name=quote_name(symbol, text(f, 0)),
        currency="USD",
        last=last,
        prev_close=num(f, 26),
        open=num(f, 5),
        high=num(f, 6),
        low=num(f, 7),
        change=num(f, 4),
        change_pct=num(f, 2),
        volume=volume(f, 10),
        time=beijing.astimezone(EASTERN) if beijing else None,
        source=NAME,
        extra={"market_cap": num(f, 12), "pe": num(f, 14), "high_52w": num(f, 8), "low_52w": num(f, 9)},
    )


def parse_fx(pair: str, f: list[str]) -> FxRate | None:
    """`fx_s...`: 0 time, 3 previous close, 8 last, 17 date when present (all Beijing time)."""
    rate = num(f, 8)
    if rate is None or rate <= 0:
        return None
    date = text(f, 17)
    when = local_time(f"{date} {f[0]}", BEIJING) if date else None
    return FxRate(pair=pair, rate=rate, prev_close=num(f, 3), time=when, source=NAME)


def absorb(body: str, wanted: dict[str, str], wanted_fx: dict[str, str], out: SourceResult) -> None:
    """Parse one batch body into `out`; SourceGarbage when it holds no Sina line at all."""
    lines, complete = split_lines(body)
    if not lines:
        raise SourceGarbage(NAME, "FAILED" if body.strip().startswith("FAILED") else "body has no hq_str lines")
    absorb_lines(NAME, lines, complete, wanted, wanted_fx, out, hk_prefix="rt_hk", parse_hk=parse_hk,
                 parse_us=parse_us, parse_fx=parse_fx)


class SinaSource(BatchedTextSource):
    """Quotes and FX from `{base_url}/list=rt_hk00700,gb_baba,fx_susdhkd`."""

    name = NAME
    path_key = "list"
    fx_codes = codes.SINA_FX
    code = staticmethod(codes.sina)
    absorb = staticmethod(absorb)
