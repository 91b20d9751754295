"""The pool's gauge: each new peak of connections checked out at once is logged, a full pool as a warning."""

from __future__ import annotations

import logging

from shared.core.settings import get_settings
from shared.db.engine import create_engine


def test_each_new_peak_is_logged_and_a_pool_in_full_use_is_a_warning(caplog):
    settings = get_settings().model_copy(update={"db_pool_size": 2, "db_max_overflow": 0})
    engine = create_engine(settings)
    try:
        with caplog.at_level(logging.INFO, "support.db"):
            with engine.connect():
                pass
            with engine.connect(), engine.connect():
                pass
            with engine.connect(), engine.connect():
                pass
    finally:
        engine.dispose()
    peaks = [(r.levelname, r.pool_checked_out, r.pool_capacity) for r in caplog.records if r.name == "support.db"]
    assert peaks == [("INFO", 1, 2), ("WARNING", 2, 2)]
