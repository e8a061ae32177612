"""Extraction speed: `news.extract.extract` on a ~4 KB results article, median ms per call.

The article is written for this benchmark in the style of results news (press-release highlights,
a wire story with moves and estimates, a flattened table) and is dense with figures, so it is a
hard case. The calls repeat on the same text; nothing is cached between calls. Also printed:
articles per second, which extractor ran (`compiled` by mypyc as `make` builds it, or the source:
`news.NATIVE`), and a pure-Python calibration loop, so a figure from a slow or loaded machine
can be read against it. Target (DESIGN.md): <= 2 ms median.

    .venv/bin/python benchmarks/extract_speed.py [--runs 300]
    SINOTERM_NATIVE=0 .venv/bin/python benchmarks/extract_speed.py   # the pure-Python extractor
"""
from __future__ import annotations

import argparse
import time

from _common import check, emit, summary

import news
from news.extract import extract

TARGET_MS = 2.0

PARAGRAPHS = [
    "HANGZHOU, China, Nov. 14, 2025 -- Bilibili Inc. (NASDAQ: BILI and HKEX: 9626) today announced its "
    "unaudited financial results for the third quarter ended September 30, 2025.",
    "Total net revenues were RMB7.69 billion (US$1.08 billion), an increase of 5% from the same period of 2024. "
    "Revenues from advertising were RMB2.57 billion (US$360.9 million), representing an increase of 23%.",
    "Gross margin was 36.7%, an increase of 1.8 percentage points. Net loss was RMB469.4 million "
    "(US$65.9 million), or RMB1.12 per ADS, after a net loss of RMB1.36 billion in the prior year period.",
    "Average daily active users reached 117.3 million and monthly active users reached 376.1 million, "
    "representing increases of 9% and 8%, respectively, from the same period in 2024.",
    "Shares of Xpeng (9868.HK) jumped 11.2% to HK$93.05 in Hong Kong, while its U.S.-listed shares (XPEV.N) "
    "rose 8.4% in premarket trading. The Hang Seng Tech Index fell 0.6%.",
    "The carmaker's Q3 revenue surges 101.8% y/y; net loss narrows to 380 mln yuan ($53.3 mln) from year-ago "
    "1.81 bln yuan. It expects deliveries of between 125,000 and 132,000 vehicles in the fourth quarter.",
    "JD.com (NASDAQ: JD) drops 3.4% premarket on mixed Q3 results that beat on revenue with a 14.9% Y/Y "
    "revenue growth. Q4 guidance has revenue of RMB352.1B compared to the consensus RMB357.4B.",
    "Alibaba's cloud revenue growth reignited to double digits at 26%, while adjusted EBITA decreased by 78% YoY. "
    "Net income rose 22% to RMB21.0 billion (US$2.95 billion), compared with the 18.8 billion-yuan average "
    "of 21 estimates.",
    "Meituan fell more than 4%, trading at HK$101.3 by the press time, with a turnover of HK$3.2 billion. "
    "Its core local commerce revenue rose 5.9% to RMB68.9 billion.",
    "Tencent adds $21 billion in value as shares surge 6 percent. Revenue was RMB192.9 billion, up 15% "
    "year-on-year, and capital expenditures were RMB13.0 billion.",
    "Ryan Cohen holds about 5 million shares worth roughly $700 million. The company completed its US$5.0 "
    "billion share repurchase program and launched a new US$20.0 billion program through March 2027.",
    "| Item | Q3 Data | YoY Change |\n| Total Revenue | ~\u00a5192.9 billion | +15% |\n"
    "| Net Profit | ~\u00a563.1 billion | +19% |\n| Advertising Revenue | +21% | AI ad efficiency |",
    "Kuaishou's shares [HKG: 1024] ended 5.3 percent down at HKD66.10 (USD8.45) each after plunging by as much "
    "as 8.9 percent. Revenue rose 14.2 percent to CNY35.6 billion in the three months ended September 30.",
    "NetEase reported third-quarter revenue of $3.9 billion, up 8.2% year over year but $35 million below "
    "the average analyst estimate. Games and related value-added services net revenues were RMB23.3 billion.",
]


def article(size: int = 4096) -> str:
    text = "\n".join(PARAGRAPHS)
    while len(text) < size:
        text += "\n" + text
    return text[:size]


def calibration_ms() -> float:
    """Best of 20 runs of sum(range(100_000)): about 0.7 ms on a typical 2020s desktop core."""
    best = float("inf")
    for _ in range(20):
        t0 = time.perf_counter()
        sum(range(100_000))
        best = min(best, time.perf_counter() - t0)
    return best * 1000


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=300)
    args = ap.parse_args()
    text = article()
    x = extract(text)  # warm-up: imports, the directory, compiled patterns
    times = []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        extract(text)
        times.append(time.perf_counter() - t0)
    ms = summary(times, 1000)
    emit("extract_speed", [check("extract median on a 4 KB article", ms["median"], TARGET_MS, "ms")],
         article_bytes=len(text.encode()), ms=ms, articles_per_second=round(1000 / ms["median"], 1),
         metrics=len(x.metrics), moves=len(x.moves), extractor=news.NATIVE,
         calibration_ms=round(calibration_ms(), 3))


if __name__ == "__main__":
    main()
