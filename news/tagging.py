"""Which companies a text is about: names in English and Chinese, aliases and tickers in news forms.

News names a company many ways: "Alibaba Group Holding", "\u963f\u91cc\u5df4\u5df4", "BABA", "NYSE: BABA",
"9988.HK", "(HK:9988)", "[HKG: 9888]", "HKEX 00700", "SEHK: 700", a bare "(09961)", "XPEV.N",
"PDD.US", "(ticker: BABA)". Names are found with a `str.find` sweep for each one the text's vocabulary
holds (`vocabulary`, `WordSet`); tickers with one regex, built once from `market.instruments.directory()`,
tried only where one of its forms can start. Short tickers are the trap: "JD" is a word only in upper case and "LI" is a
ticker only where the text marks it as one (an exchange prefix, parentheses, a suffix), never as a
bare word, so "LI" in a sentence or "jd" inside a word never tags anyone.
"""
from __future__ import annotations

import os
import re
from collections.abc import Iterable
from functools import cache
from itertools import takewhile
from typing import Final, NamedTuple

from market.instruments import Company, Directory, SymbolError, directory

_US_EXCHANGES: Final = r"NYSE|NASDAQ|Nasdaq|NasdaqGS|NYSEARCA|NYSE\s?American|AMEX|OTC|SGX|US"
_HK_EXCHANGES: Final = r"HKEX|HKSE|SEHK|HKG|HK|Hong\s+Kong"
_HK_SPACED: Final = r"HKEX|SEHK|HKG"           # written with a space before the code: "HKEX 00700"
_US_SUFFIXES: Final = r"N|O|OQ|US|K"           # "XPEV.N", "PDD.US"


class Mention(NamedTuple):
    """One place a company (or a ticker) is named; `symbol` is set when the text used a ticker."""

    start: int
    end: int
    company: Company | None
    symbol: str | None


def trie_regex(words: list[str]) -> str:
    """One regex alternation for many literal words, shaped as a prefix tree.

    Python's `re` tries the branches of a flat alternation one by one at every position; sharing
    prefixes means only the branch that fits is followed, which makes a 100-name pattern about
    twenty times faster (the whole tagger runs in a fraction of a millisecond per article).
    """
    root: dict = {}
    for w in words:
        node = root
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        alts = [re.escape(ch) + emit(sub) for ch, sub in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(root)


_TOKEN_BYTES: Final = bytes(c if 48 <= c <= 57 or 97 <= c <= 122 else 32 for c in range(256))
_FIRST_RUN: Final = re.compile(r"[a-z0-9]+")


def vocabulary(lower: str) -> frozenset[bytes]:
    """The ASCII words of a lower-cased text (runs of a-z and 0-9), found in a few C-speed passes.

    A word or phrase can only be in the text if its first run is in here, so each stage sweeps for
    the few of its words the text has instead of all of them.
    """
    return frozenset(lower.encode("utf-8", "replace").translate(_TOKEN_BYTES).split())


class WordSet:
    """Words and phrases looked for in lower-cased text, indexed by their first run (see `vocabulary`)."""

    def __init__(self, words: list[str] | tuple[str, ...], plurals: bool = False):
        self.by_key: dict[bytes, list[str]] = {}
        self.alias: dict[bytes, bytes] = {}  # "alibabas" holds "alibaba"
        self.always: list[str] = []  # Chinese, or led by a symbol: not in any vocabulary
        for w in words:
            run = _FIRST_RUN.match(w)
            if run is None:
                self.always.append(w)
                continue
            key = run.group().encode()
            self.by_key.setdefault(key, []).append(w)
            if plurals and run.end() == len(w):
                self.alias[key + b"s"] = key
        for found in self.by_key.values():
            found.sort(key=len, reverse=True)
        # What `spans` looks for: the longest start the words of a key share ("s&p 500", not "s").
        starts = {key: os.path.commonprefix(found) for key, found in self.by_key.items()}
        # A sweep for "share" also finds every "shares": where one start begins another, the shorter one's
        # sweep checks both keys' words (longest first), and the longer one is swept only on its own.
        self.sweep: dict[bytes, tuple[str, list[str]]] = {}
        self.inside: dict[bytes, list[bytes]] = {}  # "shares": [b"share"], the keys whose sweep finds it
        for key, start in starts.items():
            longer = [k for k, s in starts.items() if k != key and s.startswith(start)]
            self.sweep[key] = (start, sorted([w for k in (key, *longer) for w in self.by_key[k]], key=len, reverse=True))
            for k in longer:
                self.inside.setdefault(k, []).append(key)
        self.keys = frozenset(self.by_key)
        self.alias_keys = frozenset(self.alias)

    def _present_keys(self, vocab: frozenset[bytes]) -> set[bytes]:
        keys = set(self.keys & vocab)
        for alias in self.alias_keys & vocab:
            keys.add(self.alias[alias])
        return keys

    def present(self, vocab: frozenset[bytes]) -> list[str]:
        """The words a text with this vocabulary may contain."""
        found = self.always[:]
        for key in self._present_keys(vocab):
            found += self.by_key[key]
        return found

    def spans(self, lower: str, vocab: frozenset[bytes], names: bool = False) -> list[tuple[int, int]]:
        """(start, end) of each word starting a word in `lower` and ending one (no letter, digit, "_" or
        "-" next), or for `names` ending where a name does (`_ends_name`: "Alibaba's", "Alibabas").

        Where several fit at one place the longest wins, and later ones overlapping it are skipped:
        what an alternation regex followed by a word-start check finds, without trying `re` at
        every position. One `str.find` sweep per start the words share, not per word, and one for
        "share" and "shares" both.
        """
        longest: dict[int, int] = {}
        find = lower.find
        size = len(lower)
        keys = self._present_keys(vocab)
        sweeps = [self.sweep[key] for key in keys if keys.isdisjoint(self.inside.get(key, ()))]
        for run, words in sweeps + [(w, [w]) for w in self.always]:
            i = find(run)
            while i >= 0:
                if i == 0 or not (lower[i - 1].isalnum() or lower[i - 1] in "_-"):  # `word_start`
                    for w in words:  # longest first
                        e = i + len(w)
                        if lower.startswith(w, i) and (
                                _ends_name(lower, e) if names
                                else e >= size or not (lower[e].isalnum() or lower[e] in "_-")):
                            longest[i] = e
                            break
                i = find(run, i + 1)
        out = []
        last = 0
        for i in sorted(longest):
            if i >= last:
                last = longest[i]
                out.append((i, last))
        return out


def _ends_name(text: str, i: int) -> bool:
    """A name (never empty) ends at `i`, or after a plural "s" there (regex `(?=s?\\b)`)."""
    n = len(text)
    after = i < n and (text[i].isalnum() or text[i] == "_")
    if after and text[i] == "s" and not (i + 1 < n and (text[i + 1].isalnum() or text[i + 1] == "_")):
        return True
    return (0 < i <= n and (text[i - 1].isalnum() or text[i - 1] == "_")) != after


def _may_lead(text: str, i: int) -> bool:
    """Can a ticker pattern match start at `i`? "$" needs a capital after it, a bracket a capital or a
    digit, and every other form a word start (`\\b`). Half the places swept for fail this, and a failed
    `re` call costs several times as much as the check."""
    c = text[i]
    if c == "$" or c == "(" or c == "[":
        n = text[i + 1: i + 2]
        return "A" <= n <= "Z" or (c != "$" and n.isdecimal())
    return i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")


def word_start(text: str, i: int) -> bool:
    """True when position `i` begins a word (nothing alphanumeric just before it)."""
    return i == 0 or not (text[i - 1].isalnum() or text[i - 1] in "_-")


def find_words(lower: str, words: Iterable[str], stop: int | None = None) -> list[tuple[int, int, str]]:
    """(start, end, word) of every whole-word occurrence of `words` in `lower`, in order, without overlaps.

    One `str.find` sweep per word, or per word that starts others ("revenue" finds "revenues" too):
    for a few dozen words this is several times faster than one alternation regex, which `re` tries
    at every position whose letter could begin a word. Words that are not ASCII (Chinese) match
    anywhere; ASCII ones must start and end a word.
    """
    stop = len(lower) if stop is None else stop
    size = len(lower)
    find = lower.find
    hits = []
    groups: list[list[str]] = []  # sorted, a word follows the word it starts with
    for w in sorted(words):
        if groups and w.startswith(groups[-1][0]):
            groups[-1].append(w)
        else:
            groups.append([w])
    for group in groups:
        lead = group[0]
        # In text with other non-ASCII letters, sweeping for a Chinese word is as slow as for any word,
        # while a search for one character is many times faster.
        if not lead.isascii() and find(lead[0], 0, stop) < 0:
            continue
        i = find(lead, 0, stop)
        while i >= 0:
            for w in group:
                e = i + len(w)
                if (w is lead or lower.startswith(w, i, stop)) and (not w.isascii() or (
                        (i == 0 or not (lower[i - 1].isalnum() or lower[i - 1] == "_"))
                        and (e >= size or not (lower[e].isalnum() or lower[e] == "_")))):
                    hits.append((i, -e, w))  # sorted: by start, the longest first
            i = find(lead, i + 1, stop)
    hits.sort()
    out: list[tuple[int, int, str]] = []
    last = 0
    for i, e, w in hits:
        if i >= last:
            out.append((i, -e, w))
            last = -e
    return out


class _Tagger:
    """The compiled patterns and the lookups behind them."""

    def __init__(self, d: Directory):
        self.directory = d
        names: dict[str, Company] = {}
        for c in d.companies:
            for n in (c.name_en, c.name_zh, *c.aliases):
                if n and (len(n) > 3 or not n.isascii() or (n == c.name_en and len(n) == 3)):
                    names.setdefault(n.casefold(), c)
        self.names = names
        self.short = {n: c for c in d.companies for n in (c.name_en, *c.aliases)
                      if n.isascii() and len(n) <= 3 and n.isupper() and n not in ("LI",)}
        self.us = {c.us_symbol: c for c in d.companies if c.us_symbol}
        self.normalised = {t: d.normalise(t) for t in self.us}  # `normalise` is interpreted Python: once here
        ascii_names = [n for n in names if n.isascii()]
        zh_names = sorted((n for n in names if not n.isascii()), key=len, reverse=True)
        bare = sorted({t for t in self.us if len(t) >= 3} | set(self.short), key=len, reverse=True)
        # English names on the lower-cased text; Chinese names and tickers on the text as written.
        # "9988.HK" is looked for only next to ".hk": digits are everywhere in news.
        self.hk_suffix = re.compile(r"\b(?P<hk3>\d{1,5})\.[Hh][Kk]\b")
        self.ascii_names = WordSet(ascii_names, plurals=True)
        self.zh_marks = frozenset(next(ch for ch in n if not ch.isascii()) for n in zh_names)  # one a name needs
        self.zh_pattern = re.compile("|".join(re.escape(n) for n in zh_names))
        # Where `pattern` can start: the literal each alternative begins with ("NYSE", "HK", "$", "(",
        # "ticker", a bare ticker), or the capitals before a ".N"-style suffix. Only there is it tried:
        # `re` would try it at every position.
        exchanges = f"{_US_EXCHANGES}|{_HK_EXCHANGES}|{_HK_SPACED}".split("|")
        leads = {"".join(takewhile(str.isalpha, alt)) for alt in exchanges}
        leads = {w for w in leads if not any(w != o and w.startswith(o) for o in leads)}
        # An exchange is a word of its own (`\b` before it, a space or ":" after), so its lead is swept for
        # only when the vocabulary holds a word it starts: "hk" or "hkex" for "HK", "nyse" or
        # "nyseamerican" for "NYSE". Anything else the pattern finds there is found from another start.
        self.exchange_words: dict[str, set[bytes]] = {w: set() for w in leads}
        for alt in exchanges:
            head, _, tail = alt.partition("\\s")
            lead = next(w for w in leads if alt.startswith(w))
            self.exchange_words[lead].add(head.lower().encode())
            if tail.startswith("?"):  # "NYSE\s?American" is also "nyseamerican"
                self.exchange_words[lead].add((head + tail[1:]).lower().encode())
        self.leads = ["$", "(", "[", "ticker"]
        firsts = "".join(sorted({x[0] for x in _US_SUFFIXES.split("|")}))
        self.suffix_dot = re.compile(rf"\.[{firsts}]")  # ".N", ".O", ".US", ".K": led by a literal, so fast
        self.bare = {t.lower().encode(): t for t in bare}
        self.pattern = re.compile(
            rf"(?=[A-Z$(\[t])(?:(?P<ust>(?:\b(?:{_US_EXCHANGES})\s?:\s?|\bticker:?\s?|\$)(?P<us>[A-Z]{{1,5}})\b)"
            rf"|(?P<hkt>\b(?:{_HK_EXCHANGES})\s?:\s?(?P<hk>\d{{1,5}})\b|\b(?:{_HK_SPACED})\s(?P<hk2>\d{{3,5}})\b)"
            rf"|(?P<uss>\b(?P<us2>[A-Z]{{1,5}})\.(?:{_US_SUFFIXES})\b)"
            r"|(?P<par>[(\[](?:(?P<hk4>\d{4,5})|(?P<us3>[A-Z]{2,5}))(?=[)\]]))"
            rf"|(?P<bare>\b(?:{trie_regex(bare)})\b))"
        )

    def ticker_matches(self, text: str, vocab: frozenset[bytes]) -> list[re.Match[str]]:
        """What `pattern.finditer(text)` finds, trying the pattern only where it can start."""
        find = text.find
        starts = set()
        leads = [w for w, words in self.exchange_words.items() if not vocab.isdisjoint(words)]
        for lead in self.leads + leads + [t for key, t in self.bare.items() if key in vocab]:
            i = find(lead)
            while i >= 0:
                starts.add(i)
                i = find(lead, i + 1)
        for dot in self.suffix_dot.finditer(text):
            j = dot.start()
            while j > 0 and "A" <= text[j - 1] <= "Z":
                j -= 1
            starts.add(j)
        out = []
        end = 0
        for i in sorted(starts):
            if i >= end and _may_lead(text, i) and (m := self.pattern.match(text, i)):
                out.append(m)
                end = m.end()
        return out

    def hk_matches(self, text: str, lower: str) -> list[re.Match[str]]:
        """What `hk_suffix.finditer(text)` finds: the digits before each ".hk"."""
        out = []
        i = lower.find(".hk")
        while i >= 0:
            j = i
            while j > 0 and i - j <= 5 and text[j - 1].isdecimal():
                j -= 1
            if (m := self.hk_suffix.match(text, j)) is not None:
                out.append(m)
            i = lower.find(".hk", i + 1)
        return out

    def hk(self, code: str, strict: bool) -> tuple[Company | None, str | None]:
        symbol = f"{int(code):04d}.HK" if code.strip("0") else None
        company = self.directory.company_of(symbol) if symbol else None
        if strict and company is None and not (len(code) == 5 and code.startswith("0")):
            return None, None  # "(2019)" is a year, not an unknown HK code
        return company, symbol

    def mention(self, m: re.Match[str]) -> Mention | None:
        kind = m.lastgroup
        start, end = m.start(), m.end()
        if kind == "bare":
            word = m.group()
            company = self.short.get(word) or self.us.get(word)
            is_ticker = word in self.us and word.casefold() not in self.names and word not in self.short
            return Mention(start, end, company, word if is_ticker else None)
        if kind == "hkt":
            company, symbol = self.hk(m.group("hk") or m.group("hk2"), False)
            return Mention(start, end, company, symbol) if symbol else None
        if kind == "par":
            start += 1  # the bracket itself is not the mention
            if m.group("hk4"):
                company, symbol = self.hk(m.group("hk4"), True)
                return Mention(start, end, company, symbol) if symbol else None
        ticker = m.group("us") or m.group("us2") or m.group("us3")
        if kind == "par" and ticker not in self.us:
            return None  # "(ADS)", "(GMV)", "(MAU)": abbreviations in parentheses, not tickers
        if kind == "ust" and m.group().startswith("$") and ticker not in self.us:
            return None  # "$X" cashtags only for names we know, never "$B" from "$B2B"
        symbol = self.normalised.get(ticker)
        if symbol is None:
            try:
                symbol = self.directory.normalise(ticker)
            except SymbolError:
                return None
        return Mention(start, end, self.us.get(ticker), symbol)


@cache
def _tagger() -> _Tagger:
    return _Tagger(directory())


def mentions(text: str, lower: str | None = None, vocab: frozenset[bytes] | None = None) -> list[Mention]:
    """Every company or ticker mention in `text`, in order of appearance.

    `lower` is `text.lower()` and `vocab` its `vocabulary` when the caller already has them.
    """
    tagger = _tagger()
    if lower is None or len(lower) != len(text):
        lower, vocab = _lower(text), None
    if vocab is None:
        vocab = vocabulary(lower)
    names = tagger.names
    out = [Mention(s, e, names.get(lower[s:e]), None) for s, e in tagger.ascii_names.spans(lower, vocab, names=True)]
    if not text.isascii() and any(ch in text for ch in tagger.zh_marks):
        out += [Mention(m.start(), m.end(), tagger.names.get(m.group()), None)
                for m in tagger.zh_pattern.finditer(text)]
    for m in tagger.ticker_matches(text, vocab):
        found = tagger.mention(m)
        if found is not None:
            out.append(found)
    if ".hk" in lower:
        for m in tagger.hk_matches(text, lower):
            company, symbol = tagger.hk(m.group("hk3"), False)
            if symbol:
                out.append(Mention(m.start(), m.end(), company, symbol))
    out.sort(key=lambda x: x.start)
    # A ticker inside a name ("JD" in "JD.com") is the name, not a second mention.
    kept: list[Mention] = []
    for x in out:
        if kept and x.start < kept[-1].end:
            if x.symbol and not kept[-1].symbol:
                kept[-1] = x
            continue
        kept.append(x)
    return kept


def _lower(text: str) -> str:
    """`text.lower()` with offsets kept: the rare letters that lower to two characters stay as they are."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)


def folds_oddly(lower: str) -> bool:
    """Does lower-cased text hold "\u0130", "\u0131" or "\u017f"? Only those match an ASCII letter under
    IGNORECASE without lower-casing to it, so only then does a pattern on `lower` need the flag."""
    return "\u0131" in lower or "\u0130" in lower or "\u017f" in lower


def on_lower(pattern: re.Pattern[str]) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """`pattern` for lower-cased text: without IGNORECASE, which makes `re` fold every character it
    compares, and as it is for the rare text where that differs (index 1 when `folds_oddly`)."""
    return re.compile(pattern.pattern.removeprefix("(?i)")), pattern


def companies_in(text: str) -> list[Company]:
    """The known companies `text` names, in order of first mention."""
    return _companies(mentions(text))


def tickers_in(text: str) -> list[str]:
    """Canonical symbols (`9988.HK`, `BABA`) of the tickers `text` prints, in order, without repeats."""
    return _tickers(mentions(text))


def _companies(found: list[Mention]) -> list[Company]:
    seen: dict[str, Company] = {}
    for m in found:
        if m.company is not None:
            seen.setdefault(m.company.id, m.company)
    return list(seen.values())


def _tickers(found: list[Mention]) -> list[str]:
    return list(dict.fromkeys(m.symbol for m in found if m.symbol))
