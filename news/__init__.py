"""News: feeds, article text, company tagging, headline and metric extraction. Never imports Textual.

The extractor's modules (`NATIVE_MODULES`) may also be present compiled by mypyc in `news/_native/`
(`scripts/build_native.py`, run by `pip install -e .` and by `make` after an edit): the same source,
about a third faster, which is what brings a 4 KB article under DESIGN's 2 ms. They are used only when they were built from exactly the
sources beside them (`native_digest` matches the digest written at build time), so an edited
module is never shadowed by a stale build: Python falls back to the source until the next build.
`SINOTERM_NATIVE=0` keeps to the source (tracebacks with line numbers, a debugger, coverage).
"""
from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

NATIVE_MODULES = (
    "extract", "extract_dispatch", "extract_lexicon", "extract_metrics", "extract_moves", "extract_numbers",
    "extract_period", "extract_roles", "extract_segments", "extract_text", "tagging",
)
SOURCE_DIR = Path(__file__).resolve().parent
NATIVE_DIR = SOURCE_DIR / "_native"
NATIVE_STAMP = NATIVE_DIR / "sources.sha1"


def native_digest(sources: Path = SOURCE_DIR) -> str:
    """What a native build is valid for: the interpreter and the exact text of every compiled module."""
    h = hashlib.sha1(sys.implementation.cache_tag.encode())
    for name in NATIVE_MODULES:
        h.update(name.encode())
        h.update((sources / f"{name}.py").read_bytes())
    return h.hexdigest()


def native_state() -> str:
    """`compiled`, `off` (SINOTERM_NATIVE=0), `not built` or `stale` (the sources changed since)."""
    if os.environ.get("SINOTERM_NATIVE") == "0":
        return "off"
    try:
        built = NATIVE_STAMP.read_text().strip()
    except OSError:
        return "not built"
    return "compiled" if built == native_digest() else "stale"


NATIVE = native_state()
if NATIVE == "compiled":
    __path__.insert(0, str(NATIVE_DIR))  # noqa: F821 - the package's own search path
