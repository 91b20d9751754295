"""All-in cost per 1,000 conversations, from what a replay of labelled conversations measures.

    .venv/bin/python bench/cost.py [--conversations 40] [--messages-per-conversation 4]
                                   [--model-seconds 2] [--embedder auto] [--monthly-conversations 1000,10000]

Replays conversations built from the InnovateTech labelled set (a case's earlier customer
messages and its question, then other cases' questions, --messages-per-conversation in all)
through the local run (`python -m devtools.serve`) against the fake Gemini, answering in
about --model-seconds, and measures per conversation: function requests (with the
widget's polls while it is open), their billable instance time, and the model's input tokens
(every prompt the fake received) and output tokens (the replies). It prices them at the list
prices below (Cloud Run request-based billing, tier-1 regions, before the free tier; the
database tier per month spread over --monthly-conversations; the model at the configured
MODEL_*_USD_PER_MILLION) and prints every input. Exits 1 when a request failed.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT
from bench.load import NO_LIMITS, REPLY_CHUNKS, local_server
from devtools.fake_gemini import FakeGemini
from shared.core.settings import Settings

LABELLED_SET = ROOT / "tests" / "fixtures" / "innovatetech_eval.jsonl"
CHARS_PER_TOKEN = 4.0  # English text in Gemini's tokenizer, roughly; the fake counts no tokens

# List prices in USD (Cloud Run pricing page, tier 1, CPU allocated during requests only; Cloud
# SQL db-f1-micro as in infra/README.md). Checked December 2026.
VCPU_SECOND = 0.000024
GIB_SECOND = 0.0000025
PER_MILLION_REQUESTS = 0.40
INSTANCE_VCPU, INSTANCE_GIB = 1.0, 0.5  # infra/variables.tf: function_cpu 1, function_memory 512Mi
DB_TIER_HOURLY = 0.0105  # db-f1-micro
DB_STORAGE_GB, DB_STORAGE_GB_MONTH = 10, 0.17  # SSD
DB_BACKUP_GB, DB_BACKUP_GB_MONTH = 2, 0.08
HOURS_PER_MONTH = 730
POLL_SECONDS = 4.0  # frontend/widget.js POLL_OPEN_MS
# A model call that is not an answer (a summary) writes about this many tokens.
OTHER_CALL_OUTPUT_TOKENS = 200


@dataclass
class Measured:
    conversations: int = 0
    messages: int = 0
    requests: int = 0
    billable_seconds: float = 0.0
    failed: list[str] = field(default_factory=list)
    reply_chars: int = 0
    open_seconds: float = 0.0

    def timed(self, response: httpx.Response, seconds: float) -> httpx.Response:
        """Count one request and its instance time (billed in 100 ms steps)."""
        self.requests += 1
        self.billable_seconds += math.ceil(seconds * 10) / 10
        if response.status_code >= 400:
            self.failed.append(f"{response.request.method} {response.request.url.path} {response.status_code}")
        return response


def conversations(count: int, length: int, seed: int) -> list[list[str]]:
    """`count` conversations of `length` customer messages from the labelled set.

    Each starts from a case (its earlier messages, then its question) and goes on with other
    cases' questions: the set holds single questions, not whole conversations.
    """
    cases = [json.loads(line) for line in LABELLED_SET.read_text().splitlines() if line.strip()]
    rng = random.Random(seed)
    scripted = []
    for case in rng.sample(cases, min(count, len(cases))):
        messages = [*case.get("history", []), case["query"]]
        messages += [rng.choice(cases)["query"] for _ in range(length - len(messages))]
        scripted.append(messages[:length] if len(messages) > length else messages)
    return scripted


def replay(base: str, scripted: list[list[str]], open_seconds_per_message: float) -> Measured:
    """Run every conversation as the widget would: a session, each message, the polls while open."""
    measured = Measured()
    with httpx.Client(timeout=120) as client:

        def call(method: str, path: str, **kwargs: object) -> httpx.Response:
            began = time.perf_counter()
            response = client.request(method, f"{base}/{path}", **kwargs)  # type: ignore[arg-type]
            return measured.timed(response, time.perf_counter() - began)

        for messages in scripted:
            created = call("POST", "create_session")
            if created.status_code != 201:
                continue
            session, token = created.json()["session_id"], created.json()["session_token"]
            auth = {"Authorization": f"Bearer {token}"}
            for text in messages:
                posted = call("POST", "post_message", json={"session_id": session, "content": text}, headers=auth)
                if posted.status_code == 200 and (reply := posted.json().get("reply")):
                    measured.reply_chars += len(reply["content"])
                measured.messages += 1
            measured.conversations += 1
            measured.open_seconds += open_seconds_per_message * len(messages)
    return measured


@dataclass(frozen=True)
class Prompts:
    answer_calls: int
    other_calls: int
    input_chars: int


def prompts(fake: FakeGemini) -> Prompts:
    """What the model was sent: every call, its system instruction and contents; streamed calls are answers."""
    calls = fake.answers()
    streamed = sum("streamGenerateContent" in r.path for r in calls)
    answers = streamed or len(calls)
    return Prompts(answers, len(calls) - answers, sum(len(r.system) + len(r.user) for r in calls))


def price(measured: Measured, sent: Prompts, settings: Settings, monthly: list[int]) -> list[str]:
    """The inputs and the cost per 1,000 conversations, one line each."""
    n = measured.conversations
    polls = measured.open_seconds / POLL_SECONDS / n
    requests = measured.requests / n + polls
    # A poll finds nothing new and answers in a few milliseconds: billed as one 100 ms step.
    seconds = measured.billable_seconds / n + polls * 0.1
    thinking = getattr(settings, "gemini_thinking_budget", 0)
    input_tokens = sent.input_chars / CHARS_PER_TOKEN / n
    output_tokens = (
        measured.reply_chars / CHARS_PER_TOKEN
        + sent.answer_calls * thinking
        + sent.other_calls * OTHER_CALL_OUTPUT_TOKENS
    ) / n
    functions = 1000 * (
        requests * PER_MILLION_REQUESTS / 1e6 + seconds * (INSTANCE_VCPU * VCPU_SECOND + INSTANCE_GIB * GIB_SECOND)
    )
    model = (
        1000
        * (input_tokens * settings.model_input_usd_per_million + output_tokens * settings.model_output_usd_per_million)
        / 1e6
    )
    database_month = (
        DB_TIER_HOURLY * HOURS_PER_MONTH + DB_STORAGE_GB * DB_STORAGE_GB_MONTH + DB_BACKUP_GB * DB_BACKUP_GB_MONTH
    )
    lines = [
        f"measured over {n} conversations ({measured.messages} customer messages, {measured.requests} requests):",
        f"  customer messages per conversation {measured.messages / n:.2f} (chosen: --messages-per-conversation); "
        f"requests per conversation "
        f"{requests:.1f} (of which widget polls {polls:.1f}, one every {POLL_SECONDS:g} s while open)",
        f"  billable instance time per conversation {seconds:.2f} s at {INSTANCE_VCPU:g} vCPU + {INSTANCE_GIB:g} GiB "
        f"(each request rounded up to 100 ms, none sharing an instance: an upper bound)",
        f"  model calls per conversation: {sent.answer_calls / n:.2f} answers, {sent.other_calls / n:.2f} others; "
        f"tokens per conversation {input_tokens:.0f} in, {output_tokens:.0f} out "
        f"(prompt and reply characters / {CHARS_PER_TOKEN:g}; + thinking budget {thinking} per answer)",
        f"prices: Cloud Run ${VCPU_SECOND}/vCPU-s, ${GIB_SECOND}/GiB-s, ${PER_MILLION_REQUESTS}/M requests "
        f"(before the monthly free tier: 180,000 vCPU-s, 360,000 GiB-s, 2 M requests); model "
        f"${settings.model_input_usd_per_million}/M in, ${settings.model_output_usd_per_million}/M out; "
        f"Cloud SQL db-f1-micro ${database_month:.2f}/month (instance, {DB_STORAGE_GB} GB SSD, backups)",
        f"per 1,000 conversations: functions ${functions:.2f}, model ${model:.2f}",
    ]
    for volume in monthly:
        database = database_month * 1000 / volume
        total = functions + model + database
        lines.append(
            f"  at {volume:,} conversations a month: database ${database:.2f} -> all-in ${total:.2f} "
            f"per 1,000 conversations (${total / 1000:.4f} each)"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=40)
    parser.add_argument(
        "--messages-per-conversation", type=int, default=4, help="an input, not measured: no real traffic here"
    )
    parser.add_argument("--model-seconds", type=float, default=2.0)
    parser.add_argument("--embedder", default="auto", help="EMBEDDER of the local run (as deployed: auto)")
    parser.add_argument("--open-seconds-per-message", type=float, default=30.0, help="widget open per message")
    parser.add_argument("--monthly-conversations", type=lambda s: [int(v) for v in s.split(",")], default=[1000, 10000])
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    fake = FakeGemini(chunk_delay=args.model_seconds / REPLY_CHUNKS).start()
    root = Path(tempfile.mkdtemp(prefix="bench-cost-"))
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("GOOGLE_", "GEMINI_", "DATABASE_URL", "DB_"))},
        **NO_LIMITS,
        "ENVIRONMENT": "local",
        "EMBEDDED_PG_DIR": str(root / "pgdata"),
        "EMBEDDER": args.embedder,
        "LOG_LEVEL": "WARNING",
        "GOOGLE_API_KEY": "fake",
        "GOOGLE_GEMINI_BASE_URL": fake.url,
    }
    try:
        with local_server(env, root / "server.log") as base:
            measured = replay(
                base,
                conversations(args.conversations, args.messages_per_conversation, args.seed),
                args.open_seconds_per_message,
            )
        print("\n".join(price(measured, prompts(fake), Settings(environment="local"), args.monthly_conversations)))
    finally:
        fake.stop()
        shutil.rmtree(root, ignore_errors=True)
    if measured.failed:
        print(f"FAILED: {len(measured.failed)} requests, first: {measured.failed[0]}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
