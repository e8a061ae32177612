"""The build backend: setuptools' own, plus bytecode and the compiled extractor when installing editable.

A regular install compiles every module once (pip does it). An editable install leaves the
project's modules uncompiled, and where PYTHONDONTWRITEBYTECODE is set (as on this project's
build machines) Python then recompiles every one of them on every start: ~0.1 s, a third of
Textual's own start-up. So `build_editable` compiles the packages in place first, and builds the
mypyc-compiled extractor beside them (`build_native`, which warns and leaves the pure-Python one in
use when it cannot); every other hook is setuptools' unchanged.
"""
from __future__ import annotations

import compileall
from pathlib import Path

import build_native
from setuptools import build_meta
from setuptools.build_meta import *  # noqa: F403 - the PEP 517 hooks this module passes through

PACKAGES = ("tui", "widgets", "config", "market", "news", "storage", "assets")


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    root = Path(__file__).resolve().parent.parent
    for package in PACKAGES:
        compileall.compile_dir(root / package, quiet=1)
    build_native.main([])
    return build_meta.build_editable(wheel_directory, config_settings, metadata_directory)
