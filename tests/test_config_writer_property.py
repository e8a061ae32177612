"""Any sequence of in-app edits leaves a file that parses to exactly what the editor returned,
with every comment the user wrote still in it."""
from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from config.loader import load_settings
from config.writer import ConfigFile, EditError

START = """# top comment
[[watchlists]]
name = "A"  # first tab
symbols = [
  "9988.HK", "BABA",  # both legs on one line
  "0700.HK",  # tencent
]

# second list below
[[watchlists]]
name = "B"
symbols = ["JD"]  # trailing
"""
COMMENTS = ["# top comment", "# first tab", "# second list below"]
POOL = ["9988.HK", "BABA", "0700.HK", "JD", "9618.HK", "NIO", "PDD", "3690.HK", "LI"]

edits = st.lists(
    st.one_of(
        st.tuples(st.just("add"), st.sampled_from(["A", "B"]), st.sampled_from(POOL)),
        st.tuples(st.just("remove"), st.sampled_from(["A", "B"]), st.sampled_from(POOL)),
        st.tuples(st.just("move"), st.sampled_from(["A", "B"]), st.sampled_from(POOL), st.integers(-3, 3)),
    ),
    max_size=8,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits)
def test_edits_round_trip_and_keep_comments(steps):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "config.toml"
        path.write_text(START)
        f = ConfigFile(path)
        expected = load_settings(str(path))[0]
        for step in steps:
            before = path.read_bytes()
            try:
                if step[0] == "add":
                    expected = f.add_symbol(step[1], step[2])
                elif step[0] == "remove":
                    expected = f.remove_symbols(step[1], [step[2]])
                else:
                    expected = f.move_symbol(step[1], step[2], step[3])
            except EditError:  # refused (duplicate, absent): the file is left as it was
                assert path.read_bytes() == before
                continue
            assert load_settings(str(path))[0] == expected
        text = path.read_text()
        assert all(c in text for c in COMMENTS)
        assert load_settings(str(path))[0] == expected
