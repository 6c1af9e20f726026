"""The one module that talks to the database.

The embedded default is a single SQLite file in the data directory, in WAL
mode with foreign keys on; every write is one ``BEGIN IMMEDIATE`` transaction
so two processes (the console and the provisioning service) serialise instead
of failing half-way. Nothing outside this module knows it is SQLite: a
PostgreSQL URL is a configuration change (``ZMCONSOLE_DATABASE_URL``), where every
write takes a transaction-level advisory lock instead (the same one-writer-at-a-time
rule across consoles, service instances and timers) and every read one REPEATABLE
READ snapshot. A store whose schema is newer than this code is refused, naming the
release that wrote it.
Database failures a person can fix (locked, read-only, full, corrupt) become
:class:`StoreError` with a message that says what to do.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zmconsole.core.errors import Hint, HintKind, StoreError

if TYPE_CHECKING:
    from sqlalchemy import ColumnElement, Connection, Engine

    from zmconsole.core.operators import Operator

# SQLAlchemy is imported where it is used, not here: importing it costs a fresh process about 0.3 s, and the
# monitoring check reads an SQLite store without it (open_snapshot).

DB_FILENAME = "zmconsole.db"
SCHEMA_HEAD = "0012"
_MIGRATIONS = Path(__file__).with_name("migrations")
_BUSY_TIMEOUT_MS = 10_000
# PostgreSQL: every write transaction first takes this transaction-level advisory lock (released at commit or
# rollback), the equivalent of SQLite's BEGIN IMMEDIATE: serial numbers, CRL numbers and the audit chain are
# read and extended by one writer at a time, whichever console, service or timer it is. The value is arbitrary
# ("zmcs" in ASCII), fixed so that every zmconsole process on the database agrees on it.
_PG_WRITE_LOCK = 0x7A6D6373
#: The settings row naming the zmconsole release that last migrated the store (read by an older release).
WRITTEN_BY_KEY = "store_written_by"
# Files only an existing store leaves in the data directory (besides the key files in private/).
_STATE_FILES = ("ca.crt.pem", "audit-heads.log")


def _configure_sqlite(dbapi_conn: sqlite3.Connection) -> None:
    # Take transaction control away from pysqlite: Store._begin (or open_snapshot) starts every transaction.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA foreign_keys = ON")
    cur.execute("PRAGMA journal_mode = WAL")
    cur.execute("PRAGMA synchronous = NORMAL")
    cur.close()


def _install_sqlite_hooks(engine: Engine) -> None:
    from sqlalchemy import event

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        _configure_sqlite(dbapi_conn)


def _install_postgres_hooks(engine: Engine) -> None:
    from sqlalchemy import event

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: object) -> None:
        # A writer waits for the write lock as long as SQLite's busy timeout, then fails with "locked": a console
        # left holding a transaction must not hang every other writer forever.
        with dbapi_conn.cursor() as cur:
            cur.execute(f"SET lock_timeout = {int(_BUSY_TIMEOUT_MS)}")
        dbapi_conn.commit()


# SQLite result codes (https://sqlite.org/rescode.html): the primary code is the low byte of the extended one.
_SQLITE_CORRUPT, _SQLITE_IOERR, _SQLITE_FULL, _SQLITE_NOTADB = 11, 10, 13, 26
_SQLITE_IOERR_SHORT_READ = 522  # a file shorter than its header says: truncated, not a failing disk
# With an I/O error and less free space than this, the disk is (nearly) full: SQLite cannot grow the -wal or
# -shm file and reports SQLITE_IOERR_SHMSIZE or _WRITE, not SQLITE_FULL.
_LOW_SPACE = 16 * 1024 * 1024


def _free_bytes(directory: Path | None) -> int | None:
    if directory is None:
        return None
    try:
        stats = os.statvfs(directory)
    except OSError:
        return None
    return stats.f_bavail * stats.f_frsize


_LOST_SERVER = ("could not connect", "connection refused", "server closed the connection", "terminating connection",
                "connection to server", "connection is closed", "the connection is lost", "no route to host",
                "could not translate host name", "connection timed out", "the database system is shutting down",
                "the database system is starting up", "consuming input failed")


def _is_lost_server(original: BaseException, message: str) -> bool:
    """Whether a non-SQLite error is a server that is down, unreachable or gone mid-transaction."""
    module = type(original).__module__
    return module.startswith("psycopg") and any(part in message for part in _LOST_SERVER)


def _first_line(error: BaseException) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def describe_url(url: str) -> str:
    """The database a URL names, for messages: driver, host, port and database, never the password or user."""
    from sqlalchemy import exc as sa_exc
    from sqlalchemy import make_url

    try:
        parsed = make_url(url)
    except sa_exc.ArgumentError:
        return "(ZMCONSOLE_DATABASE_URL)"
    host = parsed.host or parsed.query.get("host") or "local socket"
    port = f":{parsed.port}" if parsed.port else ""
    return f"{parsed.get_backend_name()}://{host}{port}/{parsed.database or ''}"


def translate(error: Exception, where: str, directory: Path | None = None) -> StoreError:
    """Turn a database exception into a message a person can act on.

    ``directory`` holds the database file: its free space tells a full disk from a failing one, since SQLite
    reports both as "disk I/O error" when it cannot grow its shared-memory or WAL file.
    """
    original = getattr(error, "orig", error)
    message = str(original).lower()
    code = getattr(original, "sqlite_errorcode", None)
    primary = None if code is None else code & 0xFF
    if code is None and _is_lost_server(original, message):
        return StoreError(
            f"The database server of the store {where} cannot be reached or closed the connection "
            f"({_first_line(original)}): check that PostgreSQL is running and reachable from this machine, then "
            "try again.")
    if "value too long" in message or "string data, right truncation" in message:
        return StoreError(f"The store {where} refused a value longer than its column allows "
                          f"({_first_line(original)}): nothing was changed; shorten the value.")
    if "locked" in message or "busy" in message or "lock timeout" in message:  # SQLite's or PostgreSQL's words
        return StoreError(
            f"The store {where} is locked by another zmconsole process: "
            "wait for it to finish (or close the other console) and try again."
        )
    if "readonly" in message or "read-only" in message:
        return StoreError(
            f"The store {where} is read-only, so only reading works (listing devices, verifying the audit "
            "log...): check the permissions or the mount of the data directory.", hint=Hint(HintKind.CHOOSE_HOME))
    free = _free_bytes(directory)
    io_error = primary == _SQLITE_IOERR or (code is None and "disk i/o" in message)
    if (primary == _SQLITE_FULL or "full" in message or "no space" in message
            or (io_error and code != _SQLITE_IOERR_SHORT_READ and free is not None and free < _LOW_SPACE)):
        left = f" ({free // 1024} KiB free)" if free is not None and free < _LOW_SPACE else ""
        return StoreError(f"The disk holding the store {where} is full{left}: free some space and try again; "
                          "the store itself is not damaged.")
    if (primary in (_SQLITE_CORRUPT, _SQLITE_NOTADB) or code == _SQLITE_IOERR_SHORT_READ
            or "not a database" in message or "malformed" in message or "corrupt" in message):
        # A truncated file reads as SQLITE_IOERR_SHORT_READ ("disk I/O error"): retrying never helps.
        return StoreError(
            f"The store {where} is damaged (not a readable database): restore it from a backup.",
            hint=Hint(HintKind.CHOOSE_HOME))
    if io_error:
        name = getattr(original, "sqlite_errorname", "disk I/O error")
        return StoreError(f"The disk holding the store {where} failed to read or write ({name}): check the disk "
                          "and the system log, then try again; do not restore a backup over the store yet.")
    if "violates foreign key constraint" in message:  # PostgreSQL's words for SQLite's FOREIGN KEY failure
        return StoreError(f"The store {where} refused a record that names a missing one (FOREIGN KEY "
                          f"constraint failed: {_first_line(original)}): nothing was changed.")
    if "unique constraint" in message or "duplicate key" in message:
        return StoreError(
            f"The store {where} already holds a record with the same key (for example a serial number): "
            "nothing was changed; run the command again."
        )
    if "unable to open" in message:
        return StoreError(
            f"The store {where} cannot be opened: check that the data directory exists and is writable."
        )
    return StoreError(f"The store {where} failed ({getattr(error, 'orig', error)}): check the disk and retry.")


def _refuse_lost_store(home: Path, db: Path) -> None:
    """Refuse to start a new store where an old one was lost: a missing or empty database next to key files.

    Truncating or deleting ``zmconsole.db`` must not turn the data directory into a fresh store, whose
    ``ca init`` would then stand beside (or replace) the only copy of the old CA key.
    """
    try:
        if db.exists() and db.stat().st_size > 0:
            return
        left = sorted(str(p.relative_to(home)) for p in (home / "private").glob("*") if p.is_file())
        left += [name for name in _STATE_FILES if (home / name).exists()]
        wal = Path(f"{db}-wal")
        if wal.exists() and wal.stat().st_size > 0:
            left.append(wal.name)
    except OSError:
        return  # an unreadable directory is reported by the open that follows
    if left:
        state = "is empty (0 bytes)" if db.exists() else "is missing"
        raise StoreError(
            f"The store {db} {state}, but the data directory still holds {', '.join(left)}: it is not a new "
            "store, so nothing was created. Restore zmconsole.db from a backup.", hint=Hint(HintKind.CHOOSE_HOME))


def _read_only_uri(db: Path) -> str | None:
    """The file: URI to open an existing database file read-only, where it cannot be written; else None.

    On a read-only mount no process can write, so SQLite may treat the file as immutable: it needs no -shm
    file, which it could not create there. Elsewhere a read-only handle still shares the lock files.
    """
    if db.exists() and not (os.access(db, os.W_OK) and os.access(db.parent, os.W_OK)):
        try:
            read_only_mount = bool(os.statvfs(db).f_flag & os.ST_RDONLY)
        except OSError:
            read_only_mount = False
        return f"file:{db}?{'immutable=1' if read_only_mount else 'mode=ro'}"
    return None


def _sqlite_url(db: Path) -> str:
    """The URL for the database file: read-only where the file cannot be written, so reading still works."""
    read_only = _read_only_uri(db)
    if read_only is not None:
        return f"sqlite:///{read_only}&uri=true"
    # Create the file 0600 ourselves (SQLite gives its -wal and -shm files the database's mode):
    # changing the process umask instead would race with other threads opening files.
    try:
        os.close(os.open(db, os.O_WRONLY | os.O_CREAT, 0o600))
    except OSError as error:
        if error.errno == errno.ENOSPC:
            raise StoreError(f"The store {db} cannot be created: the disk is full. Free some space and try "
                             "again.") from error
        raise StoreError(f"The store {db} cannot be created ({error.strerror}).",
                         hint=Hint(HintKind.CHOOSE_HOME)) from error
    return f"sqlite:///{db}"


_AUDITED = "zmconsole.audited"
_OPERATOR = "zmconsole.operator"


def signed_in(conn: Connection) -> str | None:
    """The name of the operator signed in on the store this write transaction runs on (None: nobody)."""
    name: str | None = conn.info.get(_OPERATOR)
    return name


def mark_audited(conn: Connection, head: tuple[int, str] | None) -> None:
    """Note the audit chain's new head ``(seq, hash)`` in this write transaction, for
    :attr:`Store.before_commit`; None once its checkpoint is signed."""
    if head is None:
        conn.info.pop(_AUDITED, None)
    else:
        conn.info[_AUDITED] = head


def audited_head(conn: Connection) -> tuple[int, str] | None:
    """The head this write transaction appended, if it appended any (see :func:`mark_audited`)."""
    head: tuple[int, str] | None = conn.info.get(_AUDITED)
    return head


def _release() -> str:
    from importlib import metadata

    try:
        return metadata.version("zmconsole")
    except metadata.PackageNotFoundError:
        return "(unknown version)"


def _note_written_by(conn: Connection) -> None:
    """Record the release that migrated the store, so that an older one can say which to install."""
    import json

    from sqlalchemy import text

    value = json.dumps({"zmconsole": _release(), "schema": SCHEMA_HEAD})
    if conn.execute(text("UPDATE settings SET value = :v WHERE key = :k"), {"k": WRITTEN_BY_KEY, "v": value}).rowcount:
        return
    conn.execute(text("INSERT INTO settings (key, value) VALUES (:k, :v)"), {"k": WRITTEN_BY_KEY, "v": value})


class Store:
    """An open store: an engine plus the transaction helpers every operation uses."""

    def __init__(self, url: str, *, label: str, home: Path | None = None) -> None:
        self.url = url
        self.label = label
        self.home = home
        self._sqlite = url.startswith("sqlite")
        self._postgres = url.startswith("postgresql")
        #: Runs at the end of every write transaction that appended audit entries (the audit checkpoints).
        self.before_commit: Callable[[Connection], Callable[[], None] | None] | None = None
        #: The operator signed in on this handle (core/operators.sign_in); every audit entry names them.
        self.operator: Operator | None = None
        from sqlalchemy import create_engine
        from sqlalchemy.pool import QueuePool

        kwargs: dict[str, Any] = {}
        if self._sqlite:
            # Pooled connections, each used by one thread at a time. Opening a connection per use costs more
            # than a whole issuance: the last one to close checkpoints and deletes the WAL (benchmarks/).
            # No overflow limit: a busy service never waits for the pool, it opens (and later closes) another.
            kwargs["poolclass"] = QueuePool
            kwargs["max_overflow"] = -1
            kwargs["connect_args"] = {"check_same_thread": False}
        self.engine = create_engine(url, **kwargs)
        if self._sqlite:
            _install_sqlite_hooks(self.engine)
        elif self._postgres:
            _install_postgres_hooks(self.engine)

    @classmethod
    def open(cls, home: Path, *, migrate: bool = True) -> Store:
        """Open (creating and, unless ``migrate`` is false, migrating if needed) the store in the data
        directory ``home``, or the database ZMCONSOLE_DATABASE_URL names."""
        url = os.environ.get("ZMCONSOLE_DATABASE_URL")
        if url:
            store = cls(url, label=describe_url(url), home=home)
        else:
            db = home / DB_FILENAME
            _refuse_lost_store(home, db)
            store = cls(_sqlite_url(db), label=str(db), home=home)
        if migrate:
            store.migrate()
        return store

    def integrity_problems(self) -> list[str]:
        """What SQLite's page-level check finds wrong with the database file: empty when it is sound.

        A damaged page can sit in a table the audit walk never reads, so the walk alone cannot vouch for the
        file. Only SQLite has the check; another database is trusted to guard its own pages.
        """
        if not self._sqlite:
            return []
        with self.read() as conn:
            rows = [str(row[0]) for row in conn.exec_driver_sql("PRAGMA integrity_check(20)")]
        return [] if rows == ["ok"] else rows

    def migrate(self) -> None:
        """Bring the schema to the head revision; a no-op (one query) when it is current."""
        from sqlalchemy import exc as sa_exc

        try:
            with self.engine.connect() as conn:
                current = self._schema_version(conn)
                if current == SCHEMA_HEAD:
                    return
                if current is not None and current > SCHEMA_HEAD:
                    self._refuse_newer(conn, current)
            self.upgrade()
        except sa_exc.DBAPIError as error:
            raise translate(error, self.label, self.home) from error

    def schema_version(self) -> str | None:
        """The store's schema revision (None for an empty database)."""
        from sqlalchemy import exc as sa_exc

        try:
            with self.engine.connect() as conn:
                return self._schema_version(conn)
        except sa_exc.DBAPIError as error:
            raise translate(error, self.label, self.home) from error

    def upgrade(self) -> str | None:
        """Migrate to :data:`SCHEMA_HEAD` (under the write lock) and return the revision it started from.

        Two processes meeting a fresh database both get here: the second waits for the first's lock, then
        finds the schema current and changes nothing.
        """
        from alembic import command
        from alembic.config import Config
        from sqlalchemy import exc as sa_exc

        config = Config()
        config.set_main_option("script_location", str(_MIGRATIONS))
        try:
            with self.engine.connect() as conn, conn.begin():  # alembic runs inside this one transaction
                self._begin(conn, write=True)
                before = self._schema_version(conn, in_transaction=True)
                if before is not None and before > SCHEMA_HEAD:
                    self._refuse_newer(conn, before)
                if before != SCHEMA_HEAD:
                    config.attributes["connection"] = conn
                    command.upgrade(config, "head")
                    _note_written_by(conn)
                return before
        except sa_exc.DBAPIError as error:
            raise translate(error, self.label, self.home) from error

    def _refuse_newer(self, conn: Connection, current: str) -> None:
        import json

        from sqlalchemy import exc as sa_exc
        from sqlalchemy import text

        release = None
        try:
            row = conn.execute(text("SELECT value FROM settings WHERE key = :k"), {"k": WRITTEN_BY_KEY}).first()
            if row is not None:
                release = json.loads(row[0]).get("zmconsole")
        except (sa_exc.DBAPIError, ValueError, AttributeError):
            release = None
        wanted = f"zmconsole {release} or newer" if release else "the newer zmconsole that upgraded it"
        raise StoreError(
            f"The store {self.label} has schema {current}, newer than this zmconsole {_release()} knows (up to "
            f"{SCHEMA_HEAD}): nothing was read or changed. Install {wanted}, or use it for this store.")

    @staticmethod
    def _schema_version(conn: Connection, *, in_transaction: bool = False) -> str | None:
        from sqlalchemy import exc as sa_exc
        from sqlalchemy import text

        try:
            if in_transaction:  # a failed statement would end the caller's transaction on PostgreSQL
                with conn.begin_nested():
                    row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
            else:
                row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
        except (sa_exc.OperationalError, sa_exc.ProgrammingError) as error:
            # SQLite says "no such table"; PostgreSQL raises UndefinedTable, a ProgrammingError
            if "no such table" not in str(error).lower() and "does not exist" not in str(error).lower():
                raise
            if not in_transaction:
                conn.rollback()
            return None
        return None if row is None else str(row[0])

    def _begin(self, conn: Connection, *, write: bool) -> None:
        """Start the SQLite transaction of ``conn.begin()``: IMMEDIATE takes the write lock up front.

        Issued here rather than from a "begin" event listener: any connection-event listener makes SQLAlchemy
        dispatch events around every statement, which cost 0.05-0.07 ms per issued certificate
        (docs/performance.md).
        """
        if self._sqlite:
            conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")
        elif self._postgres:
            if write:
                conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_WRITE_LOCK})")
            else:  # one snapshot for the whole read, as SQLite's deferred transaction gives
                conn.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")

    def contains(self, column: ColumnElement[Any], fragment: str) -> ColumnElement[bool]:
        """Case-insensitive match of ``fragment`` anywhere in ``column``; its ``%`` and ``_`` are literal.

        SQLite's LIKE already ignores ASCII case, the same folding SQLAlchemy's ``ilike`` gets there by wrapping
        both sides in ``lower()``, which doubles the cost of a search over a large store; other databases get
        ``ilike``.
        """
        if self._sqlite:
            return column.contains(fragment, autoescape=True)
        return column.icontains(fragment, autoescape=True)

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """One write transaction: committed on success, rolled back on any error.

        When the transaction appended audit entries (:func:`mark_audited`) and :attr:`before_commit` is set,
        the hook runs last inside the transaction; what it returns runs after the commit.
        """
        from sqlalchemy import exc as sa_exc

        try:
            with self.engine.connect() as conn:
                after: Callable[[], None] | None = None
                with conn.begin():
                    self._begin(conn, write=True)
                    conn.info.pop(_AUDITED, None)  # the connection is pooled: forget the last transaction
                    conn.info[_OPERATOR] = None if self.operator is None else self.operator.name
                    yield conn
                    if self.before_commit is not None and _AUDITED in conn.info:
                        after = self.before_commit(conn)
                if after is not None:
                    after()
        except sa_exc.DBAPIError as error:
            raise translate(error, self.label, self.home) from error

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A read-only snapshot (a deferred transaction)."""
        from sqlalchemy import exc as sa_exc

        try:
            with self.engine.connect() as conn:
                with conn.begin():
                    self._begin(conn, write=False)
                    yield conn
        except sa_exc.DBAPIError as error:
            raise translate(error, self.label, self.home) from error

    def dispose(self) -> None:
        self.engine.dispose()

    @contextmanager
    def snapshot(self) -> Iterator[Snapshot]:
        """A read snapshot (:meth:`read`) for portable SQL text, as :func:`open_snapshot` gives one."""
        from sqlalchemy import text

        with self.read() as conn:
            yield Snapshot(lambda sql, params: [tuple(row) for row in conn.execute(text(sql), dict(params))])


class Snapshot:
    """One read-only snapshot of the store for portable SQL: the same text, with ``:name`` parameters, runs on
    SQLite and PostgreSQL alike.

    For the few reads that must be quick in a fresh process (the monitoring check): a query written once as
    SQL needs neither SQLAlchemy's import nor its statement compiler, so :func:`open_snapshot` can hand it
    straight to the sqlite3 driver, and to SQLAlchemy everywhere else.
    """

    def __init__(self, run: Callable[[str, Mapping[str, Any]], list[tuple[Any, ...]]]) -> None:
        self._run = run

    def rows(self, sql: str, params: Mapping[str, Any] | None = None) -> list[tuple[Any, ...]]:
        return self._run(sql, params or {})


@contextmanager
def open_snapshot(home: Path) -> Iterator[Snapshot]:
    """A :class:`Snapshot` of the store in ``home`` (or at ZMCONSOLE_DATABASE_URL), for a process that only reads.

    An existing SQLite store at the head revision is read through the sqlite3 driver directly, with the pragmas
    and the deferred transaction :meth:`Store.read` uses: no SQLAlchemy import, engine or migration machinery,
    which cost a short-lived process several hundred milliseconds (docs/performance.md). Everything else goes
    through :meth:`Store.open` and :meth:`Store.snapshot` with the same SQL: PostgreSQL, and a store that does
    not exist yet or whose schema is not the head, which is created, migrated or refused exactly as for any
    other command.
    """
    if not os.environ.get("ZMCONSOLE_DATABASE_URL"):
        db = home / DB_FILENAME
        _refuse_lost_store(home, db)
        raw = _sqlite_at_head(db, home)
        if raw is not None:
            try:
                raw.execute("BEGIN")
                yield Snapshot(lambda sql, params: raw.execute(sql, params).fetchall())
            except sqlite3.Error as error:
                raise translate(error, str(db), home) from error
            finally:
                raw.close()  # the read transaction ends with the connection
            return
    store = Store.open(home)
    try:
        with store.snapshot() as snapshot:
            yield snapshot
    finally:
        store.dispose()


def _sqlite_at_head(db: Path, home: Path) -> sqlite3.Connection | None:
    """A driver connection to the database file when it exists and its schema is the head, else None."""
    try:
        if not db.exists() or db.stat().st_size == 0:
            return None
    except OSError:
        return None  # Store.open reports it
    read_only = _read_only_uri(db)
    try:
        raw = sqlite3.connect(read_only or db, uri=read_only is not None, check_same_thread=False)
    except sqlite3.Error as error:
        raise translate(error, str(db), home) from error
    try:
        _configure_sqlite(raw)
        row = raw.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.OperationalError as error:
        raw.close()
        if "no such table" in str(error).lower():
            return None
        raise translate(error, str(db), home) from error
    except sqlite3.Error as error:
        raw.close()
        raise translate(error, str(db), home) from error
    if row is None or row[0] != SCHEMA_HEAD:
        raw.close()
        return None
    return raw
