"""Sync the help center into the knowledge base: `python -m shared.knowledge.ingest [SOURCE...] [--remove SOURCE]`.

A source is a sitemap URL (sitemap indexes too), a page URL, a folder or a file (.md, .html,
.txt, .pdf); with none named, KNOWLEDGE_SOURCES. Only documents whose text changed are re-chunked
and re-embedded; every problem is a line here and a status on its document (failed with the
reason, its last good passages kept; retired when gone). Exit status 1 when a document or a
source failed, 2 when another sync was running.
"""

from __future__ import annotations

import argparse
import sys

from shared.knowledge.documents.sync import remove_source, sync_sources


def main(argv: list[str] | None = None) -> int:
    """Run the sync (or the removal) and print its report; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m shared.knowledge.ingest", description=__doc__.splitlines()[0])
    parser.add_argument("sources", nargs="*", help="sitemap or page URLs, folders, files (default: KNOWLEDGE_SOURCES)")
    parser.add_argument(
        "--remove", metavar="SOURCE", action="append", default=[], help="remove a source and its documents"
    )
    args = parser.parse_args(argv)
    for location in args.remove:
        print(f"removed {location}" if remove_source(location) else f"no source {location}")
    if args.remove and not args.sources:
        return 0
    report = sync_sources(args.sources or None, say=print)
    for line in report.summary():
        print(line)
    if report.busy:
        return 2
    failed = report.count("failed") or any(source.status == "failed" for source in report.sources)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
