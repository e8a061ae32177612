"""Compile the extractor's modules with mypyc into news/_native/ (`pip install -e .` and `make` run this).

The extractor is plain, fully typed Python; mypyc turns the same source into C extension modules
that run it about a third faster (DESIGN's 2 ms per 4 KB article is met only compiled on the
2-core build machines). `news/__init__.py` uses the build only while it matches the sources, so
this is an accelerator, never a second implementation: if mypy or a C compiler is missing, or
compiling fails, the build is skipped with a warning and the source runs as it is. A build that
matches the sources already is left alone.

    .venv/bin/python scripts/build_native.py          # build news/_native/ unless it is up to date
    .venv/bin/python scripts/build_native.py --force  # rebuild it anyway
    .venv/bin/python scripts/build_native.py --clean  # remove it
"""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GROUP = "news.extractor"  # the shared library mypyc makes for the group: news/_native/extractor__mypyc.*.so


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(ROOT))
    import news  # the modules to compile and the digest of their sources

    if news.native_state() == "compiled" and not {"--force", "--clean"} & set(argv):
        print(f"build_native: {news.NATIVE_DIR} is up to date")
        return 0
    shutil.rmtree(news.NATIVE_DIR, ignore_errors=True)
    if "--clean" in argv:
        return 0
    try:
        count = _compile([f"news/{name}.py" for name in news.NATIVE_MODULES], news.NATIVE_DIR)
    except Exception as exc:  # noqa: BLE001 - any failure leaves the pure-Python extractor in place
        shutil.rmtree(news.NATIVE_DIR, ignore_errors=True)
        print(f"build_native: the extractor stays pure Python ({type(exc).__name__}: {exc})", file=sys.stderr)
        return 0
    news.NATIVE_STAMP.write_text(news.native_digest() + "\n")  # last: a partial build is never used
    print(f"build_native: {count} modules compiled into {news.NATIVE_DIR}")
    return 0


def _compile(sources: list[str], into: Path) -> int:
    """mypyc + setuptools' build_ext in a scratch directory; the extension files it made go `into`."""
    from mypyc.build import mypycify
    from setuptools import setup

    with tempfile.TemporaryDirectory(prefix="sinoterm-native-") as tmp:
        out = Path(tmp) / "lib"
        cwd = os.getcwd()
        os.chdir(ROOT)  # mypyc names modules by their paths from here
        try:
            extensions = mypycify(sources, opt_level="3", group_name=GROUP, target_dir=str(Path(tmp) / "c"))
            setup(name="sinoterm-native", ext_modules=extensions, script_name="build_native",
                  script_args=["-q", "build_ext", "--build-lib", str(out), "--build-temp", str(Path(tmp) / "o")])
        finally:
            os.chdir(cwd)
        built = sorted(out.glob("news/*.so"))
        if len(built) != len(sources) + 1:  # a shim per module plus the group's shared library
            raise RuntimeError(f"expected {len(sources) + 1} extension modules, got {len(built)}")
        into.mkdir()
        for path in built:
            shutil.copy2(path, into / path.name)
        return len(sources)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
