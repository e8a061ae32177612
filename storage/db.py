"""The SQLite database: one file, WAL, per-component schema versions, corruption handled.

Each store (quotes, news, fundamentals...) owns its tables and a list of migrations; `Database.ensure`
applies the ones a file has not seen yet. Components version independently, so adding a table in one
never renumbers another's migrations.
"""
from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Sequence
from pathlib import Path

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 5000


class Database:
    """A connection to the Sinoterm database, shared by the stores of one process.

    `check_same_thread=False` with a lock: Textual workers may touch the cache from a thread.
    """

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self.recovered_from: Path | None = None  # where a corrupt file was moved, to report it
        self.unavailable: str | None = None  # why the file could not be used at all (memory only, then)
        self._lock = threading.RLock()
        self.conn = self._open()

    def _open(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as e:  # the data dir is a file, read-only, on a gone mount...
            return self._in_memory(e)
        waited_until = time.monotonic() + BUSY_TIMEOUT_MS / 1000
        while True:
            conn = None
            try:
                conn = self._connect()
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
                if conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                    raise sqlite3.DatabaseError("quick_check failed")
                return conn
            except sqlite3.DatabaseError as e:
                if conn is not None:
                    conn.close()
                if not _busy(e):
                    return self._rebuild(e)
                # Another instance holds the lock (switching a fresh file to WAL does not wait on the
                # busy handler): wait for it. A locked file is in use, not damaged: never move it aside.
                if time.monotonic() >= waited_until:
                    raise
                time.sleep(0.02)

    def _connect(self, target: Path | str | None = None) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path if target is None else target, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False,
                               isolation_level=None)
        conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_versions (component TEXT PRIMARY KEY, version INTEGER NOT NULL)"
        )
        return conn

    def _rebuild(self, error: Exception) -> sqlite3.Connection:
        """Move a corrupt file aside (never delete the user's data) and start a fresh one."""
        stamp = f"{self.path.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}"
        aside, n = self.path.with_name(stamp), 1
        while aside.exists():  # damaged twice within a second: never overwrite the earlier copy
            aside, n = self.path.with_name(f"{stamp}-{n}"), n + 1
        log.warning("database %s is unreadable (%s); moved to %s and rebuilt", self.path, error, aside)
        try:
            for suffix in ("", "-wal", "-shm"):
                src = Path(str(self.path) + suffix)
                if src.exists():
                    src.replace(Path(str(aside) + suffix))
            self.recovered_from = aside
            return self._connect()
        except (OSError, sqlite3.Error) as e:  # cannot move it or cannot create a new one here
            return self._in_memory(e)

    def _in_memory(self, error: Exception) -> sqlite3.Connection:
        """Run without the file rather than not at all: nothing is cached across runs, and it is said."""
        log.warning("database %s cannot be used (%s); caching in memory for this run only", self.path, error)
        self.unavailable = str(error)
        return self._connect(":memory:")

    def ensure(self, component: str, migrations: Sequence[str]) -> None:
        """Apply `migrations[version:]` for `component` in one transaction each.

        The version is read again inside each write transaction: two instances starting together
        on a fresh file would otherwise both run the first migration ("table already exists")."""
        with self._lock:
            if self._version(component) >= len(migrations):
                return
            while True:
                self.conn.execute("BEGIN IMMEDIATE")
                try:
                    version = self._version(component)
                    if version >= len(migrations):
                        self.conn.execute("COMMIT")
                        return
                    for statement in filter(str.strip, migrations[version].split(";")):
                        self.conn.execute(statement)
                    self.conn.execute(
                        "INSERT INTO schema_versions(component, version) VALUES (?, ?) "
                        "ON CONFLICT(component) DO UPDATE SET version = excluded.version",
                        (component, version + 1),
                    )
                    self.conn.execute("COMMIT")
                except BaseException:
                    self.conn.execute("ROLLBACK")
                    raise

    def _version(self, component: str) -> int:
        row = self.conn.execute("SELECT version FROM schema_versions WHERE component = ?", (component,)).fetchone()
        return row[0] if row else 0

    def execute(self, sql: str, params: Sequence | dict = ()) -> sqlite3.Cursor:
        with self._lock:
            return self.conn.execute(sql, params)

    def executemany(self, sql: str, rows: Sequence[Sequence]) -> None:
        """Many rows in one transaction: one fsync for a 500-symbol refresh, not 500."""
        with self._lock:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                self.conn.executemany(sql, rows)
                self.conn.execute("COMMIT")
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise

    def close(self) -> None:
        with self._lock:
            self.conn.close()


def _busy(error: sqlite3.DatabaseError) -> bool:
    """SQLITE_BUSY or SQLITE_LOCKED: the file is in use by another connection."""
    return getattr(error, "sqlite_errorcode", None) in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) or (
        "locked" in str(error) or "busy" in str(error))
