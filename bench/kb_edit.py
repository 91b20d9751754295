"""Editing, importing and exporting the knowledge base, at the demo size and at 1,000 entries.

    .venv/bin/python bench/kb_edit.py [--runs N] [--sizes 15,1000] [--embedder NAME]

Each size gets its own throwaway embedded Postgres and the configured embedder (EMBEDDER, default
auto: the multilingual encoder; `--embedder` overrides it). The demo size is the repository's
knowledge_base.json; a larger size adds synthetic entries with ten English phrasings each (an
action on a thing: "How can I renew my gift card?"), so the classifier has data to learn from.
Timed, in this order:
- the import of the whole knowledge base into the empty database (`sync_entries`), once, and a
  re-import of the unchanged entries;
- a console save (`editing.save`) that changes the password-reset entry's answer and adds an
  example, so the entry is re-embedded and its classifier row re-learned; the creation of a new
  entry (`base_version=None`) and its retirement (`editing.retire`);
- the export (`render_knowledge_base`), then the re-import of what it wrote, which must change nothing.
Prints p50 and max seconds, each also as a multiple of the p50 of one retrieval query
(`find_answers("how do I reset my password", [])`) timed after every operation of the same run,
so both see the same machine load; where the time went (embedding, classifier training, threshold
calibration, BM25 term weights and vacuum, the rest: reading and writing rows); and the save goals,
<= 2 s at the demo size and <= 10 s at 1,000 entries. The first size's import also loads the
encoder and embeds the calibration anchors, once per process, as a deploy's first sync would.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# As in shared/embeddings/local.py: a second BLAS thread spins against Postgres on two cores.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("ENVIRONMENT", "local")  # benches run locally; unset means production

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

QUERY = "how do I reset my password"
EDITED = "password-reset"
# Synthetic entries apply each action to each thing: 20 x 50 = 1,000 of them.
ACTIONS = (
    "change cancel track return update renew pause transfer recover verify activate remove upgrade download report \
reset share replace extend check"
)
THINGS = """gift card, invoice, subscription, delivery slot, loyalty points, warranty, billing address, phone number,
payment method, student discount, store pickup, trade-in offer, protection plan, family account, newsletter, backorder,
price match, repair booking, installation date, rental, preorder, coupon, wish list, saved card, tax receipt,
shipping label, membership, email address, security question, two-factor login, business account, credit limit,
instalment plan, device registration, software licence, cloud backup, data plan, SIM card, accessory bundle,
demo booking, review, referral code, store credit, delivery address, order note, return label, exchange request,
support ticket, product alert, privacy settings"""
PHRASINGS = (
    "How can I {a} my {t}?",
    "I need to {a} my {t}",
    "Is it possible to {a} the {t}?",
    "Can you help me {a} my {t}?",
    "What are the steps to {a} a {t}?",
    "I want to {a} my {t} today",
    "Where do I go to {a} my {t}?",
    "Help, I can't {a} my {t}",
    "Do you let customers {a} their {t}?",
    "how to {a} {t}",
    "Trying to {a} the {t} on my account",
    "Who can {a} my {t} for me?",
)


def synthetic_entry(entry_id: str, action: str, thing: str, seed: int) -> Any:
    """An entry about doing `action` to `thing`, with ten of the phrasings."""
    from shared.schemas.faq import FaqEntry

    return FaqEntry(
        id=entry_id,
        question=f"How do I {action} my {thing}?",
        answer=f"To {action} your {thing}, sign in, open {thing} under Account settings and choose {action}. "
        "We confirm by email within a few minutes.",
        keywords=[action, thing, f"{action} {thing}"],
        examples=[p.format(a=action, t=thing) for p in random.Random(seed).sample(PHRASINGS, 10)],
    )


def knowledge_base(size: int) -> list[Any]:
    """The demo entries, then synthetic ones up to `size`."""
    from devtools.evaluate import DEMO_KB
    from shared.schemas.faq import load_knowledge_base

    demo = load_knowledge_base(DEMO_KB)[:size]
    things = [thing.strip() for thing in THINGS.split(",")]
    pairs = [(a, t) for t in things for a in ACTIONS.split()][: size - len(demo)]
    return demo + [synthetic_entry(f"syn-{i}", a, t, i) for i, (a, t) in enumerate(pairs)]


class Stopwatch:
    """Seconds spent in chosen functions, by label, since the last reset."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)

    def wrap(self, owner: Any, name: str, label: str) -> None:
        inner = getattr(owner, name)

        def timed(*args: Any, **kwargs: Any) -> Any:
            began = time.perf_counter()
            try:
                return inner(*args, **kwargs)
            finally:
                self.seconds[label] += time.perf_counter() - began

        setattr(owner, name, timed)

    def take(self) -> dict[str, float]:
        taken, self.seconds = dict(self.seconds), defaultdict(float)
        return taken


def stopwatch() -> Stopwatch:
    """A stopwatch on the steps a sync or a save goes through."""
    from shared.embeddings import get_embedder
    from shared.knowledge import calibration, editing, sync, vectors

    watch = Stopwatch()
    embedder = get_embedder()
    if embedder is not None:
        watch.wrap(embedder, "embed_documents", "embed")
    watch.wrap(vectors, "_train_classifier", "classifier")
    watch.wrap(vectors, "_train_row", "classifier")
    watch.wrap(calibration, "calibrate", "calibrate")
    for module in (sync, editing):
        watch.wrap(module, "refresh_lexical_index", "terms")
    watch.wrap(sync, "vacuum_lexical_index", "terms")
    return watch


@dataclass
class Row:
    name: str
    times: list[float] = field(default_factory=list)
    splits: list[dict[str, float]] = field(default_factory=list)
    note: str = ""


@dataclass
class Bench:
    watch: Stopwatch
    rows: list[Row] = field(default_factory=list)
    queries: list[float] = field(default_factory=list)

    def measure(self, name: str, action: Callable[[int], Any], runs: int) -> list[Any]:
        """Time `action(run)` `runs` times, each followed by one timed query; returns the results."""
        from shared.knowledge.lookup import find_answers

        row, results = Row(name), []
        print(f"  {name} ...", file=sys.stderr, flush=True)
        for run in range(runs):
            self.watch.take()
            began = time.perf_counter()
            results.append(action(run))
            row.times.append(time.perf_counter() - began)
            row.splits.append(self.watch.take())
            began = time.perf_counter()
            find_answers(QUERY, [])
            self.queries.append(time.perf_counter() - began)
        self.rows.append(row)
        return results


def run_size(size: int, runs: int, watch: Stopwatch) -> Bench:
    """Every measurement at one size, in a database of its own."""
    from devtools.evaluate import fresh_database
    from shared.core.settings import get_settings
    from shared.db.engine import reset_engine
    from shared.db.migrate import upgrade
    from shared.knowledge.sync import sync_entries

    faqs = knowledge_base(size)
    print(f"{len(faqs)} entries:", file=sys.stderr, flush=True)
    with fresh_database():
        get_settings.cache_clear()
        reset_engine()
        upgrade()
        bench = Bench(watch)
        [report] = bench.measure("import into empty db", lambda _: sync_entries(faqs), 1)
        bench.rows[-1].note = f"{report.inserted} inserted, {report.embedded_entries} embedded"
        again = bench.measure("re-import unchanged", lambda _: sync_entries(faqs), runs)
        bench.rows[-1].note = _changes(again[-1])
        edit_and_retire(bench, faqs, runs)
        export_and_reimport(bench, runs)
    return bench


def edit_and_retire(bench: Bench, faqs: list[Any], runs: int) -> None:
    """A save that re-embeds an entry, then new entries created and retired."""
    from shared.db.engine import connection
    from shared.knowledge import editing, entries

    original = next((e for e in faqs if e.entry_id == EDITED), faqs[0])
    with connection() as conn:
        live = entries.live(conn, original.entry_id)
    assert live is not None
    version = [live.version]

    def edit(run: int) -> Any:
        answer, examples = f"{original.answer} (revision {run})", [*original.examples, f"forgot my login, take {run}"]
        changed = original.model_copy(update={"answer": answer, "examples": examples})
        saved = editing.save(changed, author="bench", base_version=version[0])
        version[0] = saved.version
        return saved

    saves = bench.measure("save: edit", edit, runs)
    bench.rows[-1].note = f"re-index p50 {statistics.median(s.reindex_seconds for s in saves):.3f} s"

    def create(run: int) -> Any:
        entry = synthetic_entry(f"bench-new-{run}", "book", f"repair slot {run}", run)
        return editing.save(entry, author="bench", base_version=None)

    created = bench.measure("save: new entry", create, runs)
    bench.rows[-1].note = f"re-index p50 {statistics.median(s.reindex_seconds for s in created):.3f} s"

    def retire(run: int) -> Any:
        return editing.retire(created[run].entry_id, author="bench", base_version=created[run].version)

    retired = bench.measure("retire entry", retire, runs)
    bench.rows[-1].note = f"re-index p50 {statistics.median(s.reindex_seconds for s in retired):.3f} s"


def export_and_reimport(bench: Bench, runs: int) -> None:
    """The export, and the re-import of its output."""
    from shared.knowledge.export import render_knowledge_base
    from shared.knowledge.sync import sync_entries
    from shared.schemas.faq import KnowledgeBaseFile

    texts = bench.measure("export", lambda _: render_knowledge_base(), runs)
    bench.rows[-1].note = f"{len(texts[-1].encode()) / 1e6:.2f} MB of JSON"
    exported = KnowledgeBaseFile.model_validate_json(texts[-1]).faqs
    [report] = bench.measure("re-import the export", lambda _: sync_entries(exported), 1)
    bench.rows[-1].note = _changes(report)


def _changes(report: Any) -> str:
    moved = report.inserted + report.updated + report.removed + len(report.conflicts)
    counts = f"{report.inserted}/{report.updated}/{report.removed} ins/upd/rem, {len(report.conflicts)} conflicts"
    return f"{counts}: {'ok' if moved == 0 else 'CHANGED'}"


def goal(size: int) -> float | None:
    """The save goal in seconds: 2 at the demo size, 10 up to 1,000 entries."""
    return 2.0 if size <= 15 else 10.0 if size <= 1000 else None


def print_table(size: int, bench: Bench) -> None:
    query = statistics.median(bench.queries)
    print(
        f"\n{size} entries; baseline: one query p50 {query * 1000:.1f} ms, max {max(bench.queries) * 1000:.1f} ms "
        f"({len(bench.queries)} queries, one after each operation)"
    )
    print(
        f"{'operation':<22} {'runs':>4} {'p50 s':>8} {'×query':>7} {'max s':>8} {'×query':>7}  {'save goal':<11} notes"
    )
    for row in bench.rows:
        p50, top = statistics.median(row.times), max(row.times)
        limit = goal(size) if row.name.startswith("save") else None
        verdict = "" if limit is None else f"<= {limit:g} s {'ok' if top <= limit else 'OVER'}"
        figures = f"{p50:>8.3f} {p50 / query:>7.0f} {top:>8.3f} {top / query:>7.0f}"
        print(f"{row.name:<22} {len(row.times):>4} {figures}  {verdict:<11} {row.note}")
        print(f"{'':<22} p50 split: {_split(row, p50)}")


def _split(row: Row, p50: float) -> str:
    labels = ("embed", "classifier", "calibrate", "terms")
    parts = {label: statistics.median(s.get(label, 0.0) for s in row.splits) for label in labels}
    cells = [f"{label} {seconds:.3f}" for label, seconds in parts.items() if seconds >= 0.0005]
    return ", ".join([*cells, f"rest {max(0.0, p50 - sum(parts.values())):.3f}"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", type=lambda s: [int(n) for n in s.split(",")], default=[15, 1000])
    parser.add_argument("--embedder", help="EMBEDDER for this run (default: as configured, auto)")
    args = parser.parse_args()
    if args.embedder:
        os.environ["EMBEDDER"] = args.embedder
    from shared.embeddings import describe_retrieval

    print(f"{describe_retrieval()}; {args.runs} runs; seconds; ×query = multiple of the baseline query's p50")
    watch = stopwatch()
    for size in args.sizes:
        print_table(size, run_size(size, args.runs, watch))


if __name__ == "__main__":
    main()
