"""Benchmark actions on the shop's API: our call against a direct request, and post_message behind a 50 ms shop.

    .venv/bin/python bench/actions.py [--calls 300] [--requests 400] [--concurrency 4]

1. The overhead of one action call (arguments checked, URL filled, host allowed, address
   resolved and checked, the JSON read) against a plain httpx request to the same fake shop
   (devtools/fake_shop.py), each through its own kept client, alternately, in this run.
2. post_message p50/p95 for a signed-in customer asking for an order, the shop answering in
   50 ms, next to post_message for a knowledge-base question in the same run (the ratio says
   what the action adds).
The abuse limits are off; a failed request, or an order question answered without its card,
counts as an error, and any error makes it exit with 1.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, bench_database, run_load, serve, switch_off_limits
from devtools.fake_identity import SECRET, FakeShop
from devtools.fake_shop import FakeShopApi

ORDER_QUESTION = "Where is my order 10187?"
KB_QUESTION = "How do I return an item?"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args()
    os.environ["THREADS"] = str(args.concurrency)
    switch_off_limits()
    shop = FakeShopApi().start()
    os.environ.update(
        SHOP_API_BASE=shop.url,
        SHOP_API_TOKEN="local-shop-token",
        ACTIONS_ALLOWED_HOSTS=shop.url.removeprefix("http://"),
        IDENTITY_SIGNING_SECRET=SECRET,
    )
    with bench_database():
        failed = report_call_overhead(shop, args.calls)
        failed += report_post_message(shop, args.requests, args.concurrency)
    shop.stop()
    if failed:
        print(f"FAILED: {failed} requests failed", file=sys.stderr)
        sys.exit(1)


def report_call_overhead(shop: FakeShopApi, calls: int) -> int:
    """Print the median of our call and of a direct request, alternately; returns the failures."""
    from shared.actions.catalogue import catalogue
    from shared.actions.requests import Caller
    from shared.core.settings import get_settings
    from shared.services._actions import call

    get_settings.cache_clear()
    action = catalogue().get("order_status")
    assert action is not None, "the repository's actions.json has order_status"
    url = f"{shop.url}/api/customers/cust-1001/orders/10187"
    headers = {"Authorization": "Bearer local-shop-token"}
    ours, direct, failed = [], [], 0
    direct_client = httpx.Client(timeout=5)  # kept, as ours is
    for _ in range(calls):
        began = time.perf_counter()
        failed += not call(action, {"order_id": "10187"}, Caller("cust-1001")).ok
        ours.append(time.perf_counter() - began)
        began = time.perf_counter()
        failed += direct_client.get(url, headers=headers).status_code != 200
        direct.append(time.perf_counter() - began)
    ours_ms, direct_ms = statistics.median(ours) * 1000, statistics.median(direct) * 1000
    print(
        f"one action call, median of {calls}: ours {ours_ms:.2f} ms, a direct httpx request {direct_ms:.2f} ms "
        f"(ratio {ours_ms / direct_ms:.2f}, overhead {ours_ms - direct_ms:.2f} ms)"
    )
    return failed


def report_post_message(shop: FakeShopApi, requests: int, concurrency: int) -> int:
    """Print post_message latency for an order question (shop at 50 ms) and a knowledge-base one."""
    shop.delay_seconds = 0.05
    with serve("create_session", ROOT / "main.py") as (create_url, _):
        token = FakeShop().sign("cust-1001", algorithm="HS256", name="Ada")
        sessions = [_created(httpx.post(create_url, json={"identity_token": token})) for _ in range(concurrency * 4)]
    results = {}
    with serve("post_message", ROOT / "main.py") as (url, _):
        for label, question in (("order question (action)", ORDER_QUESTION), ("knowledge-base question", KB_QUESTION)):

            def send(client: httpx.Client, i: int, question: str = question) -> int:
                session = sessions[i % len(sessions)]
                body = {"session_id": session["session_id"], "content": question}
                headers = {"Authorization": f"Bearer {session['session_token']}"}
                response = client.post(url, json=body, headers=headers)
                if response.status_code == 200 and question == ORDER_QUESTION:
                    return 200 if (response.json()["reply"] or {}).get("card") else 599
                return response.status_code

            run_load(send, requests=concurrency * 2, concurrency=concurrency)  # warm up
            results[label] = run_load(send, requests=requests, concurrency=concurrency)
    print(f"{requests} posts each, {concurrency} concurrent clients, the shop answering in 50 ms")
    for label, result in results.items():
        print(
            f"post_message, {label}: p50 {result.percentile(50) * 1000:.1f} ms, "
            f"p95 {result.percentile(95) * 1000:.1f} ms, errors {result.errors}"
        )
    action, kb = results["order question (action)"], results["knowledge-base question"]
    print(f"p50 ratio action / knowledge base: {action.percentile(50) / kb.percentile(50):.2f}")
    return sum(result.errors for result in results.values())


def _created(response: httpx.Response) -> dict[str, str]:
    if response.status_code != 201:
        raise SystemExit(f"create_session answered {response.status_code}: {response.text[:200]}")
    return dict(response.json())


if __name__ == "__main__":
    main()
