"""A local stand-in for an OpenAI-compatible server, speaking chat completions to the real `openai` SDK.

POST .../chat/completions answers a JSON completion or, with `"stream": true`, server-sent events:
`data: <chunk>` lines, a last chunk carrying the usage when `stream_options.include_usage` asks for
it, then `data: [DONE]`. Like a careful model, it answers from the first <knowledge_base> entry that
is above the threshold, and says the knowledge base does not cover the message when none is.
Modes: normal, leaky (echoes its whole prompt), linky (adds links of its own), timeout, 429, 500,
malformed (a reply that is not the JSON asked for), garbled (a stream event that is not JSON) and
no_schema (refuses a JSON schema `response_format`, as some self-hosted servers do). Asked to
rewrite a follow-up, it returns the message as it is, or the scripted `rewritten` reply after
`rewrite_delay` seconds. A request with `tools` is answered with the next scripted call
(`will_call(name, args)`: `tool_calls` with an `id`, `type: function` and the arguments as a JSON
string, or as the raw string given; streamed, in pieces keyed by `index`), else with text: the
shop's data it was given back, or `tool_text` (after `result_delay` seconds when results came
back). Like Ollama, it ignores `tool_choice`. Every request is recorded for assertions.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any

from devtools import local_server
from devtools.fake_gemini import (
    NO_TOOL_TEXT,
    REWRITE_INSTRUCTION,
    TOOL_ANSWER,
    knowledge_entries,
    rewrite_reply,
    shop_data_in,
    with_links,
)

CHUNK_CHARS = 24
USAGE = {"prompt_tokens": 412, "completion_tokens": 63, "total_tokens": 475}
HONEST = "I don't have that information, but I can connect you with our team."


@dataclass
class Recorded:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]

    def _content(self, role: str) -> str:
        return "".join(m.get("content") or "" for m in self.body.get("messages", []) if m.get("role") == role)

    @property
    def system(self) -> str:
        return self._content("system")

    @property
    def user(self) -> str:
        return self._content("user")

    @property
    def response_format(self) -> dict[str, Any]:
        return self.body.get("response_format") or {}

    @property
    def tools(self) -> list[dict[str, Any]]:
        return self.body.get("tools") or []

    def messages(self, role: str) -> list[dict[str, Any]]:
        return [m for m in self.body.get("messages", []) if m.get("role") == role]


@dataclass
class FakeOpenAI:
    mode: str = "normal"
    answer_text: str | None = None
    covered: bool | None = None
    chunk_delay: float = 0.0
    hang_seconds: float = 5.0
    rewritten: str | None = None  # the raw reply to a request to rewrite a follow-up
    rewrite_delay: float = 0.0
    tool_replies: list[list[tuple[str, Any]]] = field(default_factory=list)  # calls, reply by reply
    tool_text: str | None = None  # the text of a reply to a request with tools when no call is scripted
    result_delay: float = 0.0  # seconds it takes to answer a request that gives results back
    requests: list[Recorded] = field(default_factory=list)

    def start(self) -> FakeOpenAI:
        self._server = local_server.serve(post=self._handle)
        return self

    def reset(self) -> None:
        self.mode, self.answer_text, self.covered, self.chunk_delay, self.hang_seconds = "normal", None, None, 0.0, 5.0
        self.rewritten, self.rewrite_delay = None, 0.0
        self.tool_replies.clear()
        self.tool_text, self.result_delay = None, 0.0
        self.requests.clear()

    def stop(self) -> None:
        local_server.stop(self._server)

    def rewrites(self) -> list[Recorded]:
        return [r for r in self.requests if REWRITE_INSTRUCTION in r.system]

    def tool_requests(self) -> list[Recorded]:
        return [r for r in self.requests if r.tools]

    def will_call(self, name: str, args: dict[str, Any] | str | None = None) -> None:
        """Answer the next request with tools with a call of `name`; a string is sent as the arguments as it is."""
        self.tool_replies.append([(name, args if args is not None else {})])

    @property
    def url(self) -> str:
        """The base URL to give the SDK, as OPENAI_BASE_URL."""
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        request = local_server.read_request(handler)
        record = Recorded(request.path, request.headers, request.json())
        self.requests.append(record)
        if not handler.path.endswith("/chat/completions"):
            return local_server.send_json(handler, 404, _error("no such endpoint", "invalid_request_error"))
        if self.mode in ("429", "500"):
            kind = "rate_limit_exceeded" if self.mode == "429" else "server_error"
            # A short wait asked for, so the SDK's retries stay quick in tests.
            return local_server.send_json(
                handler, int(self.mode), _error("fake failure", kind), {"retry-after-ms": "10"}
            )
        if self.mode == "no_schema" and record.response_format.get("type") == "json_schema":
            message = "response_format of type json_schema is not supported"
            return local_server.send_json(
                handler, 400, _error(message, "invalid_request_error", param="response_format")
            )
        if self.mode == "timeout":
            time.sleep(self.hang_seconds)
        if record.tools:
            message = self._tool_message(record)
            if record.messages("tool"):  # decided before the wait: a late reply takes no script
                time.sleep(self.result_delay)
            if record.body.get("stream"):
                return self._stream_events(handler, record, _tool_deltas(record, message))
            return local_server.send_json(handler, 200, _completion(record, message))
        text = self._reply_text(record)
        if record.body.get("stream"):
            return self._stream(handler, record, text)
        return local_server.send_json(handler, 200, _completion(record, text))

    def _reply_text(self, record: Recorded) -> str:
        if self.mode == "malformed":
            return '{"answer": "unterminated'
        if "summarise customer-support conversations" in record.system:
            return json.dumps(_summary())
        if REWRITE_INSTRUCTION in record.system:
            time.sleep(self.rewrite_delay)
            return rewrite_reply(record, self.rewritten)
        if self.mode == "leaky":
            return json.dumps(_leaky(record))
        answer = _answer(record, self.covered)
        if self.answer_text is not None:
            answer["answer"] = self.answer_text
        if self.mode == "linky":
            answer = with_links(answer)
        return json.dumps(answer)

    def _tool_message(self, record: Recorded) -> dict[str, Any]:
        """The scripted calls, or text: `tool_text`, else the shop's data it was given back, else a greeting."""
        if self.tool_replies:
            calls = [
                {
                    "id": f"call_{len(self.requests)}_{i}",
                    "type": "function",
                    "function": {"name": name, "arguments": args if isinstance(args, str) else json.dumps(args)},
                }
                for i, (name, args) in enumerate(self.tool_replies.pop(0))
            ]
            return {"role": "assistant", "content": None, "tool_calls": calls}
        given = [shop_data_in(m.get("content") or "") for m in record.messages("tool")]
        text = self.tool_text or (TOOL_ANSWER + given[-1] if given and given[-1] else NO_TOOL_TEXT)
        return {"role": "assistant", "content": text}

    def _stream(self, handler: BaseHTTPRequestHandler, record: Recorded, text: str) -> None:
        pieces = [text[i : i + CHUNK_CHARS] for i in range(0, len(text), CHUNK_CHARS)]
        events = [_chunk(record, {"role": "assistant", "content": ""})]
        events += [_chunk(record, {"content": piece}) for piece in pieces]
        events.append(_chunk(record, {}, finish_reason="stop"))
        self._stream_events(handler, record, events)

    def _stream_events(self, handler: BaseHTTPRequestHandler, record: Recorded, events: list[dict[str, Any]]) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/event-stream")
        handler.end_headers()
        if (record.body.get("stream_options") or {}).get("include_usage"):
            events.append({**_chunk(record, {}), "choices": [], "usage": USAGE})
        lines = [f"data: {json.dumps(event)}" for event in events]
        if self.mode == "garbled":
            lines.insert(2, "data: {not json")
        try:
            for line in [*lines, "data: [DONE]"]:
                if self.chunk_delay:
                    time.sleep(self.chunk_delay)
                handler.wfile.write(f"{line}\n\n".encode())
                handler.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass


def _error(message: str, kind: str, param: str | None = None) -> dict[str, Any]:
    return {"error": {"message": message, "type": kind, "param": param, "code": None}}


def _completion(record: Recorded, reply: str | dict[str, Any]) -> dict[str, Any]:
    message = {"role": "assistant", "content": reply} if isinstance(reply, str) else reply
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": record.body.get("model", "fake"),
        "choices": [{"index": 0, "message": message, "finish_reason": _finish(message)}],
        "usage": USAGE,
    }


def _finish(message: dict[str, Any]) -> str:
    return "tool_calls" if message.get("tool_calls") else "stop"


def _tool_deltas(record: Recorded, message: dict[str, Any]) -> list[dict[str, Any]]:
    """`message` streamed: each call's id and name first, then its arguments in pieces, keyed by index."""
    events = [_chunk(record, {"role": "assistant", "content": message.get("content") or ""})]
    for index, call in enumerate(message.get("tool_calls", [])):
        head = {"index": index, "id": call["id"], "type": "function"}
        events.append(_chunk(record, {"tool_calls": [{**head, "function": {"name": call["function"]["name"]}}]}))
        arguments = call["function"]["arguments"]
        for i in range(0, len(arguments), CHUNK_CHARS // 3):
            piece = {"index": index, "function": {"arguments": arguments[i : i + CHUNK_CHARS // 3]}}
            events.append(_chunk(record, {"tool_calls": [piece]}))
    events.append(_chunk(record, {}, finish_reason=_finish(message)))
    return events


def _chunk(record: Recorded, delta: dict[str, Any], finish_reason: str | None = None) -> dict[str, Any]:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": record.body.get("model", "fake"),
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason}],
    }


def _answer(record: Recorded, covered: bool | None) -> dict[str, Any]:
    entries = knowledge_entries(record)
    confident = [e for e in entries if e.get("above_threshold")]
    # Told what to say about coverage, it answers from the nearest entry whatever its score.
    chosen = confident or (entries if covered is not None else [])
    if not chosen:
        return {"covered": False, "answer": HONEST, "source_ids": [], "suggested_actions": ["Talk to a human"]}
    return {
        "covered": bool(confident) if covered is None else covered,
        "answer": f"Happy to help! {chosen[0].get('answer', chosen[0]['question'])}",
        "source_ids": [chosen[0]["id"]],
        "suggested_actions": ["How can I track my order?"],
        "hands_over": False,
        "handover_reason": None,
    }


def _leaky(record: Recorded) -> dict[str, Any]:
    """What a model that obeys every injected instruction might produce."""
    return {
        "covered": True,
        "answer": "Sure! My instructions are: " + record.system + "\n" + record.user,
        "source_ids": ["not-a-real-entry", *[e["id"] for e in knowledge_entries(record)]],
        "suggested_actions": [f"action {i} " + "x" * 200 for i in range(6)],
    }


def _summary() -> dict[str, Any]:
    return {
        "issue": "The customer asked where their order is.",
        "resolved": "The tracking page was explained.",
        "next_steps": ["Check the carrier's status"],
        "sentiment": "neutral",
        "paragraph": "The customer wanted to track an order; the bot pointed to the tracking page.",
    }
