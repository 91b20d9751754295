"""`python -m shared.operators ...`: the earlier name of `python -m shared.cli operators ...`."""

from __future__ import annotations

import sys

if __name__ == "__main__":
    from shared.cli import main

    sys.exit(main(["operators", *sys.argv[1:]]))
