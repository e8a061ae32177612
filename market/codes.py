"""Each source's code for a canonical symbol, derived in one place (reference/providers.md).

Tencent `hk09988` / `r_hk09988` / `usBABA`, Sina `rt_hk09988` / `gb_baba`, Yahoo `9988.HK` / `BABA`,
Eastmoney `116.09988` / `105.BABA` (Nasdaq) or `106.BABA` (NYSE).
"""
from __future__ import annotations

from market.instruments import directory


def is_hk(symbol: str) -> bool:
    return symbol.endswith(".HK")


def hk5(symbol: str) -> str:
    """`9988.HK` -> `09988`: the five-digit code both Chinese sources use."""
    return f"{int(symbol.removesuffix('.HK')):05d}"


def tencent(symbol: str) -> str:
    return f"hk{hk5(symbol)}" if is_hk(symbol) else f"us{symbol.upper().replace('.', '')}"


def sina(symbol: str) -> str:
    return f"rt_hk{hk5(symbol)}" if is_hk(symbol) else f"gb_{symbol.lower().replace('.', '$')}"


def yahoo(symbol: str) -> str:
    return symbol if is_hk(symbol) else symbol.replace(".", "-")


def eastmoney(symbol: str) -> str:
    if is_hk(symbol):
        return f"116.{hk5(symbol)}"
    company = directory().company_of(symbol)
    exchange = company.us_exchange if company else None
    return f"{106 if exchange == 'NYSE' else 105}.{symbol}"


TENCENT_FX = {"USDHKD": "whUSDHKD", "USDCNY": "whUSDCNY"}
SINA_FX = {"USDHKD": "fx_susdhkd", "USDCNY": "fx_susdcny", "USDCNH": "fx_susdcnh"}
YAHOO_FX = {"USDHKD": "HKD=X", "USDCNY": "CNY=X", "USDCNH": "CNH=X"}
