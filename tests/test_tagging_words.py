"""The word finders under tagging and extraction: a text's vocabulary, word sets and whole-word sweeps."""
from __future__ import annotations

import re

from news.tagging import WordSet, _lower, find_words, folds_oddly, mentions, vocabulary


def test_vocabulary_holds_the_ascii_runs_of_lower_cased_text():
    vocab = vocabulary("alibaba's q3 revenue, \u00a5192.9 bn; caf\u00e9 s&p-500 \u963f\u91cc")
    assert {b"alibaba", b"s", b"q3", b"revenue", b"192", b"9", b"bn", b"caf", b"p", b"500"} == vocab


def test_a_word_set_offers_only_words_whose_first_run_the_text_has():
    words = WordSet(["share price", "shares", "american depositary shares", "\u51c0\u5229\u6da6"])
    assert sorted(words.present(vocabulary("the shares rose"))) == ["shares", "\u51c0\u5229\u6da6"]
    assert sorted(words.present(vocabulary("american depositary receipts"))) == [
        "american depositary shares", "\u51c0\u5229\u6da6"]


def test_spans_take_the_longest_word_at_a_word_start_without_overlaps():
    words = WordSet(["share", "share price", "shares", "american depositary shares", "price"])
    lower = "the share price and xshares, shares-based, american depositary shares."
    found = [lower[s:e] for s, e in words.spans(lower, vocabulary(lower))]
    assert found == ["share price", "american depositary shares"]


def test_name_spans_allow_a_plural_or_a_possessive():
    words = WordSet(["alibaba", "alibaba group"], plurals=True)
    lower = "alibabas and alibaba's alibaba group-s, alibabaz"
    assert [lower[s:e] for s, e in words.spans(lower, vocabulary(lower), names=True)] == [
        "alibaba", "alibaba", "alibaba group"]


def test_find_words_finds_whole_words_only_and_the_longest_first():
    lower = "net revenues and revenue, prerevenue revenue_x top-line"
    found = [w for _, _, w in find_words(lower, ["revenue", "revenues", "top-line", "line"])]
    assert found == ["revenues", "revenue", "top-line"]


def test_three_letters_fold_to_ascii_only_under_ignorecase():
    for ch in "\u0130\u0131\u017f":  # they stay themselves in `_lower`, yet IGNORECASE matches them to i or s
        assert re.fullmatch("(?i)[is]", ch) and folds_oddly(_lower("x" + ch))
    assert not folds_oddly(_lower("Plain ASCII \u00e9 \u4e2d K"))


def test_mentions_find_names_next_to_tickers_in_text_with_many_forms():
    text = "Alibaba (NYSE: BABA) and Tencent Holdings (0700.HK) rose; ticker: BIDU fell; XPEV.N, [HKG: 9888]"
    found = [(text[m.start:m.end], m.symbol) for m in mentions(text)]
    assert found == [("Alibaba", None), ("NYSE: BABA", "BABA"), ("Tencent Holdings", None), ("0700.HK", "0700.HK"),
                     ("ticker: BIDU", "BIDU"), ("XPEV.N", "XPEV"), ("HKG: 9888", "9888.HK")]
