"""Engine and session handling for one service's database."""
from __future__ import annotations

import logging
import select
import time
import weakref
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

log = logging.getLogger(__name__)


def normalize_url(url: str) -> str:
    """Accept the spellings people paste (postgres://, postgresql://) and pick
    the psycopg 3 driver explicitly, whatever SQLAlchemy's default is."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Let SQLAlchemy, not the driver, decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        # Several threads (API, relay, consumer) share one SQLite file in the
        # dev stack. A deferred transaction that later tries to write fails at
        # once with "database is locked" when another writer got there first;
        # taking the write lock up front makes them queue instead.
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def build_engine(url: str, *, pool_size: int = 10, echo: bool = False) -> Engine:
    url = normalize_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(url, echo=echo, hide_parameters=True,
                                   connect_args={"check_same_thread": False, "timeout": 10})
        else:
            engine = create_engine(url, echo=echo, hide_parameters=True, poolclass=StaticPool,
                                   connect_args={"check_same_thread": False})
        _configure_sqlite(engine)
        return engine
    engine = create_engine(
        url,
        echo=echo,
        # Error messages must not quote row values: they may hold PHI.
        hide_parameters=True,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_timeout=10,
        connect_args={"connect_timeout": 5},
    )
    _check_connections_on_checkout(engine)
    return engine


# A pooled connection idle for longer than this is pinged before use.
PING_AFTER_IDLE_SECONDS = 5.0
_IDLE_SINCE = "carebridge.idle_since"


def _socket_has_news(dbapi_connection) -> bool:
    """Whether the server sent something to a connection that is not running
    a query: a closed socket (the server restarted or killed the backend), an
    error or a notice. Costs a poll(2), not a round trip."""
    try:
        poller = select.poll()
        poller.register(dbapi_connection.fileno(), select.POLLIN | select.POLLERR | select.POLLHUP)
        return bool(poller.poll(0))
    except (OSError, ValueError, AttributeError):
        return True


def _check_connections_on_checkout(engine: Engine) -> None:
    """A connection that died with a database restart is replaced on checkout
    instead of failing the request that drew it. Pinging it (a round trip) on
    every checkout, as `pool_pre_ping` does, costs a busy service one query in
    eight; instead a connection is pinged only when its socket shows that the
    server said something while it sat in the pool (a restart closes every
    socket), or when it sat there for a while (a connection dropped silently
    on the way). A failed ping makes the pool connect afresh."""

    @event.listens_for(engine, "connect")
    def _connected(_dbapi_connection, record):
        record.info[_IDLE_SINCE] = time.monotonic()

    @event.listens_for(engine, "checkin")
    def _checked_in(_dbapi_connection, record):
        record.info[_IDLE_SINCE] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checked_out(dbapi_connection, record, _proxy):
        idle_since = record.info.get(_IDLE_SINCE)
        if (idle_since is not None and time.monotonic() - idle_since < PING_AFTER_IDLE_SECONDS
                and not _socket_has_news(dbapi_connection)):
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as error:
            raise DisconnectionError(f"connection failed its check ({type(error).__name__})") from error


# Every Database of this process, for `forget_inherited_connections`.
_DATABASES: "weakref.WeakSet[Database]" = weakref.WeakSet()


def forget_inherited_connections() -> None:
    """In a process just forked from one that had opened databases (a
    gunicorn worker of a preloaded app): drop the pooled connections it
    inherited without closing them, for they are its parent's sockets, so
    that it opens its own. SQLAlchemy's guidance for os.fork():
    `engine.dispose(close=False)` in the child."""
    for database in list(_DATABASES):
        database.engine.dispose(close=False)


class Database:
    """A service's database: engine, sessions, and the questions health checks ask."""

    def __init__(self, url: str, *, service: str, pool_size: int = 10, echo: bool = False):
        self.url = normalize_url(url)
        self.service = service
        self.engine = build_engine(self.url, pool_size=pool_size, echo=echo)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False, info={"service": service})
        _DATABASES.add(self)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work commits when the block ends without error."""
        with self.sessions() as session:
            with session.begin():
                yield session

    def ping(self) -> None:
        with self.engine.connect() as connection:
            connection.execute(text("SELECT 1"))

    def dispose(self) -> None:
        self.engine.dispose()
