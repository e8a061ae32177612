"""End to end in a real terminal: `sinoterm --demo` inside tmux, driven by keys, read by capture-pane."""
from __future__ import annotations

import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux not installed")]

EXE = Path(sys.executable).with_name("sinoterm")


class Tmux:
    def __init__(self, command: list[str], env: dict[str, str]):
        self.name = f"sinoterm-test-{uuid.uuid4().hex[:8]}"
        exports = " ".join(f"{k}='{v}'" for k, v in env.items())
        # COLUMNS/LINES from the test process would override the pane's real size (a tmux server
        # started from pytest hands its environment to the app, and Textual believes them)
        subprocess.run(["tmux", "new-session", "-d", "-s", self.name, "-x", "140", "-y", "45",
                        f"env -u COLUMNS -u LINES {exports} TERM=xterm-256color {' '.join(command)}"], check=True)
        subprocess.run(["tmux", "set-option", "-t", self.name, "remain-on-exit", "on"], check=False)

    def screen(self) -> str:
        return subprocess.run(["tmux", "capture-pane", "-p", "-t", self.name], capture_output=True,
                              text=True).stdout

    def alive(self) -> bool:
        out = subprocess.run(["tmux", "display-message", "-p", "-t", self.name, "#{pane_dead}"],
                             capture_output=True, text=True).stdout.strip()
        return out == "0"

    def press(self, *keys: str) -> None:
        """Keys at typing pace: an Escape followed at once by a letter reads as Alt+letter."""
        for key in keys:
            subprocess.run(["tmux", "send-keys", "-t", self.name, key], check=True)
            time.sleep(0.2)

    def wait_for(self, predicate, what: str, timeout: float = 30) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if predicate(screen):
                return screen
            time.sleep(0.2)
        raise AssertionError(f"no {what} after {timeout}s; screen:\n{self.screen()}")

    def close(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True)


def test_demo_walk_in_a_real_terminal(tmp_path):
    env = {k: str(tmp_path / k.lower()) for k in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME")}
    env["SINOTERM_CONFIG"] = str(tmp_path / "config.toml")
    term = Tmux([str(EXE), "--demo"], env)
    try:
        term.wait_for(lambda s: "9988" in s and "BABA" in s and "0700" in s and "DEMO" in s, "demo watchlist")
        term.press("?")
        term.wait_for(lambda s: "Sinoterm keys and help" in s, "help screen")
        term.press("Escape")
        term.wait_for(lambda s: "Sinoterm keys and help" not in s and "BABA" in s, "dashboard again")
        term.press("Enter")
        detail = term.wait_for(lambda s: "FY2025 Q3" in s and "280" in s and "Cloud" in s,
                               "Alibaba detail: the December quarter 2024 row and Cloud")
        assert "阿里巴巴" in detail or "Alibaba" in detail
        term.press("Escape")
        term.wait_for(lambda s: "Key metrics" in s, "dashboard after the detail view")
        term.press("q")
        deadline = time.monotonic() + 10
        while term.alive() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not term.alive(), "q should quit"
    finally:
        term.close()
