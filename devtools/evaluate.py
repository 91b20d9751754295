"""Measure retrieval: `python -m devtools.evaluate [--kb KB.json --queries Q.jsonl | --set S.jsonl]`.

With no arguments: the demo knowledge base and the InnovateTech labelled customer messages
(shared/knowledge/conversation_eval.py), through the bot's own lookup (follow-ups, several questions in
one message, languages), with accuracy per language and per kind of message.

With `--help-center [FOLDER]`: the same with a help center ingested too (default: the demo's,
helpcenter/), whose passages must not take the entries' place, and the figures of its own
labelled set (devtools/evaluate_help_center.py: pages found, cited to the section, facts in the
reply).

With `--regression [CASES.jsonl]`: the regression cases exported from the console
(`python -m shared.cli kb export --cases`), each of which must be answered rightly; the
failures are printed and the exit status is 1 if there are any. A case may expect a help-center
document (`doc:<location>[#anchor]`, or `"expected_document"`); `--help-center [FOLDER]` ingests
the documents it names.

With `--summaries [SET.jsonl]`: ROUGE-1/2/L F1 of the agents' summary written without a model,
and of the first customer message with the first reply, against written summaries
(default: datasets/summaries.jsonl; devtools/summary_quality.py).

With `--kb` and `--queries` (a public set with one expected entry per query):

Loads the knowledge base (`[{"id", "question", "examples"}]`, answers optional) into a fresh
database (a throwaway embedded Postgres, whatever DATABASE_URL says), runs
every query through the same search the bot uses, and prints top-1 accuracy and MRR@10 over
in-scope queries; with the confidence threshold, accuracy when answered, out-of-scope recall
(queries whose expected entry is null) and overall accuracy; query latency (embedding
included) and index build time. `--json` prints one object.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from shared.core.settings import PROJECT_ROOT
from shared.schemas.faq import FaqEntry

DEMO_KB = PROJECT_ROOT / "knowledge_base.json"
# Written by `python -m shared.cli kb export --cases`: questions from real conversations.
DATASETS = Path(__file__).resolve().parent.parent / "datasets"
REGRESSION_SET = DATASETS / "regression_cases.jsonl"
CONVERSATION_SET = DATASETS / "innovatetech_eval.jsonl"
SUMMARY_SET = DATASETS / "summaries.jsonl"


@dataclass(frozen=True)
class Labelled:
    query: str
    expected: str | None


@dataclass(frozen=True)
class Report:
    embedder: str
    queries: int
    top1: float
    mrr: float
    in_scope_answered_accuracy: float
    oos_recall: float | None
    overall_accuracy: float
    p50_ms: float
    p95_ms: float
    index_build_s: float


def load_kb(path: Path) -> list[FaqEntry]:
    """Entries from an evaluation knowledge base; a missing answer becomes the question."""
    raw = json.loads(path.read_text())
    items = raw["faqs"] if isinstance(raw, dict) else raw
    return [
        FaqEntry(
            id=item.get("id"),
            question=item["question"],
            answer=item.get("answer") or item["question"],
            keywords=item.get("keywords", []),
            examples=item.get("examples", []),
            translations=item.get("translations", {}),
        )
        for item in items
    ]


def load_queries(path: Path) -> list[Labelled]:
    """Labelled queries, one JSON object per line."""
    lines = [line for line in path.read_text().splitlines() if line.strip()]
    return [Labelled(**{k: v for k, v in json.loads(line).items() if k in ("query", "expected")}) for line in lines]


def evaluate(entries: list[FaqEntry], queries: list[Labelled]) -> Report:
    """Sync `entries` into the configured database and measure the configured retrieval on `queries`."""
    from shared.core.settings import get_settings
    from shared.db.engine import connection
    from shared.db.migrate import upgrade
    from shared.embeddings import get_embedder
    from shared.knowledge import decision, retrieval, spelling
    from shared.knowledge.sync import sync_entries
    from shared.text.language import language_of

    upgrade()
    started = time.perf_counter()
    sync_entries(entries)
    build_seconds = time.perf_counter() - started
    embedder, settings = get_embedder(), get_settings()
    ranks, answered, latencies = [], [], []
    knows_word = getattr(embedder, "knows_word", None)
    with connection() as conn:
        retrieval.search(conn, "warm up")
        words = spelling.vocabulary(conn)
        for item in queries:
            began = time.perf_counter()
            # Spelt as the bot reads it (knowledge/spelling).
            query = words.corrected(item.query, language_of(item.query), knows_word) if knows_word else item.query
            vector = embedder.embed_query(query) if embedder else None
            found = retrieval.search(conn, query, vector=vector, model=embedder.model if embedder else None, top_k=10)
            latencies.append((time.perf_counter() - began) * 1000)
            ids = [f.id for f in found]
            ranks.append(ids.index(item.expected) + 1 if item.expected in ids else None)
            # Answered as the bot decides: the entry asserted, not merely above the threshold.
            ranked = found[: settings.retrieval_top_k]
            answered.append(decision.decide(ranked, settings, words=len(item.query.split())).outcome == "answered")
    return _report(embedder.model if embedder else "none", queries, ranks, answered, latencies, build_seconds)


def _report(
    name: str,
    queries: list[Labelled],
    ranks: list[int | None],
    answered: list[bool],
    latencies: list[float],
    build_seconds: float,
) -> Report:
    in_scope = [i for i, q in enumerate(queries) if q.expected is not None]
    out_scope = [i for i, q in enumerate(queries) if q.expected is None]
    right = [ranks[i] == 1 for i in range(len(queries))]
    right_answered = sum(1 for i in in_scope if right[i] and answered[i])
    refused = sum(1 for i in out_scope if not answered[i])
    cuts = statistics.quantiles(latencies, n=20) if len(latencies) > 1 else latencies * 19
    return Report(
        embedder=name,
        queries=len(queries),
        top1=_share(sum(right[i] for i in in_scope), len(in_scope)),
        mrr=_share(sum(_reciprocal(ranks[i]) for i in in_scope), len(in_scope)),
        in_scope_answered_accuracy=_share(right_answered, len(in_scope)),
        oos_recall=_share(refused, len(out_scope)) if out_scope else None,
        overall_accuracy=_share(right_answered + refused, len(queries)),
        p50_ms=round(statistics.median(latencies), 2),
        p95_ms=round(cuts[18], 2),
        index_build_s=round(build_seconds, 2),
    )


def _reciprocal(rank: int | None) -> float:
    return 1.0 / rank if rank else 0.0


def _share(count: float, total: int) -> float:
    return round(count / total, 4) if total else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description="Measure retrieval on labelled queries.")
    parser.add_argument("--kb", type=Path, help="knowledge base (default: the demo's)")
    parser.add_argument("--queries", type=Path, help="public-set queries, one expected entry each")
    parser.add_argument("--set", type=Path, help="labelled customer messages (default: the InnovateTech set)")
    parser.add_argument(
        "--embedder",
        choices=["auto", "none", "combined", "multilingual", "local", "gemini"],
        help="default: EMBEDDER, else auto",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--help-center",
        nargs="?",
        type=Path,
        const=PROJECT_ROOT / "helpcenter",
        help="with the labelled messages or the regression set, also ingest a help center (default: the demo's)",
    )
    parser.add_argument(
        "--regression",
        nargs="?",
        type=Path,
        const=REGRESSION_SET,
        help="run a regression set (default: datasets/regression_cases.jsonl); exit 1 if a case fails",
    )
    parser.add_argument(
        "--summaries",
        nargs="?",
        type=Path,
        const=SUMMARY_SET,
        help="measure the summaries without a model (default: datasets/summaries.jsonl)",
    )
    args = parser.parse_args()
    if args.summaries:
        print(format_summaries(args.summaries))
        return
    if args.embedder:
        os.environ["EMBEDDER"] = args.embedder
    if args.regression:
        sys.exit(run_regression(load_kb(args.kb or DEMO_KB), args.regression, help_center=args.help_center))
    if args.queries:
        entries, queries = load_kb(args.kb or DEMO_KB), load_queries(args.queries)
        with fresh_database():
            report = evaluate(entries, queries)
        if args.json:
            print(json.dumps(asdict(report)))
        else:
            _print(report)
        return
    figures = evaluate_conversations(load_kb(args.kb or DEMO_KB), args.set, help_center=args.help_center)
    if args.help_center is not None:
        from devtools import evaluate_help_center

        figures["help_center"] = asdict(evaluate_help_center.evaluate(help_center=args.help_center))
    print(json.dumps(figures) if args.json else _format_conversations(figures))


def format_summaries(path: Path) -> str:
    """ROUGE F1 of the offline agents' summary and of the first-messages baseline, as a table."""
    from devtools import summary_quality

    lines = [f"{path.name}: ROUGE F1 against the written summaries", "summary          R-1    R-2    R-L"]
    for name, figures in summary_quality.measure(path).items():
        lines.append(f"{name:<16} {figures.rouge1:.3f}  {figures.rouge2:.3f}  {figures.rougeL:.3f}")
    return "\n".join(lines)


def run_regression(entries: list[FaqEntry], path: Path, *, help_center: Path | None = None) -> int:
    """Run the regression cases at `path` against `entries` (and `help_center`'s documents, which cases
    expecting `doc:<file>` name); print the failures; 1 if any."""
    from shared.knowledge import conversation_eval

    cases = conversation_eval.load_cases(path)
    with _holding(entries, help_center):
        failed = [o for o in conversation_eval.run(cases) if not o.right]
    for outcome in failed:
        expected = ", ".join(outcome.case.expected) or "not covered"
        print(
            f"FAILED {outcome.case.query!r}: expected {expected}, answered {', '.join(outcome.answered) or 'nothing'}"
        )
    print(f"regression set {path.name}: {len(cases) - len(failed)} of {len(cases)} cases right")
    return 1 if failed else 0


def evaluate_conversations(
    entries: list[FaqEntry], labelled: Path | None = None, *, help_center: Path | None = None
) -> dict[str, Any]:
    """The bot's accuracy on labelled customer messages, in a fresh database holding `entries` (and the
    documents of `help_center`: its passages must not take an entry's place)."""
    from shared.embeddings import describe_retrieval
    from shared.knowledge import conversation_eval

    cases = conversation_eval.load_cases(labelled or CONVERSATION_SET)
    with _holding(entries, help_center):
        started = time.perf_counter()
        outcomes = conversation_eval.run(cases)
        per_message_ms = (time.perf_counter() - started) * 1000 / max(1, len(cases))
    return {
        "mode": describe_retrieval(),
        "messages": len(cases),
        **conversation_eval.scope_figures(outcomes),
        "by_language": conversation_eval.accuracy_by(outcomes, "lang"),
        "by_kind": conversation_eval.accuracy_by(outcomes, "kind"),
        "mean_ms_per_message": round(per_message_ms, 2),
    }


def _format_conversations(figures: dict[str, Any]) -> str:
    lines = [f"{figures['mode']}; {figures['messages']} messages"]
    lines.append(
        f"covered answered right {figures['in_scope_answered_right']:.1%}, "
        f"not covered refused {figures['out_of_scope_refused']:.1%}"
    )
    for title in ("by_language", "by_kind"):
        cells = ", ".join(f"{name} {share:.1%}" for name, share in figures[title].items())
        lines.append(f"right {title.replace('_', ' ')}: {cells}")
    lines.append(f"lookup per message: {figures['mean_ms_per_message']} ms (embeddings included)")
    if pages := figures.get("help_center"):
        lines.append(
            f"help center ({pages['messages']} messages of its own set): pages found {pages['pages_found']:.1%}, "
            f"cited to the section {pages['sections_cited']:.1%}, facts in the reply {pages['facts_in_reply']:.1%}, "
            f"confidently wrong {pages['confidently_wrong']:.1%}"
        )
    return "\n".join(lines)


@contextmanager
def _holding(entries: list[FaqEntry], help_center: Path | None = None) -> Iterator[None]:
    """A database of its own, holding `entries` (and `help_center`'s documents), for the length of the block."""
    from shared.db.migrate import upgrade
    from shared.knowledge.documents.sync import sync_sources
    from shared.knowledge.sync import sync_entries

    with fresh_database():
        upgrade()
        sync_entries(entries)
        if help_center is not None:
            sync_sources([str(help_center)])
        yield


class fresh_database:
    """A database that exists only for this evaluation."""

    def __enter__(self) -> None:
        from shared.db.embedded import embedded_url, ensure_database, start_throwaway

        # Not a TemporaryDirectory: its finaliser would delete the data under the running server,
        # which then outlives this process. The server deletes its own data when it stops.
        server = start_throwaway("support-eval-")
        ensure_database(server, "evaluation")
        os.environ["DATABASE_URL"] = embedded_url(server, "evaluation")

    def __exit__(self, *exc: Any) -> None:
        from shared.db.engine import reset_engine

        reset_engine()


def _print(report: Report) -> None:
    print(f"embedder: {report.embedder}, {report.queries} queries")
    print(f"in scope: top-1 {report.top1:.1%}, MRR@10 {report.mrr:.3f}")
    print(
        f"at the confidence threshold: accuracy when answered {report.in_scope_answered_accuracy:.1%}"
        + (f", out-of-scope recall {report.oos_recall:.1%}" if report.oos_recall is not None else "")
        + f", overall accuracy {report.overall_accuracy:.1%}"
    )
    print(f"latency per query: p50 {report.p50_ms} ms, p95 {report.p95_ms} ms; index build {report.index_build_s} s")


if __name__ == "__main__":
    main()
