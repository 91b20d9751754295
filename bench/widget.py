"""The widget's weight and how soon its launcher is usable, next to the bare page in the same run.

    .venv/bin/python bench/widget.py [--loads 20]

Serves frontend/ statically, loads the demo page in Debian's Chromium, and prints the
widget's gzipped size and the median time from navigation start to a clickable launcher,
against the page's own DOMContentLoaded and load events (no network to the API is needed:
the widget makes no request until it is opened).
"""

from __future__ import annotations

import argparse
import functools
import gzip
import statistics
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
FRONTEND = ROOT / "frontend"
READY = """() => new Promise(resolve => {
  const check = () => {
    const host = document.querySelector('#support-widget-host');
    const button = host && host.shadowRoot && host.shadowRoot.querySelector('button.launcher');
    if (button && button.getBoundingClientRect().width > 0) resolve(performance.now());
    else requestAnimationFrame(check);
  };
  check();
})"""


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--loads", type=int, default=20)
    args = parser.parse_args()
    source = (FRONTEND / "widget.js").read_bytes()
    zipped = len(gzip.compress(source, 9))
    print(f"widget.js: {len(source) / 1024:.1f} KB, {zipped / 1024:.1f} KB gzipped (goal: <= 15 KB)")
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(FRONTEND)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/index.html"
    ready, dcl, load = [], [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        for _ in range(args.loads):
            page = browser.new_context().new_page()
            page.goto(url)
            ready.append(page.evaluate(READY))
            timing = page.evaluate("() => performance.getEntriesByType('navigation')[0].toJSON()")
            dcl.append(timing["domContentLoadedEventEnd"])
            load.append(timing["loadEventEnd"])
            page.context.close()
        browser.close()
    server.shutdown()
    median = statistics.median
    print(
        f"median of {args.loads} loads: launcher usable {median(ready):.1f} ms after navigation start; "
        f"page DOMContentLoaded {median(dcl):.1f} ms, load {median(load):.1f} ms "
        f"(launcher / DOMContentLoaded = {median(ready) / median(dcl):.2f})"
    )


if __name__ == "__main__":
    sys.exit(main())
