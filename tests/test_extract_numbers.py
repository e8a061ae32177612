"""Amounts in every form news prints them, and the text preparation in front of the scan."""
from __future__ import annotations

import pytest

from news.extract_numbers import plausible_usd, scan
from news.extract_text import Sentences, prepare


def one(text: str):
    nums = scan(prepare(text))
    assert len(nums) == 1, nums
    return nums[0]


@pytest.mark.parametrize(
    "text, value, currency",
    [
        ("RMB412.7 billion", 412.7e9, "CNY"),
        ("Rmb8.2 billion", 8.2e9, "CNY"),
        ("rmb 3bn", 3e9, "CNY"),
        ("96.3 billion yuan", 96.3e9, "CNY"),
        ("a 51.2 billion-yuan figure", 51.2e9, "CNY"),
        ("CNY77.04 billion", 77.04e9, "CNY"),
        ("~\u00a5150.5 billion", 150.5e9, "CNY"),
        ("US$2.25 billion", 2.25e9, "USD"),
        ("$640 million", 640e6, "USD"),
        ("USD 12.5 mln", 12.5e6, "USD"),
        ("$4.4B", 4.4e9, "USD"),
        ("$900m", 900e6, "USD"),
        ("HK$318 million", 318e6, "HKD"),
        ("HKD1.2bn", 1.2e9, "HKD"),
        ("2.6 bln yuan", 2.6e9, "CNY"),
        ("RMB1.1 trillion", 1.1e12, "CNY"),
        ("RMB85 thousand", 85e3, "CNY"),
        ("3150\u4ebf\u5143", 315e9, "CNY"),
        ("45\u4e07\u5143", 45e4, "CNY"),
        ("64 cents", 0.64, "USD"),
        ("RMB2,418.6 million", 2418.6e6, "CNY"),
        ("8.07 Chinese yuan", 8.07, "CNY"),
        ("12 Hong Kong dollars", 12.0, "HKD"),
        ("300 yen", 300.0, "JPY"),
    ],
)
def test_money_forms(text, value, currency):
    n = one(text)
    assert n.kind == "money"
    assert n.value == pytest.approx(value)
    assert n.currency == currency


def test_percent_forms_and_signs():
    nums = scan("up 7.5% then -2.25% and +11 per cent, 3 percent, 4 pct, 2.5 percentage points")
    assert [(n.kind, n.value, n.sign) for n in nums] == [
        ("pct", 7.5, 0), ("pct", 2.25, -1), ("pct", 11.0, 1), ("pct", 3.0, 0), ("pct", 4.0, 0), ("pp", 2.5, 0)]


def test_plain_counts_and_words_with_digits():
    nums = scan("Q3 saw 82,300 new models and 14.6 million users in H20 chips")
    assert [(n.kind, n.value) for n in nums] == [("num", 82300.0), ("num", 14.6e6)]


def test_parenthesised_table_value_is_negative():
    nums = scan("Operating loss | (1,204.5) | (880.1)")
    assert [(n.value, n.sign) for n in nums] == [(1204.5, -1), (880.1, -1)]


def test_fused_footnote_digit_with_space_is_dropped():
    n = one("US$2 17.4 billion")
    assert n.value == pytest.approx(17.4e9)


def test_fused_footnote_digit_repaired_against_exchange_rate():
    assert plausible_usd(120.5e9, "CNY", 316_900e6) == pytest.approx(16_900e6)
    assert plausible_usd(120.5e9, "CNY", 16.9e9) == 16.9e9          # already plausible
    assert plausible_usd(120.5e9, "CNY", 44e9) == 44e9               # a source's own error stays


def test_prepare_removes_noise():
    text = prepare("Sales rose to CN\u0d72Y9 bi\u2649llion; MAUs2 reached 5 million [3], GMV(1) up 12, 4% \u201cquoted\u201d")
    assert "CNY9 billion" in text
    assert "MAUs reached" in text and "[3]" not in text and "GMV up" in text
    assert "12.4%" in text and '"quoted"' in text


def test_prepare_drops_quote_widget_boxes():
    text = prepare("Shares of Foo Inc. BABA,\n+3.10%\nrose 2% and (NTES 0.49%) too")
    assert "3.10" not in text and "0.49" not in text and "rose 2%" in text


def test_prepare_strips_controls_and_bounds_input():
    text = prepare("a\x1b[2Jb\x07c" + "x" * 500_000)
    assert "\x1b" not in text and "\x07" not in text
    assert len(text) <= 200_001


def test_sentences_keep_abbreviations_and_split_rows():
    text = prepare("Foo Inc. rose 3% in the U.S. market. Revenue fell.\n| Net Profit | RMB 5 billion |")
    spans = [text[a:b].strip() for a, b in Sentences(text).spans]
    assert spans[0] == "Foo Inc. rose 3% in the U.S. market."
    assert spans[1] == "Revenue fell."
    assert spans[2].startswith("| Net Profit")
