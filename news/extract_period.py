"""The reporting period a text is about: "three months ended December 31" -> end "--12-31".

The end date is full (`2024-09-30`) only when the text itself gives the year; with no year it is
`--MM-DD`; with no date at all ("the fourth quarter") it is null. The year is never guessed from
anything outside the text, and fiscal quarters are not mapped to dates (a company's fiscal year may
end in March, which the text alone does not say).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

_MONTHS: Final = {m: i for i, m in enumerate(
    "january february march april may june july august september october november december".split(), 1)}
_MONTHS.update({k[:3]: v for k, v in list(_MONTHS.items())})
_MONTHS["sept"] = 9
_DAYS: Final = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_ORD: Final = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}
_MON: Final = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"

# Every word a period phrase can begin with: `re` tries the pattern at each word start, and this
# turns most of them away at once.
_FIRST_WORDS: Final = (r"three|six|nine|twelve|first|second|third|fourth|quarter|period|fiscal|year|half|q[1-4]|(?:19|20)\d\d"
                r"|1st|2nd|3rd|4th|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec")
PERIOD: Final = re.compile(
    rf"""(?x)\b(?={_FIRST_WORDS})(?:
      (?P<ended>(?:(?:three|six|nine|twelve)\s+months|(?:(?:first|second|third|fourth)\s+)?quarter|period|(?:fiscal\s+)?year|half)
        (?:\s+and\s+(?:fiscal\s+)?(?:year|six\s+months|nine\s+months))?\s+(?:ended|ending)\s+(?P<em>{_MON})\s+(?P<ed>\d{{1,2}})(?:,?\s+(?P<ey>(?:19|20)\d\d))?)
    | (?P<q>\b(?P<fq>fiscal\s+)?q(?P<qn>[1-4])(?:\s*(?:fy)?'?(?P<qy>(?:19|20)?\d\d)\b)?)
    | (?P<yq>\b(?P<yqy>(?:19|20)\d\d)\s*q(?P<yqn>[1-4])\b)
    | (?P<ord>\b(?P<fo>fiscal\s+(?:year\s+)?(?:20\d\d\s+)?)?(?P<on>first|second|third|fourth|1st|2nd|3rd|4th)[-\s]quarter
        (?:\s+(?:of\s+)?(?:fiscal\s+(?:year\s+)?)?(?P<oy>(?:19|20)\d\d)\b)?)
    | (?P<mq>\b(?P<mqm>march|june|september|december)\s+quarter\b)
    | (?P<span>\b(?P<s1>{_MON})\s*-\s*(?P<s2>{_MON})\s+(?:period|quarter)\b))
    """
)


@dataclass(slots=True)
class Period:
    label: str
    end: str | None
    quarter: int | None = None
    year: int | None = None


def _end(month: int, day: int | None, year: int | None) -> str:
    day = day or _DAYS[month - 1]
    if year and month == 2 and day == 29 and not (year % 4 == 0 and (year % 100 or year % 400 == 0)):
        day = 28
    return f"{year:04d}-{month:02d}-{day:02d}" if year else f"--{month:02d}-{day:02d}"


def _quarter_end(q: int, year: int | None) -> str:
    return _end(q * 3, None, year)


_SEARCHED: Final = 2500
"""Characters from the start of the text in which the period is looked for."""
# Words every period phrase contains, with "quarter" (found with "q1" to "q4" in `_heads`); PERIOD
# runs only around them. "q3" and "2024q3" must start a word, which _matches checks.
_WORD_HEADS: Final = ("months", "ended", "ending", "period")
_Q_HEAD: Final = re.compile(r"q[1-4]\b")
_YQ_HEAD: Final = re.compile(r"(?:19|20)\d\dq[1-4]\b")


def _heads(lower: str) -> list[tuple[int, int, bool]]:
    """The period words in the searched part of `lower`, in order, without overlaps, found with `str.find`."""
    found = []
    for w in _WORD_HEADS:
        i = lower.find(w, 0, _SEARCHED)
        while i >= 0:
            found.append((i, i + len(w), True))
            i = lower.find(w, i + 1, _SEARCHED)
    # "quarter", "q1" to "q4": one search for the letter, rare in English, instead of a sweep for each.
    end = min(len(lower), _SEARCHED)
    i = lower.find("q", 0, end)
    while i >= 0:
        if i + 1 < end and lower[i + 1] in "1234":
            if i >= 4 and (m := _YQ_HEAD.match(lower, i - 4, _SEARCHED)):
                found.append((i - 4, m.end(), False))
            elif _Q_HEAD.match(lower, i, _SEARCHED):
                found.append((i, i + 2, False))
        elif lower.startswith("quarter", i, end):
            found.append((i, i + 7, True))
        i = lower.find("q", i + 1, end)
    found.sort()
    out = []
    end = 0
    for s, e, word in found:
        if s >= end:
            out.append((s, e, word))
            end = e
    return out


def _matches(lower: str):
    seen = -1
    # The period is stated early (headline, first paragraph); later mentions are mostly comparisons.
    for start, end, word in _heads(lower)[:8]:
        if start < seen or (not word and start and lower[start - 1].isalnum()):
            continue
        for m in PERIOD.finditer(lower, max(0, start - 50), min(len(lower), end + 40)):
            if m.start() >= seen and m.end() >= end:
                seen = m.end()
                yield m
                break


def find_period(text: str, lower: str | None = None) -> Period | None:
    """The first stated period, preferring one with a date ("ended June 30, 2024") over a bare "Q2".

    `lower` is the lower-cased `text` (same length); labels are cut from `text` as written.
    """
    lower = text.lower() if lower is None or len(lower) != len(text) else lower
    best: Period | None = None
    for m in _matches(lower):
        p = _period(m, text)
        if p is None:
            continue
        if best is None or (best.end is None and p.end) or (
                best.end and best.end.startswith("--") and p.end and not p.end.startswith("--")
                and p.end[5:] == best.end[2:]):
            if best is not None and best.end and p.end and best.end.startswith("--"):
                p = Period(best.label, p.end, best.quarter or p.quarter, p.year)
            best = p
        if best.end and not best.end.startswith("--"):
            break
    return best


def _month(word: str) -> int:
    key = word.lower().rstrip(".")
    return _MONTHS.get(key) or _MONTHS[key[:3]]


def _period(m: re.Match[str], text: str) -> Period | None:
    label = text[m.start():m.end()].strip()
    if m.group("ended"):
        month = _month(m.group("em"))
        year = int(m.group("ey")) if m.group("ey") else None
        return Period(label, _end(month, int(m.group("ed")), year), (month + 2) // 3, year)
    if m.group("q"):
        q = int(m.group("qn"))
        y = m.group("qy")
        year = (int(y) + 2000 if len(y) == 2 else int(y)) if y else None
        if m.group("fq"):
            return Period(label, None, q, year)
        return Period(label, _quarter_end(q, year) if year else None, q, year)
    if m.group("yq"):
        q, year = int(m.group("yqn")), int(m.group("yqy"))
        return Period(label, _quarter_end(q, year), q, year)
    if m.group("ord"):
        q = _ORD[m.group("on").lower()]
        year = int(m.group("oy")) if m.group("oy") else None
        if m.group("fo"):
            return Period(label, None, q, year)
        return Period(label, _quarter_end(q, year) if year else None, q, year)
    if m.group("mq"):
        month = _month(m.group("mqm"))
        return Period(label, _end(month, None, None), month // 3, None)
    if m.group("span"):
        month = _month(m.group("s2"))
        return Period(label, _end(month, None, None), (month + 2) // 3, None)
    return None
