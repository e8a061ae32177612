"""The mypyc-compiled extractor: used only while it matches its sources, and identical to them.

`make` compiles the extractor's modules (scripts/build_native.py); `news/__init__.py` puts the build
on the package path only when its recorded digest is that of the sources beside it. These tests pin
that rule, the build script's bookkeeping (without running a compiler), and, when a build is in use,
that it extracts exactly what the source does.
"""
from __future__ import annotations

import ast
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import news
from news.extract import extract

ROOT = Path(__file__).resolve().parent.parent


def _build_script():
    spec = importlib.util.spec_from_file_location("build_native", ROOT / "scripts" / "build_native.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def native_dir(tmp_path, monkeypatch):
    """news.NATIVE_DIR and its stamp moved to a scratch directory."""
    where = tmp_path / "_native"
    monkeypatch.setattr(news, "NATIVE_DIR", where)
    monkeypatch.setattr(news, "NATIVE_STAMP", where / "sources.sha1")
    monkeypatch.delenv("SINOTERM_NATIVE", raising=False)
    return where


def test_a_build_is_used_only_while_it_matches_the_sources(native_dir, monkeypatch):
    assert news.native_state() == "not built"
    native_dir.mkdir()
    news.NATIVE_STAMP.write_text(news.native_digest() + "\n")
    assert news.native_state() == "compiled"
    news.NATIVE_STAMP.write_text("0" * 40 + "\n")  # built from sources that have changed since
    assert news.native_state() == "stale"
    monkeypatch.setenv("SINOTERM_NATIVE", "0")
    assert news.native_state() == "off"


def test_the_digest_covers_every_compiled_module_and_the_interpreter(monkeypatch, tmp_path):
    for name in news.NATIVE_MODULES:
        (tmp_path / f"{name}.py").write_bytes((news.SOURCE_DIR / f"{name}.py").read_bytes())
    before = news.native_digest(tmp_path)
    assert before == news.native_digest()
    for name in news.NATIVE_MODULES:
        with (tmp_path / f"{name}.py").open("a") as f:
            f.write("\n")
        assert news.native_digest(tmp_path) != before, name
        (tmp_path / f"{name}.py").write_bytes((news.SOURCE_DIR / f"{name}.py").read_bytes())
    monkeypatch.setattr(sys.implementation, "cache_tag", "cpython-399")
    assert news.native_digest(tmp_path) != before


def test_a_failed_build_leaves_the_source_in_use(native_dir, monkeypatch, capsys):
    script = _build_script()
    native_dir.mkdir()
    (native_dir / "old.so").write_bytes(b"")

    def no_compiler(sources, into):
        into.mkdir()
        raise RuntimeError("command 'gcc' failed: No such file or directory")

    monkeypatch.setattr(script, "_compile", no_compiler)
    assert script.main([]) == 0  # `make` goes on with the pure-Python extractor
    assert "stays pure Python (RuntimeError: command 'gcc' failed" in capsys.readouterr().err
    assert not native_dir.exists()
    assert news.native_state() == "not built"


def test_a_build_records_the_digest_of_what_it_compiled(native_dir, monkeypatch, capsys):
    script = _build_script()
    compiled = []

    def fake_compile(sources, into):
        compiled.extend(sources)
        into.mkdir()
        return len(sources)

    monkeypatch.setattr(script, "_compile", fake_compile)
    assert script.main([]) == 0
    assert compiled == [f"news/{name}.py" for name in news.NATIVE_MODULES]
    assert news.native_state() == "compiled"
    assert script.main([]) == 0  # up to date: `make` after `pip install -e .` compiles nothing again
    assert len(compiled) == len(news.NATIVE_MODULES)
    assert script.main(["--force"]) == 0
    assert len(compiled) == 2 * len(news.NATIVE_MODULES)
    assert script.main(["--clean"]) == 0
    assert not native_dir.exists()


def _texts() -> list[str]:
    """Texts with every kind of figure: the demo articles and their paragraphs, every sentence-like
    string in the extractor's and the tagger's tests, and a few made-up lines."""
    pages = sorted((ROOT / "assets" / "demo" / "news").rglob("*.html"))
    texts = [p.read_text(encoding="utf-8") for p in pages]
    for page in texts[:]:
        texts.extend(page.split("</p>"))
    for test in sorted(Path(__file__).parent.glob("test_*.py")):
        if test.name.startswith(("test_extract", "test_tagging", "test_fuzz")):
            tree = ast.parse(test.read_text(encoding="utf-8"))
            texts += [node.value for node in ast.walk(tree)
                      if isinstance(node, ast.Constant) and isinstance(node.value, str) and " " in node.value]
    texts += [
        "Revenue rose 8% year-on-year to RMB280.15 billion (US$38.38 billion); net income was RMB48.9bn, up 239%.",
        "Analysts had expected adjusted EPS of HK$2.10; the company guided Q1 sales to US$3.0-3.2 billion, down 2% QoQ.",
        "Operating loss | (911.4) | (1,202.3) \u2014 RMB millions; gross margin 41.2%, +1.5 percentage points.",
        "NIO delivered 40,700 vehicles in May, up 23% from a year earlier; 9988.HK fell 3.1% while BABA rose 2%.",
        "\u8425\u6536 2802\u4ebf\u5143\uff0c\u540c\u6bd4\u589e\u957f 8%\u3002",
    ]
    return texts


@pytest.mark.skipif(news.NATIVE != "compiled", reason="the extractor is not compiled here (run `make`)")
def test_the_compiled_extractor_is_in_use_and_agrees_with_the_source():
    import news.extract_metrics

    assert news.extract_metrics.__file__.endswith(".so")
    texts = _texts()
    script = (
        "import json, sys\n"
        "import news.extract_metrics\n"
        "from news.extract import extract\n"
        "assert news.extract_metrics.__file__.endswith('.py'), news.extract_metrics.__file__\n"
        "print(json.dumps([extract(t).to_json() for t in json.load(sys.stdin)]))\n"
    )
    source = subprocess.run([sys.executable, "-c", script], input=json.dumps(texts), capture_output=True,
                            text=True, cwd=ROOT, env={**os.environ, "SINOTERM_NATIVE": "0"}, timeout=120)
    assert source.returncode == 0, source.stderr
    from_source = json.loads(source.stdout)
    compiled = [extract(t).to_json() for t in texts]
    assert sum(len(x["metrics"]) for x in compiled) > 150  # the texts hold plenty to compare
    for text, a, b in zip(texts, compiled, from_source, strict=True):
        assert a == b, text[:200]
