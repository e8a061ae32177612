"""The words the extractor keys on: metric names, their segments, and the cue phrases around numbers.

Metric words are found from their last word (a `str.find` sweep for each one the text's vocabulary
has), then the keyword alternatives are tried only at that word and the few lead words before it,
and of them only those that can start with the character there (`extract_dispatch`). The metric
vocabulary is DESIGN.md's: each of `_KEYWORD_ALTERNATIVES` is a named group whose name maps to a
metric name.
"""
from __future__ import annotations

import re
from typing import Final

from news.extract_dispatch import by_first_char
from news.extract_text import Keyword
from news.tagging import WordSet, find_words, folds_oddly

_PER_SHARE: Final = r"per\s+(?:diluted\s+|basic\s+|)(?:ordinary\s+|)(?:share|ads|adr|american\s+deposit\w*\s+share)"
_ADJ: Final = r"(?:adjusted|non-gaap|non-ifrs)"
_HOLDERS: Final = r"(?:\s+attributable\s+to\s+(?:[\w-]+\s+){0,4}?(?:shareholders|holders|stockholders|the\s+parent))"

# Tried at every metric word: an optional group is written `(?:X|)`, the same match as `(?:X)?`
# without the memory `re` allocates for a `?` on more than one character each time it is tried.
# Matched against lower-cased text, so without IGNORECASE (which makes `re` fold every character it
# compares); `_KEYWORDS_FOLDED` is the same for the rare text where that differs (see `folds_oddly`).
# In order: where two fit, the earlier wins.
_KEYWORD_ALTERNATIVES: Final = (
    rf"(?P<adjusted_eps>\b{_ADJ}\s+(?:diluted\s+|basic\s+|)(?:eps|(?:net\s+|)(?:earnings|income|profit|loss)\s+{_PER_SHARE})\b)",
    rf"(?P<eps>\b(?:diluted\s+|basic\s+|)(?:eps|(?:net\s+|)(?:earnings|income|profit|loss(?:es|))\s+{_PER_SHARE})\b)",
    r"(?P<adjusted_ebita>\badjusted\s+ebita\b)",
    r"(?P<adjusted_ebitda>\b(?:adjusted\s+|)ebitda\b)",
    rf"(?P<margin>\b(?:{_ADJ}\s+|)(?:gross|operating|net|ebitda|ebita|profit)\s+(?:profit\s+|)margins?\b)",
    rf"(?P<adjusted_operating_income>\b{_ADJ}\s+(?:operating\s+(?:income|profit|loss)|income\s+from\s+operations)\b)",
    rf"""(?P<adjusted_net_income>\b(?:{_ADJ}\s+(?:net\s+|)(?:income|profit|earnings|loss)|core\s+net\s+profit
        |net\s+profit\s+excluding\s+non-recurring(?:\s+[\w-]+){{0,4}}?\s+(?:items|losses|gains)(?:\s+and\s+(?:losses|gains)|))\b(?:{_HOLDERS}|))""",
    r"(?P<gross_profit>\bgross\s+(?:profit|income)\b)",
    r"(?P<operating_income>\b(?:operating\s+(?:income|profit|loss)|(?:income|loss|profit)\s+from\s+operations)\b)",
    rf"(?P<net_income_attributable>\b(?:net\s+|)(?:income|profit|earnings|loss)\b{_HOLDERS})",
    r"""(?P<net_income>\b(?:net\s+(?:income|profit|earnings|loss)|(?:quarterly\s+|)(?:profits?|earnings|loss|losses))\b
        |\u51c0\u5229\u6da6|\u51c0\u4e8f\u635f)""",
    r"(?P<capex>\bcapital\s+(?:expenditures?|spending)\b|\bcapex\b)",
    r"(?P<gmv>\bgmv\b|\bgross\s+merchandise\s+(?:value|volume)\b)",
    r"(?P<market_cap>\bmarket\s+(?:capitali[sz]ation|cap|value)\b)",
    r"(?P<buyback_program>\b(?:share\s+|)(?:repurchase|buyback|buy-back|buy\s+back)s?(?:\s+(?:program(?:me|)|plan|authori[sz]ation)|)\b)",
    r"(?P<stake_value>\b(?:stake|holding|shares\s+worth|bets?|betting)\b)",
    r"(?P<turnover>\bturnover\b)",
    r"""(?P<users>\b(?:(?:average\s+|)(?:mobile\s+|)(?:monthly|daily)\s+active\s+users|(?:mobile\s+|)[md]aus?
        |(?:monthly\s+|)paying\s+users|(?:annual\s+|)active\s+(?:buyers|consumers|customers|users|merchants)
        |paid\s+(?:users|members|subscribers))\b)""",
    r"(?P<deliveries>\b(?:vehicle\s+|)deliveries\b)",
    r"""(?P<expense>\b(?:research\s+and\s+development|r&d|sales\s+and\s+marketing|selling\s+and\s+marketing
        |general\s+and\s+administrative|marketing|selling|administrative|fulfil?lment)\s+expenses?\b)""",
    r"(?P<revenue>\b(?:revenues?|sales|top[-\s]line|total\s+income)\b|\u8425\u6536|\u8425\u4e1a\u6536\u5165|\u603b\u6536\u5165)",
)
_KEYWORDS_FOLDED: Final = re.compile("|".join(_KEYWORD_ALTERNATIVES), re.X | re.I)
_KEYWORDS_AT: Final = by_first_char(_KEYWORD_ALTERNATIVES, re.X)  # the alternation, by the character a match starts with

# The last word of every keyword: found first (a cheap `str.find` sweep), then the keywords are tried only at the few
# word starts just before each, which is what keeps this step well under a millisecond.
_HEAD_WORDS: Final = (
    "revenue revenues sales turnover top-line line income profit profits earnings loss losses margin margins eps "
    "ebitda ebita gmv capex expenditure expenditures spending capitalisation capitalization cap value volume "
    "repurchase repurchases buyback buybacks buy-back buy-backs program programme plan authorisation "
    "authorization back stake holding worth bet bets betting users mau maus dau daus buyers consumers customers merchants members "
    "subscribers deliveries expense expenses items gains shareholders holders stockholders parent").split()
_HEADS: Final = WordSet((*_HEAD_WORDS, "\u8425\u6536", "\u8425\u4e1a\u6536\u5165", "\u603b\u6536\u5165",
                  "\u51c0\u5229\u6da6", "\u51c0\u4e8f\u635f"))


# First words of the many-word keywords: the only places worth trying the keywords at.
_LEADS: Final = frozenset(
    "adjusted non-gaap non-ifrs diluted basic net earnings income profit loss losses gross operating ebitda "
    "ebita capital market share repurchase buyback buy-back stake holding shares average mobile monthly "
    "daily paying annual active paid vehicle research r&d sales selling general marketing administrative "
    "fulfillment fulfilment top total core quarterly buy".split()
)


_QUOTES: Final = "(\"'"


def find_keywords(text: str, lower: str, vocab: frozenset[bytes]) -> list[Keyword]:
    """Every metric keyword in `text` (`lower` its lower case), longest reading first, without overlaps."""
    out: list[Keyword] = []
    last_end = 0
    folded = folds_oddly(lower)
    for s, e, _ in find_words(lower, _HEADS.present(vocab)):
        if s < last_end:
            continue
        lo = max(last_end, s - 80)
        window = lower[lo:s]
        words = window.rsplit(None, 6)[-6:]  # the last six words, without splitting off the others
        starts = []
        # Most heads have no lead word before them: then the keywords are tried at the head alone. (A word
        # led by a quote or a bracket is never a keyword's start, as every alternative starts a word.)
        if not _LEADS.isdisjoint(words) or any(
                w[0] not in _QUOTES and w[-1] in _QUOTES and w.rstrip(_QUOTES) in _LEADS for w in words):
            pos = s
            for word in reversed(words):
                pos = lower.rfind(word, lo, pos)
                if word.strip(_QUOTES) in _LEADS:
                    starts.append(pos)
            starts.reverse()
        starts.append(s)
        for p in starts:
            keywords = _KEYWORDS_FOLDED if folded else _KEYWORDS_AT.get(lower[p])
            m = keywords.match(lower, p) if keywords else None
            if m and m.end() >= e:
                out.append(Keyword(p, m.end(), m.lastgroup or "", text[p:m.end()]))
                last_end = m.end()
                break
    return out


NEGATIVE_KEYWORD: Final = re.compile(r"(?i)(?<!gains and )\bloss|\u4e8f\u635f")
USER_KINDS: Final = (
    (re.compile(r"(?i)mobile"), "mobile_mau"), (re.compile(r"(?i)daily|dau"), "dau"),
    (re.compile(r"(?i)monthly|mau"), "mau"), (re.compile(r"(?i)paying|paid"), "paying_users"),
)

# Words before "revenue"/"sales" that say nothing about a segment ("total net revenues").
GENERIC: Final = frozenset(
    "total net quarterly overall group gaap non-gaap adjusted consolidated reported annual full-year "
    "fiscal year yearly company operating headline top its their the a an q1 q2 q3 q4 first second "
    "third fourth first-quarter second-quarter third-quarter fourth-quarter quarter half-year "
    "interim record strong weak higher lower chinese average".split()
)
_STOP: Final = frozenset(
    "a an the its their his her our of in on at for to from with by as while after before that "
    "which was were is are has had have said reported posted saw showed rose fell grew including "
    "both but also whose where when this these those than versus vs despite amid led drove driven "
    "up down into over under about around expects expect expected sees projects posted announced "
    "recorded generated delivered achieved reached posting reporting generating recording booking booked "
    "bringing lifting pushing taking making helped helping boosted boosting lifted "
    "forecast forecasts forecasted guided guides sees projected predicted predicts anticipates estimated said says "
    # a company descriptor ("the smartphone maker forecast revenue") is the company, never a segment
    "maker makers carmaker automaker giant firm company group retailer conglomerate startup titan heavyweight".split()
)
_SEGMENT_WORD: Final = re.compile(r"[A-Za-z][\w&-]*$")
FROM_SEGMENT: Final = re.compile(
    r"(?i)\s+from\s+(?:its\s+|their\s+|the\s+company's\s+)?(?!operations|continuing|a\b|an\b|the\b|rmb|us\$|\$)"
    r"((?:[a-z][\w-]*)(?:\s+(?:and\s+)?[a-z][\w-]*){0,3})")
_SEGMENT_END: Final = re.compile(r"(?i)\b(?:was|were|is|are|rose|fell|grew|increased|decreased|reached|totaled|totalled|came|jumped|surged|climbed|declined|dropped|of|by|at|to|in|up|down|and)\b")


def next_char(text: str, pos: int) -> str:
    """The first character at or after `pos` that is not whitespace (what `\\s*` skips), "" at the end.

    Most patterns tried right after a number or a keyword start with `\\s*` and one of a few words: a
    look at this character proves most tries cannot match, for far less than a call to `re`. At the
    end of the text "" is `in` every string of first characters, so the pattern is tried then.
    """
    n = len(text)
    while pos < n:
        ch = text[pos]
        if ch != " " and not ch.isspace():
            return ch
        pos += 1
    return ""


_NOT_SLUG: Final = re.compile(r"[^a-z0-9]+")


def slug(words: str) -> str:
    """snake_case for a segment or a counted noun: "Value-added Services" -> "value_added_services"."""
    return _NOT_SLUG.sub("_", words.lower().replace("&", " and ")).strip("_")


def segment_before(text: str, start: int, floor: int) -> str | None:
    """The segment named just before a revenue word ("cloud services revenue" -> "cloud_services")."""
    words = text[max(floor, start - 60):start].rsplit(None, 6)  # the loop reads at most the last six
    picked: list[str] = []
    for w in reversed(words):
        # a plain word: no quote, bracket or other mark (most are all ASCII letters, known without `re`)
        if not (w.isalpha() and w.isascii()) and not _SEGMENT_WORD.match(w):
            break
        low = w.lower()
        if low in _STOP and low != "and":
            break
        picked.append(low)
        if len(picked) == 6:
            break
    while picked and (picked[-1] in GENERIC or picked[-1] == "and"):
        picked.pop()
    core = [w for w in reversed(picked) if w not in GENERIC]
    while core and core[0] == "and":
        core.pop(0)
    while core and core[-1] == "and":
        core.pop()
    return slug(" ".join(core)) or None if core else None


def segment_after(text: str, end: int) -> str | None:
    """The segment in "revenues from advertising" / "income from services"."""
    m = FROM_SEGMENT.match(text, end) if next_char(text, end) in "fF" else None
    if not m:
        return None
    words = m.group(1)
    cut = _SEGMENT_END.search(words)
    if cut and cut.start() > 0:
        words = words[:cut.start()]
    elif cut:
        return None
    return slug(words) or None
