"""Syncing sources into passages: only what changed is re-chunked and re-embedded; each problem a status and a line."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from devtools.fake_help_center import DEMO_FOLDER, DEMO_ORIGIN, FakeHelpCenter
from devtools.pdf_writer import text_pdf
from shared.embeddings import use_embedder
from shared.knowledge import ingest
from shared.knowledge.documents.sync import LOCK_KEY, remove_source, sync_sources
from tests.fakes import HashingEmbedder

GUIDE = "# Guide\n\n## Pairing\n\nHold the button for three seconds until the light blinks white.\n"


@pytest.fixture
def embedder():
    fake = HashingEmbedder(model="fake/documents", dimensions=64)
    with use_embedder(fake):
        yield fake


@pytest.fixture
def site(settings_env, embedder):
    """A local help-center site the sync may reach; its sources are removed after the test."""
    help_center = FakeHelpCenter(DEMO_FOLDER, public_origin=DEMO_ORIGIN).start()
    settings_env(KNOWLEDGE_ALLOWED_PRIVATE_HOSTS=help_center.host_port, KNOWLEDGE_FETCH_TIMEOUT_SECONDS="1")
    yield help_center
    help_center.stop()
    for source in _sources(help_center.url):
        remove_source(source)


def _sources(prefix: str) -> list[str]:
    from shared.db.engine import connection

    with connection() as conn:
        query = sa.text("SELECT location FROM knowledge_sources WHERE starts_with(location, :p)")
        return list(conn.execute(query, {"p": prefix}).scalars())


def _documents(db, prefix: str) -> dict[str, tuple[str, str | None, int]]:
    """{path: (status, error, passages)} of the documents under `prefix`."""
    rows = db.execute(
        sa.text("""
            SELECT d.location, d.status, d.error, (SELECT count(*) FROM passages p WHERE p.document_id = d.id) AS n
            FROM documents d WHERE starts_with(d.location, :p)
        """),
        {"p": prefix},
    ).all()
    return {row.location.removeprefix(prefix): (row.status, row.error, row.n) for row in rows}


def test_the_demo_help_center_is_indexed_with_anchors_terms_and_vectors(site, embedder, db):
    report = sync_sources([f"{site.url}/sitemap.xml"])
    [source] = report.sources
    assert (source.kind, source.status, source.count("indexed")) == ("sitemap", "synced", 7)
    documents = _documents(db, site.url)
    assert set(documents) == {
        "/", "/shipping-guide.md", "/returns.html", "/warranty-policy.pdf",
        "/setup/aura-buds.md", "/setup/aura-over-ear.md", "/setup/volt-charger.md",
    }  # fmt: skip
    passages = db.execute(
        sa.text("""
            SELECT p.heading_path, p.anchor, p.language, p.search_vector IS NOT NULL AS searchable,
                   (SELECT count(*) FROM passage_vectors v
                    WHERE v.passage_id = p.id AND v.model = 'fake/documents') AS v
            FROM passages p JOIN documents d ON d.id = p.document_id WHERE starts_with(d.location, :p)
        """),
        {"p": site.url},
    ).all()
    assert report.embedded.passages == len(passages) == len(embedder.embedded) > 20
    assert all(p.searchable and p.v == 1 and p.language == "en" and p.anchor for p in passages)
    assert (["Returns guide", "Exceptions to the 30-day rule", "Opened earbuds"], "opened-earbuds") in [
        (p.heading_path, p.anchor) for p in passages
    ]
    assert (["Shipping guide", "Canada"], "canada") in [(p.heading_path, p.anchor) for p in passages]
    assert db.execute(sa.text("SELECT count(*) FROM passage_terms WHERE lexeme = 'canada'")).scalar() >= 1


def test_an_unchanged_resync_is_answered_with_304s_and_embeds_nothing(site, embedder, db):
    sync_sources([f"{site.url}/sitemap.xml"])
    embedder.embedded.clear()
    site.reset()
    report = sync_sources([f"{site.url}/sitemap.xml"])
    assert report.sources[0].count("unchanged") == 7 and report.embedded.passages == 0
    assert embedder.embedded == [] and report.terms_seconds == 0
    pages = [r for r in site.requests if r.path not in ("/sitemap.xml", "/robots.txt")]
    assert len(pages) == 7 and all("if-none-match" in r.headers for r in pages)
    assert {status for status, _, _ in _documents(db, site.url).values()} == {"unchanged"}


def test_a_changed_page_alone_is_rechunked_and_reembedded(site, embedder, db):
    site.put("/guide.md", GUIDE)
    site.put("/other.md", "# Other\n\nNothing changes here.\n")
    sync_sources([f"{site.url}/guide.md", f"{site.url}/other.md"])
    embedder.embedded.clear()
    site.put("/guide.md", GUIDE.replace("three", "five"))
    report = sync_sources([f"{site.url}/guide.md", f"{site.url}/other.md"])
    assert [(s.documents[0].status) for s in report.sources] == ["indexed", "unchanged"]
    assert len(embedder.embedded) == 1 and "five seconds" in embedder.embedded[0]
    assert embedder.embedded[0].startswith("Guide › Pairing\n\n")


def test_a_failing_page_keeps_its_last_passages_and_says_why(site, db):
    site.put("/guide.md", GUIDE)
    sync_sources([f"{site.url}/guide.md"])
    site.statuses["/guide.md"] = 503
    lines: list[str] = []
    report = sync_sources([f"{site.url}/guide.md"], say=lines.append)
    assert _documents(db, site.url)["/guide.md"] == ("failed", "server_error: the server answered HTTP 503", 1)
    assert report.sources[0].status == "failed"  # its one document could not be read
    assert lines == [
        f"  FAILED   {site.url}/guide.md: server_error: the server answered HTTP 503 (keeps its 1 passages)"
    ]
    del site.statuses["/guide.md"]
    sync_sources([f"{site.url}/guide.md"])
    assert _documents(db, site.url)["/guide.md"][:2] == ("unchanged", None)


def test_a_page_gone_twice_is_retired_with_its_passages(site, db):
    site.put("/guide.md", GUIDE)
    sync_sources([f"{site.url}/guide.md"])
    site.remove("/guide.md")
    sync_sources([f"{site.url}/guide.md"])
    status, error, passages = _documents(db, site.url)["/guide.md"]
    assert (status, passages) == ("failed", 1) and error.startswith("gone: HTTP 404")
    site.statuses["/guide.md"] = 410
    report = sync_sources([f"{site.url}/guide.md"])
    assert report.sources[0].documents[0].status == "retired"
    assert _documents(db, site.url)["/guide.md"][::2] == ("retired", 0)
    del site.statuses["/guide.md"]
    site.put("/guide.md", GUIDE)  # back again: indexed anew
    assert sync_sources([f"{site.url}/guide.md"]).sources[0].documents[0].status == "indexed"


def test_a_page_left_out_of_the_sitemap_is_retired_but_not_when_the_sitemap_fails(site, db):
    site.put("/map.xml", _sitemap(site, "/a.md", "/b.md"))
    site.put("/a.md", GUIDE)
    site.put("/b.md", GUIDE.replace("Pairing", "Charging"))
    sync_sources([f"{site.url}/map.xml"])
    site.statuses["/map.xml"] = 500
    report = sync_sources([f"{site.url}/map.xml"])
    assert report.sources[0].status == "failed" and report.sources[0].documents == []
    del site.statuses["/map.xml"]
    site.put("/map.xml", _sitemap(site, "/a.md"))
    report = sync_sources([f"{site.url}/map.xml"])
    assert [(d.location.removeprefix(site.url), d.status) for d in report.sources[0].documents] == [
        ("/a.md", "unchanged"),
        ("/b.md", "retired"),
    ]
    assert _documents(db, site.url)["/b.md"] == ("retired", None, 0)


def test_each_bad_document_is_a_clear_status_and_a_line_and_the_others_are_indexed(site, db, settings_env):
    settings_env(
        KNOWLEDGE_ALLOWED_PRIVATE_HOSTS=site.host_port,
        KNOWLEDGE_FETCH_TIMEOUT_SECONDS="0.5",
        KNOWLEDGE_MAX_DOCUMENT_BYTES="200000",
    )
    site.put("/good.md", GUIDE)
    site.put("/encrypted.pdf", text_pdf([["Secret terms."]], password="hunter2"))
    site.put("/scanned.pdf", text_pdf([[], []]))
    site.put("/corrupt.pdf", b"%PDF-1.7 this is not a PDF at all")
    site.put("/empty.html", "<html><body><main></main><footer>Copyright 2019</footer></body></html>")
    site.put("/logo.png", b"\x89PNG\r\n\x1a\n", "image/png")
    site.put("/slow.md", GUIDE)
    site.delays["/slow.md"] = 3
    site.huge["/huge.html"] = 5_000_000
    site.redirects["/moved.md"] = site.url.replace("127.0.0.1", "localhost") + "/good.md"
    site.put("/robots.txt", "User-agent: *\nDisallow: /private/\n")
    site.put("/private/notes.md", GUIDE)
    names = ["good.md", "encrypted.pdf", "scanned.pdf", "corrupt.pdf", "empty.html", "logo.png", "slow.md",
             "huge.html", "moved.md", "private/notes.md"]  # fmt: skip
    site.put("/map.xml", _sitemap(site, *(f"/{name}" for name in names)))
    lines: list[str] = []
    report = sync_sources([f"{site.url}/map.xml"], say=lines.append)
    codes = {path: (error or "").split(":")[0] for path, (_, error, _) in _documents(db, site.url).items()}
    assert codes == {
        "/good.md": "", "/encrypted.pdf": "encrypted", "/scanned.pdf": "needs_ocr", "/corrupt.pdf": "corrupt",
        "/empty.html": "empty", "/logo.png": "unsupported", "/slow.md": "timeout", "/huge.html": "too_large",
        "/moved.md": "refused", "/private/notes.md": "robots",
    }  # fmt: skip
    assert report.sources[0].count("indexed") == 1 and report.sources[0].status == "partial"
    assert len(lines) == 9 and all(line.startswith("  FAILED") for line in lines)
    assert report.seconds < 10


def test_a_private_address_is_refused_unless_allowed(site, settings_env, db):
    settings_env(KNOWLEDGE_ALLOWED_PRIVATE_HOSTS="")
    site.put("/guide.md", GUIDE)
    report = sync_sources([f"{site.url}/guide.md"])
    assert report.sources[0].documents[0].status == "failed"
    assert "private or local address" in _documents(db, site.url)["/guide.md"][1]
    assert site.requests == []


def test_a_folder_is_read_and_a_removed_file_retired(tmp_path, embedder, db):
    folder = tmp_path / "docs"
    (folder / "guides").mkdir(parents=True)
    (folder / "guides" / "pairing.md").write_text(GUIDE)
    (folder / "returns.html").write_text("<main><h1 id='r'>Returns</h1><p>Thirty days to return.</p></main>")
    (folder / "hours.txt").write_text("We answer chats from 9am to 6pm.")
    (folder / "warranty.pdf").write_bytes(text_pdf([["# Warranty", "Two years on every product."]]))
    (folder / ".drafts").mkdir()
    (folder / ".drafts" / "secret.md").write_text(GUIDE)
    (folder / "picture.png").write_bytes(b"\x89PNG")
    try:
        report = sync_sources([str(folder)])
        assert report.sources[0].kind == "folder" and report.sources[0].count("indexed") == 4
        (folder / "hours.txt").unlink()
        report = sync_sources([str(folder)])
        assert (report.sources[0].count("unchanged"), report.sources[0].count("retired")) == (3, 1)
        assert _documents(db, str(folder))["/hours.txt"] == ("retired", None, 0)
    finally:
        remove_source(str(folder))


def test_the_command_prints_each_problem_and_a_summary_and_exits_1_on_a_failure(site, capsys):
    site.put("/guide.md", GUIDE)
    assert ingest.main([f"{site.url}/guide.md", f"{site.url}/missing.md"]) == 1
    out = capsys.readouterr().out
    assert f"FAILED   {site.url}/missing.md: gone: HTTP 404" in out
    assert f"page {site.url}/guide.md: 1 documents (1 indexed, 0 unchanged, 0 failed, 0 retired): synced" in out
    assert ingest.main([f"{site.url}/guide.md"]) == 0


def test_a_second_sync_while_one_runs_does_nothing(site, db):
    db.execute(sa.text("SELECT pg_advisory_lock(:k)"), {"k": LOCK_KEY})
    try:
        report = sync_sources([f"{site.url}/sitemap.xml"])
    finally:
        db.execute(sa.text("SELECT pg_advisory_unlock(:k)"), {"k": LOCK_KEY})
    assert report.busy and report.summary() == ["another sync of the documents is running: nothing done"]
    assert site.requests == []


def _sitemap(site: FakeHelpCenter, *paths: str) -> str:
    entries = "".join(f"<url><loc>{site.url}{path}</loc></url>" for path in paths)
    return f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>'


def test_a_passage_is_stemmed_in_its_own_language(site, db):
    text = "Nous livrons les commandes en France sous trois jours ouvrés avec le suivi."
    site.put("/livraison.md", f"# Livraison\n\n{text}\n")
    sync_sources([f"{site.url}/livraison.md"])
    language, lexemes = db.execute(
        sa.text("""
            SELECT p.language, p.search_vector::text FROM passages p JOIN documents d ON d.id = p.document_id
            WHERE d.location = :l
        """),
        {"l": f"{site.url}/livraison.md"},
    ).one()
    assert language == "fr" and "'command':" in lexemes and "'franc':" in lexemes  # French stems
    assert "'nous':" not in lexemes and "'avec':" not in lexemes  # and French stop words left out
