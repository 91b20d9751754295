"""The help center's sources through the operator API: added, re-synced and removed by admins, read by everyone."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from devtools.fake_help_center import DEMO_FOLDER, DEMO_ORIGIN, FakeHelpCenter
from shared.embeddings import use_embedder
from shared.knowledge.documents.sync import LOCK_KEY, remove_source, sync_due_sources
from tests.factories import new_operator
from tests.fakes import HashingEmbedder

GUIDE = "# Guide\n\n## Pairing\n\nHold the button for three seconds until the light blinks white.\n"


@pytest.fixture
def site(settings_env):
    """The demo help center served locally, which the sync may reach; its sources are removed after the test."""
    help_center = FakeHelpCenter(DEMO_FOLDER, public_origin=DEMO_ORIGIN).start()
    settings_env(KNOWLEDGE_ALLOWED_PRIVATE_HOSTS=help_center.host_port, KNOWLEDGE_FETCH_TIMEOUT_SECONDS="1")
    with use_embedder(HashingEmbedder(model="fake/sources", dimensions=32)):
        yield help_center
    help_center.stop()
    for location in [*_locations(help_center.url), str(DEMO_FOLDER)]:
        remove_source(location)


def _locations(prefix: str) -> list[str]:
    from shared.db.engine import connection

    with connection() as conn:
        query = sa.text("SELECT location FROM knowledge_sources WHERE starts_with(location, :p)")
        return list(conn.execute(query, {"p": prefix}).scalars())


def _api(function_client, method, path, operator, **kwargs):
    return getattr(function_client("operator_api"), method)(path, headers=operator.auth, **kwargs)


def _add(function_client, admin, location):
    return _api(function_client, "post", "/kb/sources", admin, json={"location": location})


def _audit(db, action: str, source_id: int) -> list[str]:
    rows = db.execute(
        sa.text("SELECT actor FROM kb_audit WHERE action = :a AND details->>'source_id' = :id"),
        {"a": action, "id": str(source_id)},
    )
    return list(rows.scalars())


def test_an_admin_adds_the_help_center_and_sees_each_document_with_its_status(function_client, site, db):
    admin = new_operator("admin")
    added = _add(function_client, admin, f"{site.url}/sitemap.xml")
    assert added.status_code == 201, added.json
    source, sync = added.json["source"], added.json["sync"]
    assert (source["kind"], source["status"], source["error"]) == ("sitemap", "synced", None)
    assert sync["documents"] == {"indexed": 7, "unchanged": 0, "failed": 0, "retired": 0} and sync["left"] == 0
    assert source["documents"]["indexed"] == 7 and source["last_synced_at"] is not None
    assert _audit(db, "source_added", source["id"]) == [admin.email]

    listed = _api(function_client, "get", "/kb/sources", new_operator("agent")).json["sources"]
    assert [s for s in listed if s["id"] == source["id"]] == [source]
    documents = _api(function_client, "get", f"/kb/sources/{source['id']}/documents", admin).json
    assert documents["total"] == 7 and documents["source"] == source
    by_path = {d["location"].removeprefix(site.url): d for d in documents["documents"]}
    assert by_path["/returns.html"]["title"] == "Returns guide"
    assert all(d["status"] == "indexed" and d["passages"] > 0 and d["fetched_at"] for d in by_path.values())


def test_a_resync_shows_a_failing_page_with_its_reason_and_its_kept_passages(function_client, site, db):
    admin = new_operator("admin")
    site.put("/guide.md", GUIDE)
    source = _add(function_client, admin, f"{site.url}/guide.md").json["source"]
    site.statuses["/guide.md"] = 503
    synced = _api(function_client, "post", f"/kb/sources/{source['id']}/sync", admin)
    assert synced.status_code == 200, synced.json
    assert synced.json["source"]["status"] == "failed" and synced.json["sync"]["documents"]["failed"] == 1
    [document] = _api(function_client, "get", f"/kb/sources/{source['id']}/documents", admin).json["documents"]
    assert document["status"] == "failed" and document["passages"] == 1
    assert document["error"] == "server_error: the server answered HTTP 503"
    assert _audit(db, "source_synced", source["id"]) == [admin.email]

    del site.statuses["/guide.md"]
    again = _api(function_client, "post", f"/kb/sources/{source['id']}/sync", admin).json
    assert again["source"]["status"] == "synced" and again["sync"]["documents"]["unchanged"] == 1


def test_a_sync_past_its_deadline_leaves_the_rest_to_the_next_scheduled_sync(function_client, site, settings_env):
    settings_env(KNOWLEDGE_REQUEST_SYNC_SECONDS="0.3")
    for path in ("/", "/shipping-guide.md", "/returns.html"):
        site.delays[path] = 0.2
    added = _add(function_client, new_operator("admin"), f"{site.url}/sitemap.xml").json
    assert added["source"]["status"] == "unfinished" and 0 < added["sync"]["left"] < 7
    assert added["source"]["error"] == f"{added['sync']['left']} documents left for the next sync"
    done = sum(added["sync"]["documents"].values())
    assert done + added["sync"]["left"] == 7

    report = sync_due_sources()  # the scheduled sync
    [resumed] = [s for s in report.sources if s.location == f"{site.url}/sitemap.xml"]
    assert (resumed.status, resumed.left, resumed.count("indexed")) == ("synced", 0, 7 - done)


def test_removing_a_source_takes_its_documents_passages_and_term_weights(function_client, site, db):
    admin = new_operator("admin")
    site.put("/unique.md", "# Zyxwordic\n\nThe zyxwordic gadget folds in three.\n")
    source = _add(function_client, admin, f"{site.url}/unique.md").json["source"]
    assert db.execute(sa.text("SELECT count(*) FROM passage_terms WHERE lexeme = 'zyxword'")).scalar() >= 1

    removed = _api(function_client, "delete", f"/kb/sources/{source['id']}", admin)
    assert removed.status_code == 204
    assert _api(function_client, "get", f"/kb/sources/{source['id']}/documents", admin).status_code == 404
    left = db.execute(sa.text("SELECT count(*) FROM documents WHERE source_id = :id"), {"id": source["id"]})
    assert left.scalar() == 0
    assert db.execute(sa.text("SELECT count(*) FROM passage_terms WHERE lexeme = 'zyxword'")).scalar() == 0
    assert _audit(db, "source_removed", source["id"]) == [admin.email]


def test_an_agent_reads_the_sources_but_cannot_add_resync_or_remove_one(function_client, site):
    source = _add(function_client, new_operator("admin"), f"{site.url}/sitemap.xml").json["source"]
    agent = new_operator("agent")
    assert _add(function_client, agent, f"{site.url}/returns.html").status_code == 403
    assert _api(function_client, "post", f"/kb/sources/{source['id']}/sync", agent).status_code == 403
    assert _api(function_client, "delete", f"/kb/sources/{source['id']}", agent).status_code == 403
    assert _api(function_client, "get", f"/kb/sources/{source['id']}/documents", agent).status_code == 200
    assert _locations(f"{site.url}/returns.html") == []


def test_adding_a_source_twice_is_a_conflict(function_client, site):
    admin = new_operator("admin")
    assert _add(function_client, admin, f"{site.url}/sitemap.xml").status_code == 201
    again = _add(function_client, admin, f" {site.url}/sitemap.xml ")
    assert again.status_code == 409 and again.json["error"]["code"] == "conflict"


@pytest.mark.parametrize(
    "location",
    [
        "ftp://help.example.com/sitemap.xml",
        "javascript:alert(1)",
        "file:///etc/passwd",
        "https://",
        "https://user:secret@help.example.com/",
        "http://10.1.2.3/sitemap.xml",
        "http://help.example.com:99999/",
        "/no/such/folder",
        "0" * 1000,  # no file name is that long
        "pyproject.toml",
        "",
    ],
)
def test_a_location_the_sync_cannot_read_is_refused_with_the_reason(function_client, location):
    refused = _add(function_client, new_operator("admin"), location)
    assert refused.status_code == 422, refused.json
    assert refused.json["error"]["code"] == "validation_failed"
    assert refused.json["error"]["details"][0]["field"] == "location"


@pytest.mark.parametrize("body", [{}, {"location": 5}, {"location": "https://a.example/", "kind": "page"}])
def test_a_malformed_body_is_refused(function_client, body):
    refused = _api(function_client, "post", "/kb/sources", new_operator("admin"), json=body)
    assert refused.status_code == 422 and refused.json["error"]["code"] == "validation_failed"


def test_a_body_that_is_no_json_is_a_bad_request(function_client):
    admin = new_operator("admin")
    sent = _api(function_client, "post", "/kb/sources", admin, data="{", content_type="application/json")
    assert sent.status_code == 400 and sent.json["error"]["code"] == "bad_request"


def test_a_folder_is_a_source_in_a_local_run_but_never_in_production(function_client, site, settings_env):
    admin = new_operator("admin")
    added = _add(function_client, admin, str(DEMO_FOLDER))
    assert added.status_code == 201 and added.json["source"]["kind"] == "folder"
    counts = added.json["sync"]["documents"]
    assert counts["indexed"] >= 7 and counts["failed"] == 0
    remove_source(str(DEMO_FOLDER))
    settings_env(
        ENVIRONMENT="production",
        ALLOWED_ORIGINS="https://shop.example",
        CONSOLE_ORIGINS="https://console.example",
        SCHEDULER_AUDIENCE="https://fn.example",
        SCHEDULER_SERVICE_ACCOUNT="scheduler@project.iam.gserviceaccount.com",
    )
    refused = _add(function_client, admin, str(DEMO_FOLDER))
    assert refused.status_code == 422 and "local runs only" in refused.json["error"]["message"]


def test_an_unknown_source_is_not_found_and_a_bad_id_refused(function_client):
    admin = new_operator("admin")
    for method, path in [("post", "/sync"), ("delete", ""), ("get", "/documents")]:
        assert _api(function_client, method, f"/kb/sources/987654321{path}", admin).status_code == 404
        for bad in ("abc", "0", str(2**63)):
            assert _api(function_client, method, f"/kb/sources/{bad}{path}", admin).status_code == 422


def test_while_another_sync_runs_a_source_is_added_for_the_scheduled_sync_and_a_resync_is_a_conflict(
    function_client, site, db
):
    admin = new_operator("admin")
    db.execute(sa.text("SELECT pg_advisory_lock(:k)"), {"k": LOCK_KEY})  # another sync
    try:
        added = _add(function_client, admin, f"{site.url}/sitemap.xml")
        assert added.status_code == 201 and added.json["sync"]["busy"] is True
        assert added.json["source"]["status"] == "new" and added.json["source"]["last_synced_at"] is None
        resync = _api(function_client, "post", f"/kb/sources/{added.json['source']['id']}/sync", admin)
        assert resync.status_code == 409 and "Another sync" in resync.json["error"]["message"]
    finally:
        db.execute(sa.text("SELECT pg_advisory_unlock(:k)"), {"k": LOCK_KEY})
    assert _audit(db, "source_synced", added.json["source"]["id"]) == []
