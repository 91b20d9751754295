"""Fetching pages: robots.txt, conditional GETs, redirects and addresses checked at every hop, time and size bounded."""

from __future__ import annotations

import gzip
import time

import pytest

from devtools.fake_help_center import FakeHelpCenter
from shared.clients import outbound
from shared.clients.pages import FetchError, FetchPolicy, PageFetcher
from shared.knowledge.documents.discovery import read_sitemaps


@pytest.fixture
def site():
    help_center = FakeHelpCenter().start()
    help_center.put("/guide.html", "<main><h1>Guide</h1><p>Some words.</p></main>")
    yield help_center
    help_center.stop()


def _fetcher(site: FakeHelpCenter, **policy) -> PageFetcher:
    options = {"timeout": 2.0, "max_bytes": 100_000, "private_hosts": frozenset({site.host_port}), **policy}
    return PageFetcher(FetchPolicy(**options))


def _failure(fetcher: PageFetcher, url: str) -> FetchError:
    with pytest.raises(FetchError) as raised:
        fetcher.fetch(url, site="127.0.0.1")
    return raised.value


def test_robots_txt_is_obeyed_and_an_unreadable_one_stops_everything(site):
    site.put("/robots.txt", "User-agent: *\nDisallow: /drafts/\n\nUser-agent: SupportBot\nDisallow: /internal/\n")
    with _fetcher(site) as fetcher:
        assert fetcher.fetch(f"{site.url}/drafts/x.html", site="127.0.0.1").status == 404  # the bot's own group
        assert _failure(fetcher, f"{site.url}/internal/x.html").code == "robots"
    site.remove("/robots.txt")
    site.statuses["/robots.txt"] = 503
    with _fetcher(site) as fetcher:
        failure = _failure(fetcher, f"{site.url}/guide.html")
    assert failure.code == "robots" and "503" in str(failure)
    assert not site.fetched("/guide.html")


def test_an_unchanged_page_is_a_304_by_etag_or_by_date(site):
    with _fetcher(site) as fetcher:
        first = fetcher.fetch(f"{site.url}/guide.html", site="127.0.0.1")
        by_etag = fetcher.fetch(f"{site.url}/guide.html", site="127.0.0.1", etag=first.etag)
        by_date = fetcher.fetch(f"{site.url}/guide.html", site="127.0.0.1", last_modified=first.last_modified)
    assert first.status == 200 and first.body.startswith(b"<main>") and first.media_type == "text/html"
    assert by_etag.not_modified and by_date.not_modified and not by_etag.body
    assert site.fetched("/guide.html")[1].headers["if-none-match"] == first.etag
    assert "supportbot" in site.fetched("/guide.html")[0].headers["user-agent"].lower()


def test_a_redirect_is_followed_on_the_same_host_and_refused_to_another(site):
    site.redirects["/old"] = "/guide.html"
    site.redirects["/away"] = site.url.replace("127.0.0.1", "localhost") + "/guide.html"
    site.redirects["/metadata"] = "http://169.254.169.254/latest/meta-data/"
    with _fetcher(site) as fetcher:
        moved = fetcher.fetch(f"{site.url}/old", site="127.0.0.1")
        assert moved.status == 200 and moved.url == f"{site.url}/guide.html"
        assert _failure(fetcher, f"{site.url}/away").code == "refused"
        assert _failure(fetcher, f"{site.url}/metadata").code == "refused"
    with _fetcher(site, allowed_hosts=frozenset({"169.254.169.254"})) as fetcher:
        assert "private" in str(_failure(fetcher, f"{site.url}/metadata"))  # allowed host, still a private address
    assert len(site.fetched("/guide.html")) == 1  # the other host was never asked


def test_a_private_address_is_refused_unless_its_host_and_port_are_allowed(site):
    with _fetcher(site, private_hosts=frozenset()) as fetcher:
        assert _failure(fetcher, f"{site.url}/guide.html").code == "refused"
    with _fetcher(site, private_hosts=frozenset({"127.0.0.1:1"})) as fetcher:
        assert _failure(fetcher, f"{site.url}/guide.html").code == "refused"
    with _fetcher(site) as fetcher, pytest.raises(FetchError) as raised:
        # Listed as 127.0.0.1:port: "localhost", a name for the same address, is not.
        fetcher.fetch(site.url.replace("127.0.0.1", "localhost") + "/guide.html", site="localhost")
    assert raised.value.code == "refused"
    assert not site.fetched("/guide.html")


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("8.8.8.8", True),
        ("::ffff:8.8.8.8", True),
        ("127.0.0.1", False),
        ("::ffff:127.0.0.1", False),
        ("::1", False),
        ("10.1.2.3", False),
        ("169.254.169.254", False),
        ("fe80::1%eth0", False),
        ("224.0.0.1", False),
        ("100.64.0.1", False),
    ],
)
def test_only_global_unicast_addresses_are_public(address, public):
    assert outbound.is_public(address) is public


def test_a_slow_or_trickling_server_is_cut_at_the_timeout(site):
    site.delays["/guide.html"] = 3
    site.put("/trickle.html", "<p>" + "x" * 400 + "</p>")
    site.trickle["/trickle.html"] = 0.01
    with _fetcher(site, timeout=0.5) as fetcher:
        for path in ("/guide.html", "/trickle.html"):
            began = time.monotonic()
            assert _failure(fetcher, f"{site.url}{path}").code == "timeout"
            assert time.monotonic() - began < 1.5


def test_a_body_over_the_size_limit_is_refused_with_or_without_a_length(site):
    site.put("/big.html", "<p>" + "word " * 30_000 + "</p>")
    site.huge["/endless.html"] = 10_000_000
    with _fetcher(site, max_bytes=50_000) as fetcher:
        assert _failure(fetcher, f"{site.url}/big.html").code == "too_large"
        assert _failure(fetcher, f"{site.url}/endless.html").code == "too_large"


def _sitemap(*urls: str) -> str:
    entries = "".join(f"<url><loc>{url}</loc></url>" for url in urls)
    return f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>'


def _index(*urls: str) -> str:
    entries = "".join(f"<sitemap><loc>{url}</loc></sitemap>" for url in urls)
    return f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</sitemapindex>'


def _listing(site: FakeHelpCenter, path: str, limit: int = 50):
    def allowed(url: str) -> bool:
        return url.startswith(site.url)

    with _fetcher(site) as fetcher:
        return read_sitemaps(f"{site.url}{path}", fetcher, site="127.0.0.1", limit=limit, allowed=allowed)


def test_a_sitemap_index_is_followed_and_a_loop_read_once(site):
    site.put("/sitemap.xml", _index(f"{site.url}/a.xml", f"{site.url}/b.xml.gz"))
    site.put("/a.xml", _sitemap(f"{site.url}/1", f"{site.url}/2"))
    site.put("/b.xml.gz", gzip.compress(_index(f"{site.url}/sitemap.xml", f"{site.url}/c.txt").encode()))
    site.put("/c.txt", f"{site.url}/3\n{site.url}/1\nhttps://elsewhere.example/4\n")
    listing = _listing(site, "/sitemap.xml")
    assert listing.locations == [f"{site.url}/1", f"{site.url}/2", f"{site.url}/3"]
    assert listing.complete
    assert any("loop" in problem for problem in listing.problems)
    assert any("1 URLs on other hosts" in problem for problem in listing.problems)
    assert len(site.fetched("/sitemap.xml")) == 1


def test_a_sitemap_of_100000_urls_gives_the_first_pages_and_says_so(site):
    site.put("/sitemap.xml", _sitemap(*(f"{site.url}/page-{i}" for i in range(100_000))))
    began = time.monotonic()
    listing = _listing(site, "/sitemap.xml", limit=500)
    assert time.monotonic() - began < 5
    assert len(listing.locations) == 500 and listing.locations[0] == f"{site.url}/page-0"
    [problem] = listing.problems
    assert problem == "the sitemaps list 100,000 pages: the first 500 are read (KNOWLEDGE_MAX_PAGES_PER_SOURCE)"


def test_a_sitemap_that_cannot_be_read_makes_the_listing_incomplete(site):
    site.put("/sitemap.xml", _index(f"{site.url}/ok.xml", f"{site.url}/down.xml", f"{site.url}/bad.xml"))
    site.put("/ok.xml", _sitemap(f"{site.url}/1"))
    site.statuses["/down.xml"] = 500
    site.put("/bad.xml", "<urlset><url><loc>unclosed")
    listing = _listing(site, "/sitemap.xml")
    assert listing.locations == [f"{site.url}/1"] and not listing.complete
    assert [p.split(": ", 1)[1] for p in listing.problems][:1] == ["HTTP 500"]
    assert "not well-formed" in listing.problems[1]
