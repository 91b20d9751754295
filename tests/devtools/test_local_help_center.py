"""The demo help center beside `./dev run`: its settings, and its sync in the background of a running bot."""

from __future__ import annotations

import os
import re
import socket
import time
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from devtools import local_help_center
from shared.db.engine import connection, reset_engine, transaction
from shared.knowledge.documents import store
from tests.deploy.test_local_run import LocalRun, start_local_run

DEMO_PATHS = {
    "/", "/shipping-guide.md", "/returns.html", "/warranty-policy.pdf",
    "/setup/aura-buds.md", "/setup/aura-over-ear.md", "/setup/volt-charger.md",
}  # fmt: skip
# What a developer's `./dev run` has: no origins, no help center of its own.
UNSET = ("ENVIRONMENT", "ALLOWED_ORIGINS", "CONSOLE_ORIGINS", "KNOWLEDGE_SOURCES", "KNOWLEDGE_ALLOWED_PRIVATE_HOSTS")


@pytest.fixture
def bare_env(monkeypatch, tmp_path) -> None:
    """No help-center settings in the environment, and no `.env`."""
    for name in ("KNOWLEDGE_SOURCES", "KNOWLEDGE_ALLOWED_PRIVATE_HOSTS"):
        monkeypatch.setenv(name, "")
        monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


def test_the_demo_help_centers_settings_point_the_sync_at_its_sitemap():
    assert local_help_center.help_center_environment("http://127.0.0.1:8092", set()) == {
        "KNOWLEDGE_SOURCES": "http://127.0.0.1:8092/sitemap.xml",
        "KNOWLEDGE_ALLOWED_PRIVATE_HOSTS": "127.0.0.1:8092",
    }


def test_a_help_center_setting_of_the_users_wins():
    values = local_help_center.help_center_environment("http://127.0.0.1:8092", {"KNOWLEDGE_ALLOWED_PRIVATE_HOSTS"})
    assert values == {"KNOWLEDGE_SOURCES": "http://127.0.0.1:8092/sitemap.xml"}


def test_sources_of_the_users_even_none_leave_the_demo_help_center_out(bare_env, monkeypatch):
    monkeypatch.setenv("KNOWLEDGE_SOURCES", "")
    assert local_help_center.start(_free_port()) is None
    assert "KNOWLEDGE_ALLOWED_PRIVATE_HOSTS" not in os.environ


def test_start_serves_the_help_center_with_its_sitemap_listing_local_pages(bare_env, capsys):
    import httpx

    site = local_help_center.start(_free_port())
    assert site is not None
    try:
        assert os.environ["KNOWLEDGE_SOURCES"] == f"{site.url}/sitemap.xml"
        assert os.environ["KNOWLEDGE_ALLOWED_PRIVATE_HOSTS"] == site.host_port
        sitemap = httpx.get(os.environ["KNOWLEDGE_SOURCES"]).text
        assert set(re.findall(r"<loc>(.*?)</loc>", sitemap)) == {site.url + path for path in DEMO_PATHS}
        assert f"help center: {site.url}/" in capsys.readouterr().out
    finally:
        site.stop()


@pytest.fixture
def unreachable_database(settings_env) -> Iterator[None]:
    settings_env(DATABASE_URL=f"postgresql://nobody@127.0.0.1:{_free_port()}/none")
    reset_engine()
    yield
    reset_engine()


def test_a_failing_sync_is_logged_and_raises_nothing(unreachable_database, settings_env, capsys, caplog):
    settings_env(KNOWLEDGE_SOURCES="http://127.0.0.1:9/sitemap.xml")
    local_help_center.sync_and_report(None)
    assert "help center: the sync failed" in capsys.readouterr().out
    assert "the help center's sync failed" in caplog.text


def test_the_demo_site_of_a_run_on_another_port_is_removed_and_other_sources_stay():
    earlier, current, other = (f"http://127.0.0.1:{n}/sitemap.xml" for n in (_free_port(), _free_port(), 1))
    mine = f"http://127.0.0.1:{_free_port()}/docs/sitemap.xml"
    with transaction() as conn:
        for location in (earlier, current, mine):
            store.ensure_source(conn, kind="sitemap", location=location)
    local_help_center._forget_earlier_sites(current)
    with connection() as conn:
        left = {source.location for source in store.list_sources(conn)}
    assert earlier not in left and {current, mine} <= left
    from shared.knowledge.documents.sync import remove_source

    for location in (current, mine, other):
        remove_source(location)


@pytest.mark.slow
def test_the_local_run_indexes_the_demo_help_center_in_the_background_and_again_unchanged(
    project_root, scratch_database, tmp_path
):
    database_url = os.environ["DATABASE_URL"]
    port, help_port = _free_port(), _free_port()
    site = f"http://127.0.0.1:{help_port}"

    first = _run(project_root, tmp_path / "first.log", port, help_port, database_url)
    try:
        summary = _wait_for(first, r"help center: sitemap \S+: 7 documents \((.*?)\): (\w+)")
    finally:
        _stop(first)
    assert summary.groups() == ("7 indexed, 0 unchanged, 0 failed, 0 retired", "synced"), first.output()
    output = first.output()
    assert output.index("support bot running at") < output.index("help center: syncing"), output
    assert "help center: 7 of 7 documents searchable" in output
    documents = _documents(site)
    assert set(documents) == {site + path for path in DEMO_PATHS}  # the local URLs customers see
    assert all(status == "indexed" and passages > 0 for status, passages in documents.values())

    second = _run(project_root, tmp_path / "second.log", port, help_port, database_url)
    try:
        summary = _wait_for(second, r"help center: sitemap \S+: 7 documents \((.*?)\): (\w+)")
    finally:
        _stop(second)
    assert summary.groups() == ("0 indexed, 7 unchanged, 0 failed, 0 retired", "synced"), second.output()
    assert {url: ("unchanged", passages) for url, (_, passages) in documents.items()} == _documents(site)


def _run(project_root, log, port: int, help_port: int, database_url: str) -> LocalRun:
    args = ("--help-port", str(help_port))
    return start_local_run(project_root, log, UNSET, port=port, args=args, DATABASE_URL=database_url)


def _wait_for(run: LocalRun, pattern: str, seconds: float = 90) -> re.Match[str]:
    """The first match of `pattern` in the run's output, waiting for it up to `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if found := re.search(pattern, run.output()):
            return found
        if run.process.poll() is not None:
            break
        time.sleep(0.2)
    raise AssertionError(f"no {pattern!r} in the run's output:\n{run.output()}")


def _stop(run: LocalRun) -> None:
    run.process.terminate()
    run.process.wait(timeout=30)


def _documents(site: str) -> dict[str, tuple[str, int]]:
    with connection() as conn:
        rows = conn.execute(
            sa.text("""
                SELECT d.location, d.status, (SELECT count(*) FROM passages p WHERE p.document_id = d.id) AS n
                FROM documents d JOIN knowledge_sources s ON s.id = d.source_id WHERE s.location = :sitemap
            """),
            {"sitemap": f"{site}/sitemap.xml"},
        ).all()
    return {row.location: (row.status, row.n) for row in rows}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
