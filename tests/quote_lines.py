"""Quote lines in each source's wire format, built for the tests (names and numbers are our own).

Builders put every field the parsers read at its documented index (reference/providers.md) and
filler elsewhere, at the field counts the real layouts have had over the years.
"""
from __future__ import annotations


def tencent_hk(code: str = "09988", *, name_zh: str = "测试科技", name_en: str = "TESTTECH", last: str = "101.500",
               prev: str = "100.000", open_: str = "100.200", high: str = "102.300", low: str = "99.800",
               volume: str = "2500000.0", stamp: str = "2026/03/12 16:08:05", change: str = "1.500",
               pct: str = "1.50", n_fields: int = 78, currency: str = "HKD") -> str:
    """The fields of an HK line (`v_hk09988="..."` value) with 60, 75 or 78 fields."""
    f = ["0"] * n_fields
    f[0], f[1], f[2], f[3], f[4], f[5], f[6] = "100", name_zh, code, last, prev, open_, volume
    f[30], f[31], f[32], f[33], f[34], f[35], f[36] = stamp, change, pct, high, low, last, volume
    f[37], f[39], f[40], f[45], f[46], f[48], f[49] = "253750000.0", "11.20", "", "2150.5", name_en, "130.0", "70.5"
    if n_fields > 60:
        f[60], f[63] = "500", "GP"
    if n_fields >= 78:
        f[75], f[76], f[77] = currency, "1", "50"
    return "~".join(f)


def tencent_us(ticker: str = "BIDU", *, suffix: str = "OQ", name_zh: str = "测试美股", name_en: str = "Test Corp ADR",
               last: str = "88.20", prev: str = "90.00", open_: str = "89.50", high: str = "90.40", low: str = "87.90",
               volume: str = "4100000", stamp: str = "2026-03-11 16:00:02", change: str = "-1.80",
               pct: str = "-2.00", ratio: str = "1:8", n_fields: int = 71) -> str:
    """The fields of a US line (`v_usBIDU="..."` value), 69-71 fields, ADS ratio at 42."""
    f = ["0"] * n_fields
    f[0], f[1], f[2], f[3], f[4], f[5], f[6] = "200", name_zh, f"{ticker}.{suffix}", last, prev, open_, volume
    f[29] = ""
    f[30], f[31], f[32], f[33], f[34], f[35], f[36] = stamp, change, pct, high, low, "USD", volume
    f[37], f[39], f[42], f[45], f[46], f[48], f[49] = "361620000", "9.8", ratio, "301.7", name_en, "120.10", "70.05"
    return "~".join(f)


def tencent_fx(pair: str = "USDHKD", rate: str = "7.8123", prev: str = "7.8101",
               stamp: str = "20260312153000") -> str:
    f = ["0"] * 22
    f[0], f[1], f[2], f[3], f[5], f[6] = "310", "美元港元", pair, rate, stamp, prev
    f[12], f[13], f[21] = "0.0022", "0.03", stamp[:4] + "-" + stamp[4:6] + "-" + stamp[6:8]
    return "~".join(f)


def sina_hk(*, name_en: str = "TESTTECH", name_zh: str = "测试科技", open_: str = "100.200", prev: str = "100.000",
            high: str = "102.300", low: str = "99.800", last: str = "101.400", volume: str = "2400000",
            date: str = "2026/03/12", clock: str = "16:08:07") -> str:
    """An `rt_hk` value: 25 comma-separated fields."""
    f = [name_en, name_zh, open_, prev, high, low, last, "1.400", "1.400", "101.300", "101.400",
         "243000000.000", volume, "11.100", "0.000", "130.000", "70.500", date, clock,
         "100|0", "N|Y|Y", "101.400|96.300|106.500", "0|||0.000|0.000|0.000", " |0", "Y"]
    return ",".join(f)


def sina_us(*, name: str = "测试美股", last: str = "88.1000", pct: str = "-2.11", beijing: str = "2026-03-12 04:00:01",
            change: str = "-1.9000", open_: str = "89.5000", high: str = "90.4000", low: str = "87.9000",
            volume: str = "4000000", prev: str = "90.0000") -> str:
    """A `gb_` value: 36 fields, time in Beijing time at index 3, previous close at 26."""
    f = [name, last, pct, beijing, change, open_, high, low, "120.10", "70.05", volume, "5200000",
         "30000000000", "6.10", "14.44", "0", "0", "0", "0", "340000000", "70", "88.3000", "0.23", "0.2000",
         "Mar 11 07:59PM EDT", "Mar 11 04:00PM EDT", prev, "0", "1", "2026", "352000000.0000", "0", "0", "0", "0",
         prev]
    return ",".join(f)


def sina_fx(*, rate: str = "7.8130", prev: str = "7.8100", date: str = "2026-03-12", clock: str = "15:30:00") -> str:
    f = [clock, rate, "7.8135", prev, "30", "7.8100", "7.8150", "7.8090", rate, "美元港元", "0.04", "0.0030",
         "0.0006", "测试报价源", "7.8500", "7.7500", "", date]
    return ",".join(f)


def tencent_body(lines: dict[str, str | None]) -> bytes:
    """A `qt.gtimg.cn` body: `v_code="...";` per code, `v_pv_none_match` for a None value."""
    out = [f'v_{code}="{value}";' if value is not None else 'v_pv_none_match="1";' for code, value in lines.items()]
    return ("\n".join(out) + "\n").encode("gb18030")


def sina_body(lines: dict[str, str]) -> bytes:
    out = [f'var hq_str_{code}="{value}";' for code, value in lines.items()]
    return ("\n".join(out) + "\n").encode("gb18030")
