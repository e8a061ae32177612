"""A config write killed for real between writing and renaming (test_config_writer simulates it by
raising; here the process dies with os._exit, as on a power cut or SIGKILL, so no cleanup runs).

The old file must be intact and valid, the orphaned temp file must not disturb loading, the next
edit or the backup restore must work, and `sinoterm config validate` must still be happy.
"""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from config.loader import load_settings
from config.writer import ConfigFile, backup_path, restore_backup

ROOT = Path(__file__).resolve().parent.parent
USER = """# mine: hand written, keep this comment
[quotes]
refresh_seconds = 7  # slower on my laptop

[[watchlists]]
name = "Core"
symbols = ["9988.HK", "BABA"]
"""

CRASH = textwrap.dedent("""
    import os, sys
    from pathlib import Path
    from config.writer import ConfigFile
    target = Path(sys.argv[1])
    real_replace = os.replace
    def die_before_rename(src, dst):
        if Path(dst) == target:
            os._exit(9)  # the temp file is written and fsynced; the rename never happens
        real_replace(src, dst)
    os.replace = die_before_rename
    ConfigFile(target).add_symbol("Core", "JD")
""")


def test_process_killed_between_write_and_rename(tmp_path):
    cfg = tmp_path / "config.toml"
    cfg.write_text(USER)
    done = subprocess.run([sys.executable, "-c", CRASH, str(cfg)], cwd=ROOT, capture_output=True, timeout=30)
    assert done.returncode == 9, done.stderr
    assert cfg.read_text() == USER
    orphans = [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert orphans and "JD" in orphans[0].read_text()  # the half-done write really happened

    settings, _ = load_settings(str(cfg))
    assert settings.watchlist("Core").symbols == ["9988.HK", "BABA"]
    validate = subprocess.run([sys.executable, "-m", "tui", "config", "validate", "--config", str(cfg)], cwd=ROOT,
                              capture_output=True, text=True, timeout=30, env=os.environ)
    assert validate.returncode == 0, validate.stdout + validate.stderr

    after = ConfigFile(cfg).add_symbol("Core", "JD")  # the next edit works and keeps the comments
    assert after.watchlist("Core").symbols == ["9988.HK", "BABA", "JD"]
    assert "# slower on my laptop" in cfg.read_text()
    assert backup_path(cfg).read_text() == USER
    restored = restore_backup(cfg)
    assert cfg.read_text() == USER and restored.watchlist("Core").symbols == ["9988.HK", "BABA"]
