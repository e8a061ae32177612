"""The domain packages never import Textual (DESIGN: data flows one way, only tui/ and widgets/ draw)."""
from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADLESS = ("market", "news", "storage", "config")


def headless_modules() -> list[str]:
    names = []
    for package in HEADLESS:
        names.append(package)
        for info in pkgutil.walk_packages([str(ROOT / package)], prefix=f"{package}."):
            names.append(info.name)
    return names


def test_headless_packages_do_not_load_textual():
    modules = headless_modules()
    assert len(modules) > 15, modules  # the walk really found the packages
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"textual imported by the headless core: {result.stdout}"


def test_one_shot_commands_do_not_load_textual():
    """`sinoterm quote` and friends start fast because they never touch the UI toolkit."""
    code = (
        "import sys\n"
        "import tui.cli, tui.subcommands.common\n"
        "print(any(m == 'textual' or m.startswith('textual.') for m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.stdout.strip() == "False", result.stdout + result.stderr
