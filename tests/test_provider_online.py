"""Contract tests against the real endpoints. Marked `online`: skipped unless SINOTERM_ONLINE=1.

They check shape, not values: the layouts still parse, timestamps are aware, unknown codes are
reported as unknown, and the history endpoints return ordered bars.
"""
from __future__ import annotations

import pytest

from config.models import Settings
from market.providers.history import TencentHistory
from market.providers.http import make_client
from market.providers.sina import SinaSource
from market.providers.tencent import TencentSource
from market.providers.yahoo import YahooSource

pytestmark = pytest.mark.online
PROVIDERS = Settings().providers


@pytest.fixture
async def client():
    async with make_client(8.0) as c:
        yield c


@pytest.mark.parametrize("make", [
    lambda c: TencentSource(c, PROVIDERS.tencent.base_url),
    lambda c: SinaSource(c, PROVIDERS.sina.base_url),
    lambda c: YahooSource(c, PROVIDERS.yahoo.base_url),
])
async def test_live_quotes_parse(client, make):
    result = await make(client).fetch(["0700.HK", "9988.HK", "BABA", "ZZZZQX"], ["USDHKD"])
    for symbol in ("0700.HK", "9988.HK", "BABA"):
        q = result.quotes[symbol]
        assert q.last and q.last > 0 and q.time is not None and q.time.utcoffset() is not None
    assert "ZZZZQX" not in result.quotes
    assert 7.7 <= result.fx["USDHKD"].rate <= 7.9  # the HKD peg band


async def test_live_tencent_history(client):
    history = TencentHistory(client, PROVIDERS.tencent.history_url)
    bars = await history.daily("BABA", count=20)
    assert len(bars) >= 10 and all(b.low <= b.close <= b.high for b in bars)
    assert [b.time for b in bars] == sorted(b.time for b in bars)
