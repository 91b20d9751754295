"""Server-side prepared statements for the hot path, cached per connection.

pg8000 sends a statement with parameters as three exchanges (parse, describe, bind and
execute) and re-parses its parameter markers in Python on every call. A prepared statement
is parsed once per connection; each later call is one exchange with the server. Errors are
wrapped exactly as SQLAlchemy wraps them, so callers see one error vocabulary.
"""

from __future__ import annotations

import weakref
from collections import namedtuple
from functools import lru_cache
from typing import Any

import pg8000.dbapi
import pg8000.exceptions
import sqlalchemy as sa
from pg8000.native import PreparedStatement

_statements: weakref.WeakKeyDictionary[Any, dict[str, PreparedStatement]] = weakref.WeakKeyDictionary()


def fetch(conn: sa.Connection, sql: str, params: dict[str, Any]) -> list[Any]:
    """Run `sql` (`:name` parameters) as a prepared statement; rows have attribute access."""
    driver: Any = conn.connection.driver_connection
    cache = _statements.setdefault(driver, {})
    try:
        # pg8000 opens a transaction only through its DB-API cursor; a prepared statement run on a
        # connection in a transaction must open it the same way, or it would commit on its own.
        if not driver.autocommit and not driver._in_transaction:
            driver.execute_simple("begin transaction")
        statement = cache.get(sql)
        if statement is None:
            statement = cache[sql] = PreparedStatement(driver, sql)
        rows = statement.run(**params) or []
    except pg8000.exceptions.Error as exc:
        cache.pop(sql, None)
        raise _wrap(conn, driver, sql, params, exc) from exc
    row_type = _row_type(tuple(column["name"] for column in statement.cols or ()))
    return [row_type(*row) for row in rows]


def fetch_one(conn: sa.Connection, sql: str, params: dict[str, Any]) -> Any | None:
    """The first row of `fetch`, or None."""
    rows = fetch(conn, sql, params)
    return rows[0] if rows else None


def _wrap(conn: sa.Connection, driver: Any, sql: str, params: dict[str, Any], exc: Any) -> Exception:
    from shared.db.engine import is_server_goodbye

    disconnected = conn.dialect.is_disconnect(exc, driver, None) or is_server_goodbye(exc)
    if disconnected:
        conn.invalidate(exc)
    wrapped: Exception = sa.exc.DBAPIError.instance(
        sql,
        params,
        exc,
        pg8000.dbapi.Error,
        hide_parameters=True,
        connection_invalidated=disconnected,
        dialect=conn.dialect,
    )
    return wrapped


@lru_cache(maxsize=64)
def _row_type(columns: tuple[str, ...]) -> Any:
    return namedtuple("Row", columns)
