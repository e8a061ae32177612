"""Business units named as the subject or the place of a revenue figure.

`extract_lexicon` finds the segment written into the revenue phrase itself ("cloud services revenue",
"revenues from advertising"). Results news as often names the unit as the grammatical subject
("the Cloud Intelligence Group grew revenue 13%", "its gaming division posted revenue of ...") or
after a preposition ("revenue at Baidu Core", "sales in its international commerce unit"). Those
figures are a unit's, not the company's, so they become `segment_revenue` with the unit as a slug.

The company itself is never a segment: its name is already cut off by the caller's `floor` (the
end of the last company name), and a descriptor ("the company", "the e-commerce giant", "It") or
a bare corporate suffix ("Group" after "Alibaba") is rejected here.
"""
from __future__ import annotations

import bisect
import re
from typing import Final

from news.extract_lexicon import GENERIC, next_char, slug
from news.tagging import folds_oddly, on_lower

# Nouns that make a lower-case phrase a business unit ("its cloud unit", "the advertising business").
_UNIT_NOUNS: Final = frozenset("unit units business businesses division divisions segment segments arm".split())
# Verbs that link a unit subject to its revenue ("X grew revenue", "X posted total revenue"), the
# words allowed between them and the keyword, and the words and marks that end a clause.
_LINK_VERBS: Final = (
    "grew posted reported generated saw recorded booked logged delivered brought_in contributed had achieved "
    "registered produced earned pulled_in raked_in lifted raised boosted increased grows posts reports").split()
_LINK_FILLERS: Final = "its their a an the total quarterly net record".split()
_CLAUSE_WORDS: Final = "said says that while whereas as with after and_its but".split()


def _backwards(words: list[str]) -> str:
    """An alternation of `words` spelt backwards ("_" between two words is any whitespace)."""
    return "|".join(r"\s+".join(w[::-1] for w in reversed(word.split("_"))) for word in words)


# Both are looked for from the end of the text before the keyword, so they run on it reversed: the
# verb tail is then anchored at the start (one try instead of one at every position), and the first
# clause break found is the last one in the text. They read it lower-cased (`on_lower` pairs): without
# IGNORECASE `re` turns most alternatives away on their first letter (the verb tail ~3x as fast).
_VERB_TAIL: Final = on_lower(re.compile(rf"(?i)\s*(?:(?:{_backwards(_LINK_FILLERS)})\s+)*(?:{_backwards(_LINK_VERBS)})\s"))
_CLAUSE_CUT: Final = on_lower(
    re.compile(rf"(?i)[,;:()\"\u201c\u201d\s](?:(?<=\s)(?:{_backwards(_CLAUSE_WORDS)})\b|(?<!\s))"))
_AFTER: Final = re.compile(
    r"(?i)\s+(?P<prep>at|in|for|of)\s+(?:(?P<det>its|their|the)\s+|[\w.&-]+['’]s\s+)?"
    r"(?P<np>[\w&-]+(?:\s+[\w&-]+){0,5})")
_PREP_FIRSTS: Final = "aiofAIOF\u0130\u0131"  # what `_AFTER` can start with: IGNORECASE takes "\u0130\u0131" for "i"
# Words that name the company, a person or a group of people, never a unit.
_NOT_UNIT: Final = frozenset(
    "it its they their we our he she this that the a an company group firm giant maker carmaker automaker "
    "retailer conglomerate startup titan heavyweight analysts investors management holdings inc ltd limited "
    "corp co plc platform operator shares stock on in at for by during since from to of after before when "
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june july "
    "august september october november december".split())
_SUFFIXES: Final = frozenset("group holding holdings inc incorporated ltd limited corp corporation co company plc sa ag".split())
# Adjectives that decorate a unit without naming it ("its closely watched cloud unit").
_DECOR: Final = frozenset(
    "closely watched followed key main flagship fast-growing fast growing fastest-growing biggest largest "
    "smaller small big new newer much-watched".split())
# Words that make a capitalised run the company's own figure ("Total Revenue", "Net revenues"); a unit
# name may end in "Group" ("Cloud Intelligence Group"), the bare suffix is rejected by `_name_ok`.
_GENERIC: Final = GENERIC - {"group"}
_DETERMINERS: Final = frozenset("its their the a an".split())
_UNIT_WORD: Final = re.compile(r"[a-z][\w&-]*")
_PERIOD_WORD: Final = re.compile(r"(?:q[1-4]|h[12]|fy)\S*|\w+-quarter|\w+-half")
_NAME_WORD: Final = re.compile(r"[a-z][\w&.-]*|&")


def segment_around(text: str, lower: str, start: int, end: int, lo: int, floor: int,
                   name_ends: list[int]) -> str | None:
    """The unit whose revenue the keyword at text[start:end] is, from its subject or a following 'at X'.

    `lower` is the text lower-cased, with the same offsets.
    """
    since = max(lo, floor)
    return _subject(text[since:start], lower[since:start], at_sentence_start=floor <= lo) \
        or _after(text, end, name_ends)


def _subject(before: str, low: str, at_sentence_start: bool) -> str | None:
    """The unit in "<unit> grew revenue" or "<Unit Name> revenue" (`low` is `before` lower-cased)."""
    fold = int(folds_oddly(low))
    backwards = low[::-1]
    m = _VERB_TAIL[fold].match(backwards)
    phrase = before[:len(before) - m.end()] if m else before
    if not m and (not phrase.endswith(" ") or not _capital_in_last_word(phrase)):
        return None  # no verb: only a capitalised name right before the keyword can be the unit
    cut = _CLAUSE_CUT[fold].search(backwards[m.end():] if m else backwards)  # `phrase`, backwards
    if cut:
        phrase, at_sentence_start = phrase[len(phrase) - cut.start():], False
    words = phrase.split()
    if not words:
        return None
    own = [i for i, w in enumerate(words) if w.endswith(("'s", "’s"))]
    if own:  # "Tencent's advertising business": the possessor is the company
        words, at_sentence_start = words[own[-1] + 1:], False
    if not m:
        # no verb: only a capitalised unit name right before the keyword ("Cloud Intelligence Group revenue")
        return _capitalised(words, whole=False)
    return _unit_phrase(words) or _capitalised(words, whole=at_sentence_start) or (
        _sentence_subject(words) if at_sentence_start else None)


def _capital_in_last_word(phrase: str) -> bool:
    """Can the last word (what follows the last space) hold a capital? Not when it is all lower case."""
    tail = phrase.rstrip()
    return not tail[tail.rfind(" ") + 1:].islower()


def _unit_phrase(words: list[str]) -> str | None:
    """ "its international commerce unit" -> "international_commerce"."""
    if not words or words[-1].lower() not in _UNIT_NOUNS:
        return None
    core: list[str] = []
    for w in reversed(words[:-1]):
        low = w.lower().strip("\"'")
        if low in _DETERMINERS or not _UNIT_WORD.fullmatch(low) or low in _NOT_UNIT:
            break
        core.append(low)
    return slug(" ".join(w for w in reversed(core) if w not in _DECOR)) or None


def _capitalised(words: list[str], whole: bool) -> str | None:
    """The trailing run of capitalised words ("Cloud Intelligence Group", "Taobao and Tmall Group")."""
    run: list[str] = []
    for w in reversed(words):
        if w[:1].isupper() or (w in ("and", "&") and run):
            run.append(w)
        else:
            break
    if run and len(run) < len(words) and words[-len(run) - 1].lower() in _NOT_UNIT:
        return None  # "on Thursday reported", "for Alibaba": an adverbial or the company, not a unit
    run.reverse()
    while run and run[0] in ("and", "&"):
        run.pop(0)
    if whole and run and run[0].lower() in _DETERMINERS:
        run.pop(0)
    return _name_ok(run)


def _sentence_subject(words: list[str]) -> str | None:
    """A sentence opening with the unit: "Online marketing services generated revenue of ..."."""
    if len(words) > 6 or not words[0][:1].isupper():
        return None
    return _name_ok(words)


def _name_ok(run: list[str]) -> str | None:
    if not run or len(run) > 6:
        return None
    lows = [w.lower().strip("\"'.,") for w in run]
    if any(w in _GENERIC or _PERIOD_WORD.fullmatch(w) for w in lows):
        return None  # "Total Revenue", "Q2 revenue", "Second-Quarter Sales": the company's own figure
    if lows[0] in _NOT_UNIT or lows[-1] in _NOT_UNIT - _SUFFIXES or all(w in _SUFFIXES for w in lows):
        return None
    if not all(_NAME_WORD.fullmatch(w) for w in lows):
        return None
    return slug(" ".join(lows)) or None


def _after(text: str, end: int, name_ends: list[int]) -> str | None:
    """ "revenue at Baidu Core", "sales in its international commerce unit"."""
    m = _AFTER.match(text, end) if next_char(text, end) in _PREP_FIRSTS else None
    if not m:
        return None
    words = m.group("np").split()
    for i, w in enumerate(words):
        if w.lower() in _UNIT_NOUNS:
            return _unit_phrase(words[:i + 1])
    if m.group("prep").lower() != "at" or m.group("det"):
        return None
    run: list[str] = []
    for w in words:
        if not (w[:1].isupper() or (w in ("and", "&") and run)):
            break
        run.append(w)
    while run and run[-1] in ("and", "&"):
        run.pop()
    if not run:
        return None
    # "revenue at Alibaba Group" is the company's: a name ending inside the run leaves only a suffix
    run_end = m.start("np") + len(" ".join(run))
    i = bisect.bisect_right(name_ends, run_end) - 1
    if i >= 0 and name_ends[i] > m.start("np"):
        rest = text[name_ends[i]:run_end].split()
        if not rest or all(w.lower() in _SUFFIXES for w in rest):
            return None
    return _name_ok(run)
