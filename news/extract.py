"""Headline and metric extraction: the companies, moves and key figures in a piece of financial news.

`extract(text)` reads an article, a passage or a headline (plain text or HTML) and returns an
`Extraction`: the companies and tickers it names, its reporting period, its metrics (revenue 280.15
billion yuan, +8% YoY, US$38.58 billion; net income ...; cloud revenue growth 13%) and its stock
moves (BABA +15% HK). `.model_dump()` is exactly what `sinoterm extract --json` prints (DESIGN.md).

The work is split by concern: `extract_text` prepares the text and its sentences, `extract_numbers`
finds every amount and percentage, `extract_lexicon` the metric words, `extract_moves` the share
moves, `extract_roles` what each number is (a translation, a comparison, an estimate), `extract_metrics`
the figures, `extract_period` the period, and `news.tagging` the companies.
Work stays linear in the input and is done only where it can find something: the text's lower case
and its vocabulary (`news.tagging.vocabulary`, the set of its words) are made once and shared, so a
stage sweeps the text with `str.find` only for the words the text has; a pattern `re` would try at
every position runs only where a cheap check (a literal it needs, a first word, a first character)
says it can match, and patterns read the lower-cased text without IGNORECASE. The findings
(`news.findings`) are plain dataclasses built once at the end (`benchmarks/extract_speed.py` and the
extract-speed check measure it; the shared eval set and the tests hold the results fixed).
"""
from __future__ import annotations

import bisect
import re
from typing import Final, cast

from market.instruments import Company
from news.extract_lexicon import find_keywords
from news.extract_metrics import MetricHit, find_metrics
from news.extract_moves import find_moves
from news.extract_numbers import scan
from news.extract_period import find_period
from news.extract_text import Sentences, prepare
from news.findings import Basis, Direction, Extraction, Market, Metric, Move, Period, Status
from news.tagging import Mention, _companies, _lower, _tickers, mentions, vocabulary

_HTML: Final = re.compile(r"(?is)^\s*(?:<!doctype\s+html|<html|<head|<body)|<(?:p|div|article|span|br|h[1-6]|table)\b[^>]*>")
_MAX_SPAN: Final = 400


def looks_like_html(text: str) -> bool:
    head = text[:2000]
    return "<" in head and bool(_HTML.search(head))  # the pattern is tried at every position: skip it when it cannot match


def extract(text: str) -> Extraction:
    """Companies, tickers, period, metrics and moves of one text (plain or HTML)."""
    raw = text or ""
    if looks_like_html(raw):
        from news.article import html_to_text  # selectolax, only for pages

        raw = html_to_text(raw)
    clean = prepare(raw)
    sentences = Sentences(clean)
    nums = scan(clean)
    lower = _lower(clean)
    vocab = vocabulary(lower)
    found = mentions(clean, lower, vocab)
    keywords = find_keywords(clean, lower, vocab)
    companies = _companies(found)
    main = _main_company(found)
    period = find_period(clean, lower)
    move_hits = find_moves(lower, vocab, sentences, nums, keywords, found, main)
    metric_hits = find_metrics(clean, lower, vocab, sentences, nums, keywords,
                               period.quarter if period else None, period.year if period else None,
                               sorted(m.end for m in found))
    starts = [m.start for m in found if m.company is not None]
    named = [m for m in found if m.company is not None]
    metrics = [_metric(h, clean, sentences, starts, named, main) for h in _dedupe(metric_hits)]
    moves = [Move(company=h.company.name_en if h.company else None, pct=h.pct, direction=cast(Direction, h.direction),
                  market=cast("Market | None", h.market), text=_span(clean, sentences, h.start, h.end)) for h in move_hits]
    return Extraction(
        companies=[c.name_en for c in companies],
        tickers=_tickers(found),
        period=Period(label=period.label, end=period.end) if period else None,
        metrics=metrics,
        moves=moves,
    )


def _main_company(found: list[Mention]) -> Company | None:
    counts: dict[str, int] = {}
    first: dict[str, Company] = {}
    for m in found:
        if m.company is not None:
            counts[m.company.id] = counts.get(m.company.id, 0) + 1
            first.setdefault(m.company.id, m.company)
    if not counts:
        return None
    best = max(counts.values())
    return next(c for cid, c in first.items() if counts[cid] == best)


def _metric(h: MetricHit, text: str, sentences: Sentences, starts: list[int], named: list[Mention],
            main: Company | None) -> Metric:
    lo, hi = sentences.span(h.start)
    i = bisect.bisect_right(starts, h.start) - 1
    company = named[i].company if i >= 0 and named[i].start >= lo else main
    return Metric(
        name=h.name, value=_round(h.value), currency=h.currency, usd_value=_round(h.usd_value),
        change_pct=_round(h.change_pct), change_basis=cast("Basis | None", h.change_basis), status=cast(Status, h.status),
        segment=h.segment, company=company.name_en if company else None,
        text=_words(text, lo, hi, h.start, h.end))


def _round(x: float | None) -> float | None:
    if x is None or (type(x) is float and x.is_integer() and -1e12 < x < 1e12):
        return x  # exact already: at most 12 digits
    return float(f"{x:.12g}")  # 33.2 * 1e9 is 33200000000.000004


def _span(text: str, sentences: Sentences, start: int, end: int) -> str:
    """The source words of a figure: from its start to its end, widened to nothing less than a phrase."""
    lo, hi = sentences.span(start)
    return _words(text, lo, hi, start, end)


def _words(text: str, lo: int, hi: int, start: int, end: int) -> str:
    """`_span` for a figure in the sentence text[lo:hi]."""
    if end >= start:  # max(min(start, end), lo), min(max(end, start), max(hi, end)) without the calls
        start = start if start > lo else lo
    else:
        start, end = (end if end > lo else lo), min(start, hi if hi > end else end)
    words = text[start:min(end, start + _MAX_SPAN)]
    if words.isprintable() and "  " not in words and not words.startswith(" ") and not words.endswith(" "):
        return words  # single spaces already (any other white space is unprintable)
    return " ".join(words.split())


def _dedupe(hits: list[MetricHit]) -> list[MetricHit]:
    seen: set[tuple] = set()
    out = []
    for h in hits:
        key = (h.name, h.segment, h.status, h.value, h.change_pct)
        if key not in seen:
            seen.add(key)
            out.append(h)
    return out
