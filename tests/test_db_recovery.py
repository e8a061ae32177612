"""The user's data: a damaged database file is moved aside, rebuilt and reported; two running
instances share one database safely.

Unit-level recovery (Database on a garbage file) is exercised here through the real commands, as a
user meets it: garbage or a truncated file at `config.paths.database_file()`, then `sinoterm quote`,
`sinoterm snapshot --demo` and `sinoterm doctor` as subprocesses. Concurrency uses real processes
on one file: several instances starting at once on a fresh file (schema creation races), then
writers and readers hammering it (WAL + busy timeout: never "database is locked").
"""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from loopback import LoopbackServer
from quote_lines import tencent_hk

from config.paths import database_file
from storage.db import Database
from storage.quotes import QuoteStore
from tui.cli import main

ROOT = Path(__file__).resolve().parent.parent


def sinoterm(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tui", *args], capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "COLUMNS": "200"}, cwd=ROOT)


@pytest.fixture
def server():
    srv = LoopbackServer(tencent={"hk09988": tencent_hk("09988", last="101.500")})
    yield srv
    srv.close()


@pytest.fixture
def config(tmp_path, server) -> str:
    path = tmp_path / "config.toml"
    path.write_text(f'[quotes]\nprimary = "tencent"\nsecondary = "none"\ntimeout_seconds = 1\n'
                    f'[providers.tencent]\nbase_url = "{server.url}"\n'
                    '[providers.sina]\nbase_url = "http://127.0.0.1:9"\nenabled = false\n'
                    '[providers.yahoo]\nbase_url = "http://127.0.0.1:9"\nenabled = false\n')
    return str(path)


def asides(path: Path) -> list[Path]:
    """The moved-aside database files (their -wal/-shm companions, if any, travel with them)."""
    return sorted(p for p in path.parent.glob(path.name + ".corrupt-*") if not p.name.endswith(("-wal", "-shm")))


def damage(path: Path, how: str) -> bytes:
    """Write a damaged database where the user's file lives; returns the damaged bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if how == "garbage":
        data = b"this is not a database\x00" * 500
    else:  # a real database cut short, as a crash or a full disk leaves it
        db = Database(path)
        QuoteStore(db).save([])
        db.execute("CREATE TABLE filler (x BLOB)")
        db.executemany("INSERT INTO filler VALUES (?)", [(os.urandom(2000),) for _ in range(200)])
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.close()
        data = path.read_bytes()
        data = data[: len(data) // 3] if how == "truncated" else data[:100] + os.urandom(len(data) - 100)
        for suffix in ("-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    path.write_bytes(data)
    return data


@pytest.mark.parametrize("how", ["garbage", "truncated", "scrambled"])
def test_quote_command_moves_a_damaged_file_aside_and_reports_it(config, how, capsys):
    path = database_file()
    data = damage(path, how)
    done = sinoterm("quote", "9988", "--config", config)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    (aside,) = asides(path)
    assert aside.read_bytes() == data  # the user's bytes are kept, not deleted
    assert str(aside) in done.stderr  # ... and the user is told where
    assert main(["quote", "9988", "--json", "--config", config]) == 0  # no crash loop: the rebuilt file is fine
    assert '"stale": false' in capsys.readouterr().out
    assert len(asides(path)) == 1
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_demo_commands_start_with_a_damaged_file(config):
    path = database_file()
    damage(path, "garbage")
    assert sinoterm("quote", "--demo", "9988").returncode == 0
    shot = sinoterm("snapshot", "--demo")
    assert shot.returncode == 0 and "Traceback" not in shot.stderr
    doctor = sinoterm("doctor", "--config", config)
    assert "Traceback" not in doctor.stderr
    assert asides(path) and "moved to" in doctor.stdout


def test_news_and_parity_commands_report_a_rebuilt_file(config, tmp_path):
    path = database_file()
    damage(path, "garbage")
    news = sinoterm("news", "--config", config)
    assert "Traceback" not in news.stderr and str(asides(path)[0]) in news.stderr
    damage(path, "garbage")
    parity = sinoterm("parity", "BABA", "--config", config)
    assert "Traceback" not in parity.stderr and len(asides(path)) == 2


WORKER = textwrap.dedent("""
    import os
    import sys
    import time
    from datetime import UTC, datetime
    from market.models import Quote
    from storage.db import Database
    from storage.news import NewsStore
    from storage.quotes import QuoteStore

    path, me, rounds, gate = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    open(f"{gate}.ready-{me}", "w").close()
    while not os.path.exists(gate):  # every instance opens the fresh file at the same moment
        time.sleep(0.001)
    db = Database(path)
    quotes, news = QuoteStore(db), NewsStore(db)
    now = datetime.now(UTC)
    for i in range(rounds):
        quotes.save([Quote(f"Z{me}{n}", "n", "USD", float(i), time=now, source=me) for n in range(20)])
        loaded = quotes.load([f"Z{me}{n}" for n in range(20)])
        assert len(loaded) == 20 and all(q.last == float(i) for q in loaded.values()), loaded
    print("done", me)
""")


def test_instances_starting_together_on_a_fresh_file_and_writing_concurrently(tmp_path):
    path, gate, n_procs = tmp_path / "shared.db", tmp_path / "go", 6
    procs = [subprocess.Popen([sys.executable, "-c", WORKER, str(path), str(n), "40", str(gate)], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for n in range(n_procs)]
    deadline = time.monotonic() + 30
    while len(list(tmp_path.glob("go.ready-*"))) < n_procs and time.monotonic() < deadline:
        time.sleep(0.01)
    gate.touch()
    results = [(p.wait(timeout=60), *p.communicate()) for p in procs]
    for code, out, err in results:
        assert "locked" not in err and "already exists" not in err, err[-800:]
        assert code == 0 and out.startswith("done"), err[-800:]
    db = Database(path)
    assert len(QuoteStore(db).load([f"Z{m}{n}" for m in range(n_procs) for n in range(20)])) == 20 * n_procs
    assert db.recovered_from is None and not list(tmp_path.glob("shared.db.corrupt-*"))  # in use is not damaged
    db.close()


def test_two_damaged_files_in_the_same_second_keep_both_copies(tmp_path):
    path = tmp_path / "sinoterm.db"
    kept = []
    for n in range(3):
        path.write_bytes(f"damaged copy {n}".encode() * 100)
        kept.append(path.read_bytes())
        db = Database(path)
        assert db.recovered_from is not None
        db.close()
    assert sorted(p.read_bytes() for p in asides(path)) == sorted(kept)


def test_an_unusable_data_directory_means_memory_only_not_a_traceback(config, tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the data directory should be")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocker))
    quote = sinoterm("quote", "9988", "--json", "--config", config)
    assert quote.returncode == 0 and '"stale": false' in quote.stdout
    assert "Traceback" not in quote.stderr and "in memory" in quote.stderr
    doctor = sinoterm("doctor", "--config", config)
    assert "Traceback" not in doctor.stderr and "UNUSABLE" in doctor.stdout
    assert sinoterm("snapshot", "--demo").returncode == 0
