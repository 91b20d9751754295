"""The scheduled re-sync: sync_knowledge syncs the sources due, says what it did, and runs for the scheduler only."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from devtools.fake_help_center import DEMO_FOLDER, DEMO_ORIGIN, FakeHelpCenter
from shared.embeddings import use_embedder
from shared.knowledge.documents.sync import remove_source
from tests.fakes import HashingEmbedder

SCHEDULER = "scheduler@acme-support.iam.gserviceaccount.com"
SYNC_URL = "https://europe-west1-acme-support.cloudfunctions.net/sync_knowledge"


@pytest.fixture
def site(settings_env) -> Iterator[FakeHelpCenter]:
    """The demo help center as the one configured source; removed with its documents afterwards."""
    help_center = FakeHelpCenter(DEMO_FOLDER, public_origin=DEMO_ORIGIN).start()
    sitemap = f"{help_center.url}/sitemap.xml"
    settings_env(KNOWLEDGE_SOURCES=sitemap, KNOWLEDGE_ALLOWED_PRIVATE_HOSTS=help_center.host_port)
    with use_embedder(HashingEmbedder(model="fake/scheduled", dimensions=64)):
        yield help_center
    help_center.stop()
    remove_source(sitemap)


def _synced_hours_ago(db, location: str, hours: float) -> None:
    db.execute(
        sa.text("UPDATE knowledge_sources SET last_synced_at = now() - make_interval(secs => :s) WHERE location = :l"),
        {"s": hours * 3600, "l": location},
    )


def test_sync_knowledge_indexes_a_new_source_and_says_what_it_did(function_client, site):
    response = function_client("sync_knowledge").post("/")
    assert response.status_code == 200, response.json
    report = response.json
    assert report["busy"] is False and report["passages_embedded"] > 20
    [source] = report["sources"]
    assert source["location"] == f"{site.url}/sitemap.xml"
    assert (source["kind"], source["status"], source["problems"]) == ("sitemap", "synced", [])
    assert (source["indexed"], source["unchanged"], source["failed"], source["retired"]) == (7, 0, 0, 0)


def test_a_source_synced_within_the_sync_hours_is_left_alone_and_one_synced_before_is_synced(
    function_client, site, settings_env, db
):
    settings_env(KNOWLEDGE_SYNC_HOURS="24")
    assert function_client("sync_knowledge").post("/").json["sources"][0]["indexed"] == 7
    site.reset()
    _synced_hours_ago(db, f"{site.url}/sitemap.xml", 23)
    assert function_client("sync_knowledge").post("/").json["sources"] == []
    assert site.requests == []

    _synced_hours_ago(db, f"{site.url}/sitemap.xml", 25)
    [source] = function_client("sync_knowledge").post("/").json["sources"]
    assert (source["indexed"], source["unchanged"]) == (0, 7)
    assert site.fetched("/shipping-guide.md")[0].headers.get("if-none-match")  # a conditional GET: a 304


def test_a_page_that_fails_is_counted_and_its_source_partial(function_client, site):
    site.statuses["/returns.html"] = 500
    [source] = function_client("sync_knowledge").post("/").json["sources"]
    assert (source["status"], source["indexed"], source["failed"]) == ("partial", 6, 1)


@pytest.fixture
def production_scheduler(settings_env):
    from devtools.fake_issuer import FakeIssuer

    issuer = FakeIssuer().start()
    settings_env(
        ENVIRONMENT="production",
        ALLOWED_ORIGINS="https://shop.example",
        CONSOLE_ORIGINS="https://support.shop.example",
        SCHEDULER_AUDIENCE=SYNC_URL,
        SCHEDULER_SERVICE_ACCOUNT=SCHEDULER,
        GOOGLE_CERTS_URL=issuer.certs_url,
        KNOWLEDGE_SOURCES="",
    )
    yield issuer
    issuer.stop()


def test_in_production_sync_knowledge_runs_for_the_schedulers_oidc_token_only(function_client, production_scheduler):
    token = production_scheduler.issue(audience=SYNC_URL, email=SCHEDULER)
    allowed = function_client("sync_knowledge").post("/", headers={"Authorization": f"Bearer {token}"})
    assert (allowed.status_code, allowed.json["sources"]) == (200, [])
    intruder = production_scheduler.issue(audience=SYNC_URL, email="intruder@acme-support.iam.gserviceaccount.com")
    refused = function_client("sync_knowledge").post("/", headers={"Authorization": f"Bearer {intruder}"})
    assert (refused.status_code, refused.json["error"]["code"]) == (403, "forbidden")
    assert function_client("sync_knowledge").post("/").status_code == 401
