"""clean_text: escape sequences and control characters out, everything else (markup too) kept."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from news.sanitize import ELLIPSIS, clean_text


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Alibaba \x1b[2J\x1b]0;owned\x07 results beat", "Alibaba  results beat"),  # CSI + OSC/BEL
        ("red \x1b[1;31mALERT\x1b[0m done", "red ALERT done"),
        ("title \x1b]52;c;ZXZpbA==\x1b\\ after", "title  after"),  # clipboard write, ST-terminated
        ("link \x1b]8;;http://evil\x1b\\click\x1b]8;;\x1b\\", "link click"),  # OSC 8 hyperlink
        ("dcs \x1bP1$r0m\x1b\\ end", "dcs  end"),
        ("reset \x1bc now", "reset  now"),  # RIS: two-byte escape
        ("charset \x1b(B ok", "charset  ok"),
        ("c1 csi \x9b31m x", "c1 csi  x"),
        ("nul\x00 bell\x07 bs\x08 del\x7f", "nul bell bs del"),
        ("bidi \u202eevil\u202c \u2066iso\u2069 \u200fmark", "bidi evil iso mark"),
        ("crlf\r\nkept\ttab", "crlf\nkept\ttab"),
        ("\ufeffbom", "bom"),
    ],
)
def test_strips_sequences_and_controls(raw, clean):
    assert clean_text(raw) == clean


def test_markup_is_kept_literally():
    title = "Tencent [bold red]PWNED[/] [link=http://evil]click[/link] cloud +13%"
    assert clean_text(title) == title


def test_unterminated_osc_keeps_the_rest_of_the_text():
    assert clean_text("a \x1b]0;never ends") == "a 0;never ends"


def test_chinese_and_emoji_untouched():
    text = "阿里巴巴 (09988) 收入增长 8% 📈 — “quoted”"
    assert clean_text(text) == text


def test_single_line_turns_newlines_and_tabs_into_spaces():
    assert clean_text("one\ntwo\tthree", single_line=True) == "one two three"


def test_length_cap_with_ellipsis():
    out = clean_text("x" * 5000, limit=100)
    assert len(out) == 100 and out.endswith(ELLIPSIS)
    assert clean_text("short", limit=100) == "short"


def test_huge_hostile_input_is_bounded():
    out = clean_text("\x1b[31m" * 1_000_000 + "tail", limit=50)
    assert len(out) <= 50 and "\x1b" not in out


def test_empty_and_none():
    assert clean_text("") == "" and clean_text(None) == ""


@given(st.text())
def test_never_lets_a_control_character_through(text):
    out = clean_text(text, limit=10_000)
    assert not any(
        (ord(c) < 32 and c not in "\n\t") or 0x7F <= ord(c) <= 0x9F or c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
        for c in out
    )
    assert len(out) <= 10_000
