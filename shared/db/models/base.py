"""The declarative base every model shares, and the column default they use for times."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


def now() -> sa.TextClause:
    """The database's time when the row is written."""
    return sa.text("now()")
