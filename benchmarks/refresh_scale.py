"""One refresh of 500 HK symbols from a loopback server in Tencent's format. Prints JSON.

Figures (DESIGN.md targets): requests per refresh (<= 9: batches of 60), parse time of the 9 bodies,
apply time (write-through of 500 quotes to SQLite in one executemany), and the whole refresh through
the QuoteService (loopback HTTP included). Medians over `--runs`.

    .venv/bin/python benchmarks/refresh_scale.py [--symbols 500] [--runs 15]
"""
from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from loopback import LoopbackServer  # noqa: E402
from quote_lines import tencent_hk  # noqa: E402

from market import codes  # noqa: E402
from market.providers.base import SourceResult  # noqa: E402
from market.providers.http import decode_gb, make_client  # noqa: E402
from market.providers.tencent import TencentSource, absorb  # noqa: E402
from market.service import QuoteService  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.quotes import QuoteStore  # noqa: E402


def ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


async def bench(n: int, runs: int) -> dict:
    symbols = [f"{i:04d}.HK" for i in range(1, n + 1)]
    table = {codes.tencent(s): tencent_hk(codes.hk5(s), name_en=f"STOCK{i}", last=f"{10 + i / 100:.3f}")
             for i, s in enumerate(symbols, 1)}
    server = LoopbackServer(tencent=table)
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(Path(tmp) / "bench.db")
        store = QuoteStore(db)
        client = make_client(5.0)
        service = QuoteService([TencentSource(client, server.url, 10.0)], store=store, client=client)
        try:
            await service.refresh(symbols, ())  # warm-up: connections, SQLite pages
            server.requests.clear()
            snap = await service.refresh(symbols, ())
            requests = len(server.requests)
            answered = sum(1 for q in snap.quotes.values() if not q.stale)

            refresh_times = []
            for _ in range(runs):
                t0 = time.perf_counter()
                await service.refresh(symbols, ())
                refresh_times.append(time.perf_counter() - t0)

            bodies = []
            for i in range(0, n, 60):
                batch = [codes.tencent(s) for s in symbols[i:i + 60]]
                response = await client.get(f"{server.url}/q={','.join(batch)}")
                bodies.append((decode_gb(response.content), dict(zip(batch, symbols[i:i + 60], strict=True))))
            parse_times, apply_times = [], []
            for _ in range(runs):
                t0 = time.perf_counter()
                out = SourceResult()
                for body, wanted in bodies:
                    absorb(body, wanted, {}, out)
                t1 = time.perf_counter()
                store.save(out.quotes.values())
                t2 = time.perf_counter()
                parse_times.append(t1 - t0)
                apply_times.append(t2 - t1)
        finally:
            await service.aclose()
            db.close()
            server.close()
    parse, apply = statistics.median(parse_times), statistics.median(apply_times)
    return {
        "benchmark": "refresh_scale",
        "symbols": n,
        "answered": answered,
        "requests_per_refresh": requests,
        "target_requests": 9,
        "parse_ms_median": ms(parse),
        "apply_sqlite_ms_median": ms(apply),
        "parse_plus_apply_ms_median": ms(parse + apply),
        "target_parse_plus_apply_ms": 50,
        "refresh_wall_ms_median": ms(statistics.median(refresh_times)),
        "refresh_wall_ms_max": ms(max(refresh_times)),
        "runs": runs,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--symbols", type=int, default=500)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    print(json.dumps(asyncio.run(bench(args.symbols, args.runs)), indent=2))


if __name__ == "__main__":
    main()
