"""Benchmark the documents sync: 200 generated pages from a local help-center site, first and unchanged.

    .venv/bin/python bench/ingest.py [--pages 200] [--changed 10]

A local site (devtools/fake_help_center.py) serves the pages (7 in 10 HTML, 2 in 10 Markdown,
1 in 10 PDF, each a help article of five sections of about 90 words) and a sitemap of them. In a
throwaway database with the configured embedder (EMBEDDER, default auto), it times:
1. plain GETs of every page with one kept httpx client, the fastest of three passes: the baseline;
2. the first sync of the sitemap: every page fetched, extracted, chunked, stored and embedded;
3. an unchanged re-sync: every page a conditional GET answered 304, nothing embedded;
4. a re-sync after `--changed` pages changed: only their passages re-embedded.
Prints pages per second, the embedding seconds and the other steps, and each sync as a multiple
of the baseline. Exits with 1 when a page failed, or when the unchanged re-sync embedded anything.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

import httpx

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # as the other benches: one BLAS thread beside Postgres
os.environ.setdefault("OMP_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import bench_database
from devtools.fake_help_center import FakeHelpCenter
from devtools.pdf_writer import text_pdf

TOPICS = ("pairing", "charging", "returns", "shipping", "warranty", "payments", "accounts", "orders", "repairs")
VOCABULARY = (
    "your order parcel device battery case light button app account refund label carrier address warehouse "
    "business days price tracking number earbuds headphones charger port cable firmware update reset settings "
    "email confirmation replacement warranty claim photo receipt exchange colour size store credit customs "
    "delivery signature weekend holiday express standard international country support team chat phone"
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--changed", type=int, default=10)
    args = parser.parse_args()
    site = FakeHelpCenter().start()
    paths = [_put_page(site, index, version=0) for index in range(args.pages)]
    site.put("/sitemap.xml", _sitemap(site, paths))
    os.environ.update(KNOWLEDGE_ALLOWED_PRIVATE_HOSTS=site.host_port, KNOWLEDGE_MAX_PAGES_PER_SOURCE="1000")
    with bench_database():
        from shared.core.settings import get_settings
        from shared.embeddings import describe_retrieval

        get_settings.cache_clear()
        print(f"{args.pages} pages ({describe_retrieval()})")
        baseline = _plain_gets(site, paths)
        print(f"baseline: plain GETs of the {args.pages} pages: {baseline:.2f} s ({args.pages / baseline:.0f} pages/s)")
        problems = _measure("first sync", site, args.pages, baseline)
        site.reset()
        problems += _measure("unchanged re-sync", site, args.pages, baseline, unchanged=True)
        for index in range(args.changed):
            _put_page(site, index, version=1)
        problems += _measure(f"re-sync, {args.changed} pages changed", site, args.pages, baseline)
    site.stop()
    if problems:
        print(f"FAILED: {problems} problems", file=sys.stderr)
        sys.exit(1)


def _measure(label: str, site: FakeHelpCenter, pages: int, baseline: float, *, unchanged: bool = False) -> int:
    """Run one sync of the sitemap and print its figures; returns the number of problems."""
    from shared.knowledge.documents.sync import sync_sources

    lines: list[str] = []
    began = time.perf_counter()
    report = sync_sources([f"{site.url}/sitemap.xml"], say=lines.append)
    seconds = time.perf_counter() - began
    source = report.sources[0]
    counts = ", ".join(f"{source.count(s)} {s}" for s in ("indexed", "unchanged", "failed", "retired"))
    rest = seconds - report.embedded.seconds - report.terms_seconds
    not_modified = sum(1 for r in site.requests if "if-none-match" in r.headers)
    print(
        f"{label}: {seconds:.2f} s, {pages / seconds:.0f} pages/s ({seconds / baseline:.1f}x the plain GETs); "
        f"{counts}; {report.embedded.passages} passages embedded in {report.embedded.seconds:.2f} s, "
        f"term weights {report.terms_seconds:.2f} s, fetching, extracting and storing {rest:.2f} s"
        + (f"; {not_modified} conditional GETs" if unchanged else "")
    )
    for line in lines:
        print(line)
    problems = source.count("failed") + (source.status != "synced")
    return problems + (unchanged and (report.embedded.passages > 0 or source.count("unchanged") != pages))


def _plain_gets(site: FakeHelpCenter, paths: list[str], rounds: int = 3) -> float:
    """The fastest of `rounds` passes of plain GETs over every page (the first pass warms the site up)."""
    times = []
    with httpx.Client(timeout=10) as client:
        for _ in range(rounds):
            began = time.perf_counter()
            for path in paths:
                client.get(site.url + path).raise_for_status()
            times.append(time.perf_counter() - began)
    return min(times)


def _put_page(site: FakeHelpCenter, index: int, *, version: int) -> str:
    """Page `index` of the generated help center (its text varies with `version`); returns its path."""
    rng = random.Random(index * 1000 + version)
    topic = TOPICS[index % len(TOPICS)]
    title = f"{topic.capitalize()} guide {index}"
    sections = [(f"{topic.capitalize()} step {n + 1}", [_sentences(rng, 45), _sentences(rng, 45)]) for n in range(5)]
    kind = "pdf" if index % 10 == 9 else "md" if index % 10 >= 7 else "html"
    path = f"/articles/{topic}-{index}.{kind}"
    if kind == "html":
        body = "".join(
            f'<section id="s{n}"><h2>{heading}</h2>' + "".join(f"<p>{p}</p>" for p in paragraphs) + "</section>"
            for n, (heading, paragraphs) in enumerate(sections)
        )
        site.put(
            path, f"<html><head><title>{title}</title></head><body><main><h1>{title}</h1>{body}</main></body></html>"
        )
    elif kind == "md":
        body = "".join(f"## {heading}\n\n" + "\n\n".join(paragraphs) + "\n\n" for heading, paragraphs in sections)
        site.put(path, f"# {title}\n\n{body}")
    else:
        pdf_pages = [[f"# {heading}", *paragraphs] for heading, paragraphs in sections]
        site.put(path, text_pdf(pdf_pages, title=title))
    return path


WORDS = VOCABULARY.split(" ")


def _sentences(rng: random.Random, words: int) -> str:
    out, left = [], words
    while left > 0:
        length = min(left, rng.randint(8, 16))
        out.append(" ".join(rng.choice(WORDS) for _ in range(length)).capitalize() + ".")
        left -= length
    return " ".join(out)


def _sitemap(site: FakeHelpCenter, paths: list[str]) -> str:
    entries = "".join(f"<url><loc>{site.url}{path}</loc></url>" for path in paths)
    return f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>'


if __name__ == "__main__":
    main()
