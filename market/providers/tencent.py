"""Tencent `qt.gtimg.cn`: HK, US and FX quotes in batched GETs of at most 60 codes.

Wire format (reference/providers.md section 1): `v_<code>="f0~f1~...";` lines, GBK. HK lines have grown
from 60 fields (2018) to 75 (2022) to 78 (2026), so every index is read with a length guard. HK
timestamps are Hong Kong time, US timestamps US Eastern, FX timestamps Beijing time. An unknown code
answers `v_pv_none_match="1";` in place of its line.
"""
from __future__ import annotations

from datetime import tzinfo

from market import codes
from market.models import FxRate, Quote
from market.providers.base import SourceGarbage, SourceResult
from market.providers.batched import BatchedTextSource, absorb_lines, split_assignments
from market.providers.fields import BEIJING, EASTERN, HKT, local_time, num, quote_name, text, volume

NAME = "tencent"


def split_lines(body: str) -> tuple[dict[str, list[str] | None], bool]:
    """`v_<code>="a~b~...";` lines; the real-time form `v_r_hk00700` answers for `hk00700`."""
    lines, complete = split_assignments(body, "v_", "~")
    return {code.removeprefix("r_"): fields for code, fields in lines.items()}, complete


def _quote(symbol: str, f: list[str], *, currency_index: int, default_currency: str, tz: tzinfo,
           **specific) -> Quote | None:
    """The fields HK and US lines share (same indices in both layouts); None without a price block."""
    last = num(f, 3)
    if len(f) < 35 or last is None:
        return None
    currency = text(f, currency_index) if len(f) > currency_index else None
    cap = num(f, 45)
    extra = {
        "turnover": num(f, 37),
        "pe": num(f, 39),
        "market_cap": round(cap * 1e8) if cap is not None else None,  # the field is in 1e8 of the currency
        "high_52w": num(f, 48),
        "low_52w": num(f, 49),
        **specific.pop("extra", {}),
    }
    return Quote(
        symbol=symbol,
        name=quote_name(symbol, text(f, 46), text(f, 1)),
        currency=currency if currency and currency.isalpha() and len(currency) == 3 else default_currency,
        last=last,
        prev_close=num(f, 4),
        open=num(f, 5),
        high=num(f, 33),
        low=num(f, 34),
        change=num(f, 31),
        change_pct=num(f, 32),
        volume=volume(f, 6),
        time=local_time(f[30], tz),
        source=NAME,
        extra=extra,
        **specific,
    )


def parse_hk(symbol: str, f: list[str]) -> Quote | None:
    """An HK line (60, 75 or 78 fields; the currency is third from the end of the 78-field one)."""
    return _quote(symbol, f, currency_index=75 if len(f) >= 78 else len(f), default_currency="HKD", tz=HKT,
                  extra={"dividend_yield": num(f, 47), "lot_size": num(f, 60)})


def parse_us(symbol: str, f: list[str]) -> Quote | None:
    """A US line (69-71 fields); field 42 carries the ADS ratio (`1:8`), field 2 the suffixed code."""
    ratio = text(f, 42)
    return _quote(symbol, f, currency_index=35, default_currency="USD", tz=EASTERN,
                  ads_ratio_hint=ratio if ratio and ":" in ratio else None,
                  extra={"tencent_code": text(f, 2)})  # BABA.N: what the US minute and kline endpoints need


def parse_fx(pair: str, f: list[str]) -> FxRate | None:
    """`whUSDHKD`: 3 = last, 5 = `YYYYMMDDHHMMSS` (Beijing), 6 = previous close."""
    rate = num(f, 3)
    if rate is None or rate <= 0:
        return None
    return FxRate(pair=pair, rate=rate, prev_close=num(f, 6), time=local_time(text(f, 5), BEIJING), source=NAME)


def absorb(body: str, wanted: dict[str, str], wanted_fx: dict[str, str], out: SourceResult) -> None:
    """Parse one batch body into `out`. Raises SourceGarbage when nothing in it is a Tencent line."""
    lines, complete = split_lines(body)
    if not lines and "v_pv_none_match" not in body:
        raise SourceGarbage(NAME, "body has no v_ lines")
    absorb_lines(NAME, lines, complete, wanted, wanted_fx, out, hk_prefix="hk", parse_hk=parse_hk,
                 parse_us=parse_us, parse_fx=parse_fx)


class TencentSource(BatchedTextSource):
    """Quotes and FX from `{base_url}/q=hk00700,usBABA,whUSDHKD`."""

    name = NAME
    path_key = "q"
    fx_codes = codes.TENCENT_FX
    code = staticmethod(codes.tencent)
    absorb = staticmethod(absorb)
