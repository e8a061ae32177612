"""Revenue of a business unit named as the subject or after "at"/"in": sentences written for these tests."""
from __future__ import annotations

import pytest

from news.extract import extract


def revenue(text: str) -> tuple[str, str | None, float | None]:
    found = [m for m in extract(text).to_json()["metrics"] if "revenue" in m["name"]]
    assert len(found) == 1, found
    return found[0]["name"], found[0]["segment"], found[0]["value"]


@pytest.mark.parametrize(
    "sentence, segment",
    [
        ("Alibaba said its much-followed Cloud Intelligence Group lifted revenue 21% from a year earlier "
         "to RMB 29,110 million.", "cloud_intelligence_group"),
        ("Alibaba said its closely watched Cloud Intelligence Group grew revenue 21% year-over-year "
         "to RMB 29,110 million.", "cloud_intelligence_group"),
        ("Revenue at Baidu Core climbed 2% to RMB 26.3 billion.", "baidu_core"),
        ("Revenue from online games was RMB 24.4 billion.", "online_games"),
        ("JD Retail revenue grew 7% to RMB 226.4 billion, JD.com said.", "retail"),
        ("Alibaba's sales in its international commerce unit rose 29% to RMB 33.4 billion.",
         "international_commerce"),
        ("NetEase said its music division posted revenue of RMB 2.1 billion.", "music"),
        ("Tencent's fintech business generated revenue of RMB 53.1 billion.", "fintech"),
        ("Meituan's core local commerce segment saw revenue rise 18% to RMB 64.6 billion.", "core_local_commerce"),
        ("Online marketing services generated revenue of RMB 17.6 billion, down 3%.", "online_marketing_services"),
        ("Value-added services revenue was RMB 78.1 billion, Tencent said.", "value_added_services"),
        ("Taobao and Tmall Group revenue rose 4% to RMB 98.9 billion.", "taobao_and_tmall_group"),
    ],
)
def test_unit_named_around_revenue_is_a_segment(sentence, segment):
    name, seg, value = revenue(sentence)
    assert (name, seg) == ("segment_revenue", segment)
    assert value is not None


@pytest.mark.parametrize(
    "sentence",
    [
        "Alibaba grew revenue 7% year-over-year to RMB 243.1 billion.",
        "Alibaba Group reported revenue of RMB 243.1 billion.",
        "Xiaomi Corporation reported total revenue of RMB 111.9 billion.",
        "The company grew revenue 7% to RMB 243.1 billion, Alibaba said.",
        "The e-commerce giant posted revenue of RMB 243.1 billion, Alibaba said.",
        "It posted revenue of RMB 243.1 billion, Alibaba said.",
        "Revenue at Alibaba rose 7% to RMB 243.1 billion.",
        "Revenue at the company rose 7% to RMB 243.1 billion, Tencent said.",
        "Revenue in the third quarter rose 7% to RMB 243.1 billion, Tencent said.",
        "Revenue for the quarter was RMB 243.1 billion at Tencent.",
        "Tencent on Wednesday reported revenue of RMB 167.2 billion.",
        "JD.com, Inc. (NASDAQ: JD) on Thursday reported net revenues of RMB 255.6 billion.",
        "On Tuesday, Tencent reported revenue of RMB 167.2 billion, up 8%.",
        "Analysts saw revenue of RMB 167.2 billion for Tencent.",
        "Total Revenue | RMB 167.2 billion | +8%",
        "XPeng Q2 Revenue Jumps 90% To RMB 8.1 Billion",
        "Net revenues were RMB 26.1 billion, up 4% year over year, NetEase said.",
    ],
)
def test_company_and_its_descriptors_are_never_a_segment(sentence):
    assert revenue(sentence)[:2] == ("revenue", None)
