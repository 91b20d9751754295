"""The one engine factory: Cloud SQL connector, a URL, or an embedded Postgres, chosen by settings."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from typing import Any, TypeVar

import pg8000.exceptions
import sqlalchemy as sa

from shared.core import errors
from shared.core.settings import Settings, get_settings

T = TypeVar("T")
_embedded_lock = threading.Lock()
BEGIN = "begin transaction isolation level read committed"
PING = "SELECT 1"
# What a checkout sends to prove its connection alive: a ping, a transaction's BEGIN, or nothing
# for work that is run again on a new connection if its link turns out dead.
_on_checkout: ContextVar[str | None] = ContextVar("on_checkout", default=PING)
log = logging.getLogger("support.db")


@lru_cache(maxsize=1)
def get_engine() -> sa.Engine:
    """The process-wide engine, created on first use."""
    return create_engine(get_settings())


def reset_engine() -> None:
    """Close the process-wide engine's connections; the next use builds a new one from the settings."""
    if get_engine.cache_info().currsize:
        get_engine().dispose()
    get_engine.cache_clear()


def create_engine(settings: Settings) -> sa.Engine:
    """An engine for whichever connection mode `settings` selects."""
    pool = _pool_options(settings)
    if settings.instance_connection_name:
        engine = sa.create_engine("postgresql+pg8000://", creator=_cloud_sql_connect(settings), **pool)
    else:
        engine = sa.create_engine(_database_url(settings), **pool)
    sa.event.listen(engine, "handle_error", _mark_server_goodbyes_as_disconnects)
    sa.event.listen(engine.pool, "connect", _mark_fresh)
    sa.event.listen(engine.pool, "checkout", _check_alive)
    PoolGauge(settings.pool_size + settings.db_max_overflow).watch(engine)
    return engine


class PoolGauge:
    """Connections checked out of a pool now and the most at once; each new peak is logged.

    The peak says whether DB_POOL_SIZE fits the concurrency (bench/load.py reads it), and a
    pool in full use is logged as a warning, before requests start to wait for it.
    """

    def __init__(self, capacity: int) -> None:
        self.capacity, self.checked_out, self.peak = capacity, 0, 0
        self._lock = threading.Lock()

    def watch(self, engine: sa.Engine) -> None:
        """Count `engine`'s checkouts and checkins from now on."""
        sa.event.listen(engine.pool, "checkout", self._checked_out)
        sa.event.listen(engine.pool, "checkin", self._checked_in)

    def _checked_out(self, *_: Any) -> None:
        with self._lock:
            self.checked_out += 1
            if self.checked_out <= self.peak:
                return
            self.peak = self.checked_out
        full = self.peak >= self.capacity
        log.log(
            logging.WARNING if full else logging.INFO,
            "database pool in full use" if full else "database pool peak",
            extra={"pool_checked_out": self.peak, "pool_capacity": self.capacity},
        )

    def _checked_in(self, *_: Any) -> None:
        with self._lock:
            self.checked_out -= 1


def _mark_fresh(dbapi_connection: Any, record: Any) -> None:
    record.info["fresh"] = True


def _check_alive(dbapi_connection: Any, record: Any, proxy: Any) -> None:
    """At checkout, one round trip proves the connection alive: the transaction's BEGIN, else a ping.

    A connection idle through a database restart is dead; found here, it is replaced (and every
    older one with it) and the request goes on, so the first request after an outage succeeds.
    A transaction's BEGIN is the ping, so a transaction costs no extra round trip for it. (This
    is SQLAlchemy's pool_pre_ping, with the BEGIN doing the ping's work.) `run_idempotent` sends nothing:
    it runs its work again on a checked connection if the link was dead.
    """
    statement = _on_checkout.get()
    if statement is None or (record.info.pop("fresh", False) and statement == PING):
        return
    try:
        dbapi_connection.execute_simple(statement)
    except Exception as exc:  # pg8000 lets some socket errors out unwrapped (ConnectionResetError)
        raise sa.exc.InvalidatePoolError(str(exc)) from exc


def _mark_server_goodbyes_as_disconnects(context: sa.engine.ExceptionContext) -> None:
    # A server shutting down or restarting says so with an error (57P01...) rather than a dead
    # socket; treated as a disconnect, every connection of that generation is replaced.
    if is_server_goodbye(context.original_exception):
        context.is_disconnect = True


def is_server_goodbye(orig: BaseException | None) -> bool:
    """Whether a driver error is the server ending the connection (shutdown, restart, lost link)."""
    return _sqlstate(orig).startswith(("08", "57P"))


def _pool_options(settings: Settings) -> dict[str, Any]:
    return {
        # One connection per concurrent request (THREADS) so no request waits for another's; each
        # instance of each function holds its own pool, so size x max instances x functions must
        # stay below the server's max_connections (25 on db-f1-micro).
        "pool_size": settings.pool_size,
        # A little slack for a burst on one instance, still inside that budget.
        "max_overflow": settings.db_max_overflow,
        # Fail fast with a 503 rather than hold a request while the pool is exhausted.
        "pool_timeout": settings.db_pool_timeout_seconds,
        # Replace idle connections before Cloud SQL or a NAT drops them; cheaper than a ping per checkout.
        "pool_recycle": settings.db_pool_recycle_seconds,
        # No pool_pre_ping: _check_alive does its work at checkout, in the BEGIN of a transaction.
        # Statement parameters are customer text and token hashes: keep them out of error messages.
        "hide_parameters": True,
        # Every hot-path statement is a single atomic statement, so no BEGIN/COMMIT round trips.
        "isolation_level": "AUTOCOMMIT",
    }


def _database_url(settings: Settings) -> str:
    if settings.database_url:
        url = settings.database_url
        for prefix in ("postgresql://", "postgres://"):
            if url.startswith(prefix):
                url = "postgresql+pg8000://" + url[len(prefix) :]
        return url
    from shared.db.embedded import embedded_url, ensure_database, start_embedded

    with _embedded_lock:
        server = start_embedded(settings.embedded_pg_dir)
        ensure_database(server, settings.db_name)
    return embedded_url(server, settings.db_name)


def _cloud_sql_connect(settings: Settings) -> Any:
    from google.cloud.sql.connector import Connector, IPTypes

    # Lazy refresh: serverless instances get little CPU between requests, so no background refresh.
    connector = Connector(refresh_strategy="lazy")
    instance = str(settings.instance_connection_name)
    password = settings.db_password.get_secret_value() if settings.db_password else None

    def connect() -> Any:
        return connector.connect(
            instance,
            "pg8000",
            user=settings.db_user,
            db=settings.db_name,
            password=None if settings.db_iam_auth else password,
            enable_iam_auth=settings.db_iam_auth,
            ip_type=IPTypes.PRIVATE if settings.db_private_ip else IPTypes.PUBLIC,
        )

    return connect


@contextmanager
def connection() -> Iterator[sa.Connection]:
    """An autocommit connection; a database outage becomes a 503."""
    with _outages_as_unavailable(), _checkout(get_engine()) as conn:
        yield conn


def run_idempotent(work: Callable[[sa.Connection], T]) -> T:
    """Run `work` on an autocommit connection checked out without a ping (one round trip less).

    If the connection turns out dead (idle through a database restart), `work` runs again on a
    connection checked as `connection()` checks it: the ping's guarantee without its round trip.
    Only for work that is safe to run twice: reads, and single statements that store at most once.
    """
    try:
        with _outages_as_unavailable(), _checkout(get_engine(), first=None) as conn:
            return work(conn)
    except errors.ServiceUnavailable:
        with connection() as conn:
            return work(conn)


@contextmanager
def transaction() -> Iterator[sa.Connection]:
    """A connection inside one READ COMMITTED transaction, for multi-statement writes; an outage becomes a 503.

    The pool's connections are in autocommit mode. Switching one to a transactional isolation
    level and back costs about six round trips per transaction; an explicit BEGIN (sent at
    checkout, where it also proves the connection alive) and COMMIT cost one each. A
    transaction left open by a failure is rolled back here, and the pool's reset on return
    rolls back whatever is still open.
    """
    with _outages_as_unavailable(), _checkout(get_engine(), first=BEGIN) as conn:
        driver: Any = conn.connection.driver_connection
        try:
            yield conn
        except BaseException:
            _roll_back(conn, driver)
            raise
        driver.execute_simple("commit")


def _roll_back(conn: sa.Connection, driver: Any) -> None:
    try:
        driver.rollback()  # nothing to send when the failure already ended the transaction
    except Exception as exc:  # the link is gone: never give this connection back to the pool
        conn.invalidate(exc)


@contextmanager
def rehearsal() -> Iterator[sa.Connection]:
    """A transaction that is always rolled back: to see what a change would do without making it."""
    engine = get_engine().execution_options(isolation_level="READ COMMITTED")
    with _outages_as_unavailable(), _checkout(engine) as conn:
        trial = conn.begin()
        try:
            yield conn
        finally:
            trial.rollback()


# SQLSTATE classes and codes that mean the server is away, restarting or full, not that the statement is wrong.
_OUTAGE_SQLSTATE_PREFIXES = ("08", "57P", "53300")
# pg8000 raises InterfaceError for a lost or refused connection, and also for mistakes in our own SQL.
_CONNECTION_WORDS = ("network", "communication", "connection", "connect", "closed", "ssl")
_UNAVAILABLE = "The database is unavailable. Please try again shortly."


def _checkout(engine: sa.Engine, *, first: str | None = PING) -> sa.Connection:
    # Getting a connection fails only for reasons outside the request: the server, the network, the
    # Cloud SQL connector or the pool. Some escape unwrapped (an isolation level set on a dead link).
    sending = _on_checkout.set(first)
    try:
        return engine.connect()
    except Exception as exc:
        raise errors.ServiceUnavailable(_UNAVAILABLE) from exc
    finally:
        _on_checkout.reset(sending)


@contextmanager
def _outages_as_unavailable() -> Iterator[None]:
    try:
        yield
    except (sa.exc.DBAPIError, sa.exc.TimeoutError, OSError, pg8000.exceptions.Error) as exc:
        if not is_outage(exc):
            raise
        raise errors.ServiceUnavailable(_UNAVAILABLE) from exc


def is_outage(exc: BaseException) -> bool:
    """Whether `exc` means the database cannot be reached now (down, restarting, pool exhausted)."""
    if isinstance(exc, sa.exc.TimeoutError | OSError):
        return True
    if isinstance(exc, sa.exc.DBAPIError):
        return isinstance(exc, sa.exc.OperationalError) or exc.connection_invalidated or _driver_outage(exc.orig)
    return _driver_outage(exc)


def _driver_outage(orig: BaseException | None) -> bool:
    if isinstance(orig, OSError):
        return True
    if isinstance(orig, pg8000.exceptions.InterfaceError):
        return any(word in str(orig).lower() for word in _CONNECTION_WORDS)
    return _sqlstate(orig).startswith(_OUTAGE_SQLSTATE_PREFIXES)


def _sqlstate(orig: BaseException | None) -> str:
    args = getattr(orig, "args", ())
    details = args[0] if args else None
    return str(details.get("C", "")) if isinstance(details, dict) else ""
