"""Text preparation for the extractor: one clean string and its sentence boundaries.

News text arrives scraped, syndicated and machine-translated. Before any pattern runs we make it
uniform, so the patterns can stay simple: curly quotes and dashes become ASCII, junk glyphs that spam
mirrors inject into words ("bi\u2649llion") go, footnote markers ("MAUs1", "GMV(1)", "[2]") go, a
European decimal comma ("22, 1%") becomes a point, live quote-widget fragments ("JD,\\n+6.32%",
"(NTES 0.49%)") go, and tables flattened one cell per line become one row per line. Every later
offset refers to the prepared string, which is also where each metric's `text` span is cut from.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from typing import Final

from news.sanitize import clean_text

MAX_CHARS: Final = 200_000
"""Input beyond this is ignored: articles are far shorter, and hostile input must stay cheap."""

_REPLACE: Final = (
    ("\u2018", "'"), ("\u2019", "'"), ("\u201a", "'"), ("\u2032", "'"), ("\u201c", '"'), ("\u201d", '"'),
    ("\u2013", "-"), ("\u2014", " - "), ("\u2212", "-"), ("\u00a0", " "), ("\u2009", " "), ("\u202f", " "),
    ("\u3000", " "), ("\uff05", "%"), ("\uffe5", "\u00a5"), ("\uff0c", ","), ("\t", " "),
)
# A non-ASCII, non-Latin glyph wedged between two ASCII letters is injected junk ("CN\u0d72Y").
_JUNK: Final = re.compile(r"[^\x00-\x7f\u00c0-\u024f](?<=[A-Za-z].)(?=[A-Za-z])")
_FOOTNOTE_DIGIT: Final = re.compile(r"\d(?<=[A-Za-z][a-z]\d)(?<![Rr]mb\d)(?=[\s),:;]|\.(?!\d))")  # "MAUs1 reached"
_FOOTNOTE_MARK: Final = re.compile(r"\(\[\d{1,2}\]\)|\[\d{1,2}\]|\(\d\)")                            # "[2]", "GMV(1)"
# Either must match for `_FOOTNOTE_MARK` to: led by a literal, `re` skips to each "(" or "[" at C
# speed, where a pattern led by a set of characters tests every character in turn.
_PAREN_DIGIT: Final = re.compile(r"\(\d\)")
_BRACKET_DIGIT: Final = re.compile(r"\[\d")
_DECIMAL_COMMA: Final = re.compile(r", (?=\d\s?%)(?<=\d, )")
_WIDGET_BOX: Final = re.compile(r",\n[+-]?\d+(?:\.\d+)?%\n")          # "JD,\n+6.32%\n": a live quote box
_WIDGET_BOX_TICKER: Final = re.compile(r"(?:^|\s)[A-Z]{1,5}(?:\.[A-Z]{1,2})?$")
_WIDGET_INLINE: Final = re.compile(r"\([A-Z]{2,5} [+-]?\d+(?:\.\d+)?%\)")  # "(NTES 0.49%)"
_TABLE_ROW: Final = re.compile(r"\n\|[ ]*(?=\n|$)")
_SPACES: Final = re.compile(r"  +")
# Every character `clean_text` would remove (C0, DEL, C1, bidi controls, separators, BOM): a superset
# check, so texts without any skip its two passes.
_UNSAFE: Final = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufeff]")
# Byte maps for quick checks on encoded text: ASCII bytes; the UTF-8 bytes that are no sign of a
# character `_UNSAFE` matches (printable ASCII, tab, newline, any non-ASCII byte); and two "shapes"
# of `_one_byte(text)`, in which a "?" may stand for any character beyond Latin-1. In `_SHAPE` a
# lower-case letter is "a" and a digit (or anything else that may be one: "?", non-ASCII) is "0";
# in `_JUNK_SHAPE` an ASCII letter is "a" and what `_JUNK` may match ("?", U+0080-U+00BF) is "j".
_ASCII_BYTES: Final = bytes(range(128))
_SAFE_ASCII: Final = bytes([9, 10, *range(32, 127), *range(128, 256)])
_SHAPE: Final = bytes(97 if 97 <= c <= 122 else 48 if 48 <= c <= 57 or c == 63 or c >= 128 else 32 for c in range(256))
_JUNK_SHAPE: Final = bytes(97 if chr(c).isascii() and chr(c).isalpha() else 106 if c == 63 or 128 <= c < 192 else 32
                    for c in range(256))

# A full stop followed by a currency code ("... per share. RMB 3.2 ...") ends no sentence.
_BOUNDARY: Final = re.compile(
    r"[.!?;\n\u2022*](?:(?<=[.!?])(?=[\"')]?\s+[\"'(]?[A-Z0-9\u2022*-])(?:(?<!\.)|(?!\s+(?:RMB|Rmb|US\$|HK\$|CNY|USD|HKD)\b))"
    r"|(?<=;)(?=\s)|(?<=\n)\n*|(?<=\*)\*(?=\s)|(?<=\u2022))"
)
_ABBREV: Final = frozenset(
    "inc ltd co corp mr ms dr no vs approx jan feb mar apr jun jul aug sep sept oct nov dec st "
    "u.s u.k e.g i.e est avg adj".split()
)


def prepare(text: str) -> str:
    """The text the extractor reads: bounded, control-free, uniform punctuation, noise removed.

    Each step first checks cheaply whether it has anything to do: most texts need few of them.
    """
    text = text or ""
    if len(text) > MAX_CHARS or _unsafe(text):  # clean_text changes nothing on text without them
        text = clean_text(text, MAX_CHARS)
    if text.endswith("\u2026"):
        text = text[:-1]
    if not text.isascii():
        for a, b in _REPLACE:
            if a in text:
                text = text.replace(a, b)
        if not text.isascii():
            text = _drop_marked(text, _one_byte(text).translate(_JUNK_SHAPE), b"aja", _JUNK)
    elif "\t" in text:
        text = text.replace("\t", " ")
    if "|\n" in text or "| \n" in text:
        text = _join_cells(text)
    if "\n|" in text:
        text = _TABLE_ROW.sub("", text)
    if "%\n" in text:
        text = _drop_quote_boxes(text)
    if "%)" in text:
        text = _WIDGET_INLINE.sub(" ", text)
    text = _drop_marked(text, _one_byte(text).translate(_SHAPE), b"a0", _FOOTNOTE_DIGIT)  # "MAUs1 reached"
    if ("[" in text and _BRACKET_DIGIT.search(text)) or ("(" in text and _PAREN_DIGIT.search(text)):
        text = _FOOTNOTE_MARK.sub("", text)
    if ", " in text and "%" in text:
        text = _DECIMAL_COMMA.sub(_decimal, text)
    return _SPACES.sub(" ", text) if "  " in text else text


def _unsafe(text: str) -> bool:
    """Does `text` hold a character `clean_text` removes (one `_UNSAFE` matches)?

    Read in its UTF-8 bytes: a byte left after deleting `_SAFE_ASCII` is an ASCII control character,
    and past those only the text's few non-ASCII characters need the pattern.
    """
    data = text.encode("utf-8", "surrogatepass")
    if data.translate(None, _SAFE_ASCII):
        return True
    return not text.isascii() and _UNSAFE.search(non_ascii(text)) is not None


def non_ascii(text: str) -> str:
    """The non-ASCII characters of `text`, in order: a few, or none, for a quick check of them alone."""
    if text.isascii():
        return ""
    return text.encode("utf-8", "surrogatepass").translate(None, _ASCII_BYTES).decode("utf-8", "surrogatepass")


def _one_byte(text: str) -> bytes:
    """`text` one byte a character (offsets kept), for quick checks: anything beyond Latin-1 becomes "?"."""
    return text.encode("latin-1", "replace")


def _drop_marked(text: str, shape: bytes, mark: bytes, char: re.Pattern[str]) -> str:
    """`text` without each character that follows a `mark` in its shape and that `char` matches.

    The shape (`_one_byte(text)` through a byte map) has the text's offsets, so `bytes.find` skips
    to the few places worth trying, where one `re` pass over the whole text would try every one.
    """
    out, pos = [], 0
    i = shape.find(mark)
    while i >= 0:
        if char.match(text, i + 1):
            out.append(text[pos:i + 1])
            pos = i + 2
        i = shape.find(mark, i + 1)
    out.append(text[pos:])
    return "".join(out) if pos else text


def _join_cells(text: str) -> str:
    """Join a table flattened one cell per line ("Net Profit |" alone on a line) into rows.

    A line whose only "|" ends it continues on the next line, unless that line is a bare "|"
    (the end of a row). Line by line rather than one multi-line regex, which backtracks over
    every long line of prose.
    """
    lines = text.split("\n")
    out: list[str] = []
    last = len(lines) - 1
    for i, line in enumerate(lines):
        body = line.rstrip(" ")
        if i < last and body.endswith("|") and lines[i + 1].rstrip(" ") != "|":
            cell = body[:-1].rstrip(" ")
            if cell and "|" not in cell[:-1] and not cell[-1].isspace():
                out.append(cell + " | ")
                continue
        out.append(line + "\n" if i < last else line)
    return "".join(out)


def _decimal(m: re.Match[str]) -> str:
    """"22, 1%" is a machine translation's decimal comma; "in 2023, 5%" (a year) and "1.5, 2%" are not."""
    text, i = m.string, m.start()
    j = i
    while j > 0 and text[j - 1].isdigit() and i - j < 4:
        j -= 1
    before = text[j - 1:j] if j else ""
    return m.group() if i - j > 3 or (before and (before.isdigit() or before in ".,")) else "."


def _drop_quote_boxes(text: str) -> str:
    """Remove "TICKER,\n+6.32%\n" boxes that quote widgets leave inside scraped sentences."""
    out, pos = [], 0
    for m in _WIDGET_BOX.finditer(text):
        t = _WIDGET_BOX_TICKER.search(text, max(pos, m.start() - 12), m.start())
        if t is None:
            continue
        out.append(text[pos:t.start()])
        out.append(" ")
        pos = m.end()
    out.append(text[pos:])
    return "".join(out)


class Sentences:
    """Sentence spans of a prepared text, with a fast position -> sentence lookup."""

    __slots__ = ("starts", "spans", "_keys", "_at")

    def __init__(self, text: str):
        spans: list[tuple[int, int]] = []
        start = 0
        for m in _BOUNDARY.finditer(text):
            i = m.start()
            ch = text[i]
            # An abbreviation ("Inc.", "U.S.", "J.") ends in a letter: only then is the word read.
            if ch == "." and i > start and (text[i - 1].isalpha() or text[i - 1].isspace()):
                word = text[max(start, i - 6):i].rsplit(None, 1)[-1:] or [""]
                w = word[0].lstrip("(\"'").lower()
                if w in _ABBREV or (len(w) == 1 and w.isalpha()):
                    continue
            end = i + 1 if ch in ".!?" else i
            if end > start:
                spans.append((start, end))
            start = m.end()
        if start < len(text):
            spans.append((start, len(text)))
        self.spans = spans
        self.starts = [s for s, _ in spans]
        self._keys = [0, *self.starts[1:]]  # the first sentence also takes whatever comes before it
        self._at = spans or [(0, 0)]

    def index(self, pos: int) -> int:
        return bisect_right(self._keys, pos) - 1

    def span(self, pos: int) -> tuple[int, int]:
        return self._at[bisect_right(self._keys, pos) - 1]


class Keyword:
    """A metric word in the text ("net revenues", "adjusted EBITA"); `group` is its keyword group."""

    __slots__ = ("start", "end", "group", "word")

    def __init__(self, start: int, end: int, group: str, word: str):
        self.start = start
        self.end = end
        self.group = group
        self.word = word
