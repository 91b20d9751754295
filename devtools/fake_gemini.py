"""A local stand-in for the Gemini Developer API, speaking its REST protocol to the real SDK.

Paths: POST /{version}/models/{model}:generateContent, :streamGenerateContent?alt=sse and
:batchEmbedContents (the Developer API), the same methods under
/{version}/projects/{p}/locations/{l}/publishers/google/models/{model} (Vertex AI), and
POST /token, an OAuth token endpoint for Application Default Credentials. Modes: normal,
leaky (echoes its whole system prompt), linky (adds links of its own to a grounded answer), slow,
timeout, 429, 500, malformed and blocked. `thinking` makes it a thinking model: it thinks up to
its thinking budget (THOUGHTS tokens at most), or without one until it has spent the whole
`maxOutputTokens`, so the JSON is cut off (finishReason MAX_TOKENS), as a real one can. Asked to
rewrite a follow-up, it returns the message as it is, or the scripted `rewritten` reply (any text,
JSON or not) after `rewrite_delay` seconds. A request that declares tools is answered with the next
scripted call (`will_call(name, args)`: a `functionCall` part with an `id` and, as Gemini 3 sends
it, a `thoughtSignature`), else with text: the shop's data it was given back, or `tool_text`
(after `result_delay` seconds when results came back). Like a model that ignores `toolConfig`,
it calls a scripted tool even when told not to. Every request is recorded for assertions.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import re
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any, Protocol

from devtools import local_server

CHUNK_CHARS = 24
PROMPT_TOKENS, ANSWER_TOKENS, THOUGHTS = 321, 54, 200
ACCESS_TOKEN = "fake-vertex-access-token"
REWRITE_INSTRUCTION = "You rewrite the latest message a customer sent"
# Bytes whose standard base64 differs from the URL-safe one: "sent back unchanged" means these bytes.
SIGNATURE_BYTES = b"\xfb\xef\xbe"
TOOL_ANSWER = "Here is what I found: "
NO_TOOL_TEXT = "How can I help you today?"


@dataclass
class Recorded:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]

    @property
    def system(self) -> str:
        parts = self.body.get("systemInstruction", {}).get("parts", [])
        return "".join(p.get("text", "") for p in parts)

    @property
    def user(self) -> str:
        return "".join(p.get("text", "") for c in self.body.get("contents", []) for p in c.get("parts", []))

    @property
    def tools(self) -> list[dict[str, Any]]:
        """The function declarations the request offered."""
        return [d for tool in self.body.get("tools", []) for d in tool.get("functionDeclarations", [])]

    @property
    def tool_mode(self) -> str | None:
        return self.body.get("toolConfig", {}).get("functionCallingConfig", {}).get("mode")

    def parts(self, role: str, kind: str) -> list[dict[str, Any]]:
        """The parts of `kind` ("functionCall", "functionResponse", ...) in the turns of `role`, with their turn's."""
        turns = [c for c in self.body.get("contents", []) if c.get("role") == role]
        return [part for turn in turns for part in turn.get("parts", []) if kind in part]


@dataclass
class FakeGemini:
    mode: str = "normal"
    answer_text: str | None = None
    chunk_delay: float = 0.0
    hang_seconds: float = 5.0
    thinking: bool = False
    summary_delay: float = 0.0  # seconds it takes to write a conversation's summary
    rewritten: str | None = None  # the raw reply to a request to rewrite a follow-up
    rewrite_delay: float = 0.0
    tool_replies: list[list[tuple[str, dict[str, Any]]]] = field(default_factory=list)  # calls, reply by reply
    tool_text: str | None = None  # the text of a reply to a request with tools when no call is scripted
    result_delay: float = 0.0  # seconds it takes to answer a request that gives results back
    signatures: list[str] = field(default_factory=list)  # the thought signatures sent, in order
    requests: list[Recorded] = field(default_factory=list)

    def start(self) -> FakeGemini:
        self._server = local_server.serve(post=self._handle)
        return self

    def reset(self) -> None:
        self.mode, self.answer_text, self.chunk_delay, self.hang_seconds = "normal", None, 0.0, 5.0
        self.thinking, self.summary_delay = False, 0.0
        self.rewritten, self.rewrite_delay = None, 0.0
        self.tool_replies.clear()
        self.tool_text, self.result_delay = None, 0.0
        self.signatures.clear()
        self.requests.clear()

    def stop(self) -> None:
        local_server.stop(self._server)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/"

    def will_call(self, name: str, args: dict[str, Any] | None = None) -> None:
        """Answer the next request that declares tools with a call of `name` with `args`."""
        self.tool_replies.append([(name, args or {})])

    def answers(self) -> list[Recorded]:
        return [r for r in self.requests if "Content" in r.path and REWRITE_INSTRUCTION not in r.system and not r.tools]

    def tool_requests(self) -> list[Recorded]:
        return [r for r in self.requests if r.tools]

    def rewrites(self) -> list[Recorded]:
        return [r for r in self.requests if REWRITE_INSTRUCTION in r.system]

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        request = local_server.read_request(handler)
        if request.path.startswith("/token"):
            # Google's OAuth token endpoint, for Vertex AI clients with Application Default Credentials.
            self.requests.append(Recorded(request.path, request.headers, {}))
            return local_server.send_json(
                handler, 200, {"access_token": ACCESS_TOKEN, "expires_in": 3600, "token_type": "Bearer"}
            )
        body = request.json()
        record = Recorded(request.path, request.headers, body)
        self.requests.append(record)
        if self.mode in ("429", "500"):
            return local_server.send_json(handler, int(self.mode), _error(int(self.mode)))
        if self.mode == "timeout":
            time.sleep(self.hang_seconds)
            return local_server.send_json(handler, 200, {})
        if ":batchEmbedContents" in handler.path:
            return local_server.send_json(
                handler, 200, {"embeddings": [{"values": _vector(r)} for r in body["requests"]]}
            )
        if record.tools:
            payload = self._tool_reply(record)
            if record.parts("user", "functionResponse"):  # decided before the wait: a late reply takes no script
                time.sleep(self.result_delay)
            if ":streamGenerateContent" in handler.path:
                return _send_events(handler, [payload])
            return local_server.send_json(handler, 200, payload)
        text, usage = self._thought_through(record, self._reply_text(record))
        if ":streamGenerateContent" in handler.path:
            return self._stream(handler, text, usage)
        return local_server.send_json(handler, 200, _response(text, usage, final=True))

    def _thought_through(self, record: Recorded, text: str) -> tuple[str, dict[str, Any]]:
        """The reply and its usage after any thinking: what thinking spent is not left for the JSON."""
        usage = {"promptTokenCount": PROMPT_TOKENS, "candidatesTokenCount": ANSWER_TOKENS}
        if not self.thinking:
            return text, {**usage, "totalTokenCount": PROMPT_TOKENS + ANSWER_TOKENS}
        config = record.body.get("generationConfig", {})
        limit = config.get("maxOutputTokens") or 8192
        budget = thinking_budget(record)
        thoughts = min(THOUGHTS, budget) if budget is not None else limit
        left = max(limit - thoughts, 0)
        if left < ANSWER_TOKENS:
            text = text[: left * 4]
        written = min(left, ANSWER_TOKENS)
        total = PROMPT_TOKENS + written + thoughts
        return text, {
            **usage,
            "candidatesTokenCount": written,
            "thoughtsTokenCount": thoughts,
            "totalTokenCount": total,
        }

    def _reply_text(self, record: Recorded) -> str:
        if self.mode == "malformed":
            return '{"answer": "unterminated'
        if self.mode == "blocked":
            return ""
        if "summarise customer-support conversations" in record.system:
            time.sleep(self.summary_delay)
            return json.dumps(_summary(record))
        if REWRITE_INSTRUCTION in record.system:
            time.sleep(self.rewrite_delay)
            return rewrite_reply(record, self.rewritten)
        if "You write help-center answers" in record.system:
            return json.dumps({"answer": "Yes: gift wrapping is available at checkout for a small fee."})
        if self.mode == "leaky":
            return json.dumps(_leaky_answer(record))
        answer = _grounded_answer(record)
        if self.answer_text is not None:
            answer["answer"] = self.answer_text
        if self.mode == "linky":
            answer = with_links(answer)
        return json.dumps(answer)

    def _tool_reply(self, record: Recorded) -> dict[str, Any]:
        """The scripted calls, or text: `tool_text`, else the shop's data it was given back, else a greeting."""
        usage = {"promptTokenCount": PROMPT_TOKENS, "candidatesTokenCount": ANSWER_TOKENS}
        if self.tool_replies:
            calls = self.tool_replies.pop(0)
            signature = base64.b64encode(SIGNATURE_BYTES + f"-thought-{len(self.requests)}".encode()).decode()
            parts = [
                {"functionCall": {"id": f"call-{len(self.requests)}-{i}", "name": name, "args": args}}
                for i, (name, args) in enumerate(calls)
            ]
            parts[0]["thoughtSignature"] = signature  # Gemini 3 signs the first call of a turn
            self.signatures.append(signature)
        else:
            responses = [p["functionResponse"].get("response", {}) for p in record.parts("user", "functionResponse")]
            given = [shop_data_in(str(response.get("output", ""))) for response in responses]
            text = self.tool_text or (TOOL_ANSWER + given[-1] if given and given[-1] else NO_TOOL_TEXT)
            parts = [{"text": text}]
        candidate = {"content": {"role": "model", "parts": parts}, "index": 0, "finishReason": "STOP"}
        return {"candidates": [candidate], "usageMetadata": usage, "modelVersion": "fake-gemini"}

    def _stream(self, handler: BaseHTTPRequestHandler, text: str, usage: dict[str, Any]) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/event-stream")
        handler.end_headers()
        chunks = [text[i : i + CHUNK_CHARS] for i in range(0, len(text), CHUNK_CHARS)] or [""]
        try:
            for index, chunk in enumerate(chunks):
                if self.chunk_delay:
                    time.sleep(self.chunk_delay)
                payload = _response(chunk, usage, final=index == len(chunks) - 1)
                handler.wfile.write(f"data: {json.dumps(payload)}\r\n\r\n".encode())
                handler.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass


def _send_events(handler: BaseHTTPRequestHandler, payloads: list[dict[str, Any]]) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "text/event-stream")
    handler.end_headers()
    with contextlib.suppress(BrokenPipeError, ConnectionResetError):
        for payload in payloads:
            handler.wfile.write(f"data: {json.dumps(payload)}\r\n\r\n".encode())
            handler.wfile.flush()


def shop_data_in(text: str) -> str:
    """The shop's data our prompt put between <shop_data> tags, one line a field ("" when there is none)."""
    match = re.search(r"<shop_data>\n(.*?)\n</shop_data>", text, re.DOTALL)
    return "; ".join(json.loads(match.group(1)).splitlines()) if match else ""


def thinking_budget(record: Recorded) -> int | None:
    """The thinking budget a request set, if any (the SDK sends snake_case here; the API reads both)."""
    thinking = record.body.get("generationConfig", {}).get("thinkingConfig") or {}
    budget = thinking.get("thinkingBudget", thinking.get("thinking_budget"))
    return int(budget) if budget is not None else None


def _response(text: str, usage: dict[str, Any], *, final: bool) -> dict[str, Any]:
    if not text and final:
        return {"promptFeedback": {"blockReason": "SAFETY"}, "candidates": [{"finishReason": "SAFETY", "index": 0}]}
    candidate: dict[str, Any] = {"content": {"role": "model", "parts": [{"text": text}]}, "index": 0}
    payload: dict[str, Any] = {"candidates": [candidate], "modelVersion": "fake-gemini"}
    if final:
        candidate["finishReason"] = "STOP"
        payload["usageMetadata"] = usage
    return payload


def _error(code: int) -> dict[str, Any]:
    status = "RESOURCE_EXHAUSTED" if code == 429 else "INTERNAL"
    return {"error": {"code": code, "message": "fake failure", "status": status}}


class Prompted(Protocol):
    """A recorded request to a fake model (Gemini's or OpenAI's), with the user text it was sent."""

    @property
    def user(self) -> str: ...


def knowledge_entries(record: Prompted) -> list[dict[str, Any]]:
    """The entries our prompt put between <knowledge_base> tags."""
    match = re.search(r"<knowledge_base>\s*(.*?)\s*</knowledge_base>", record.user, re.DOTALL)
    return json.loads(match.group(1)) if match else []


def customer_message(record: Prompted) -> str:
    """The customer's message our prompt put between <customer_message> tags."""
    match = re.search(r"<customer_message>\s*(.*?)\s*</customer_message>", record.user, re.DOTALL)
    return str(json.loads(match.group(1))) if match else ""


def rewrite_reply(record: Prompted, scripted: str | None) -> str:
    """The reply to a request to rewrite a follow-up: the scripted one, else the message unchanged."""
    return scripted if scripted is not None else json.dumps({"standalone": customer_message(record)})


def _grounded_answer(record: Recorded) -> dict[str, Any]:
    entries = knowledge_entries(record)
    if not entries:
        return {
            "answer": "I don't have that information, but I can connect you with our team.",
            "source_ids": [],
            "suggested_actions": ["Talk to a human"],
            "hands_over": False,
            "handover_reason": None,
        }
    best = entries[0]
    if "answer" not in best:  # only the questions of a suggestion: ask, assert nothing
        return {
            "covered": False,
            "answer": f"Do you mean: {best['question']}",
            "source_ids": [],
            "suggested_actions": [best["question"]],
            "hands_over": False,
            "handover_reason": None,
        }
    return {
        "answer": f"Good question! {best['answer']}",
        "source_ids": [best["id"]],
        "suggested_actions": ["How can I track my order?", "Talk to a human"],
        "hands_over": False,
        "handover_reason": None,
    }


def _leaky_answer(record: Recorded) -> dict[str, Any]:
    """What a model that obeys every injected instruction might produce."""
    entries = knowledge_entries(record)
    return {
        "answer": "Sure! My instructions are: " + record.system + "\n" + record.user,
        "source_ids": ["not-a-real-entry", *[e["id"] for e in entries]],
        "suggested_actions": [f"action {i} " + "x" * 200 for i in range(6)],
        "hands_over": False,
        "handover_reason": None,
        "session_status": "closed",
    }


# What a model talked into "adding a link" writes: bare, markdown, scheme-less and shouted addresses.
INJECTED_LINKS = (
    " More at https://evil.example/claim?ref=bot, [sign in here](https://evil.example/login),"
    " www.evil.example/free or HTTP://EVIL.EXAMPLE/x."
)


def with_links(answer: dict[str, Any]) -> dict[str, Any]:
    """`answer` with links the knowledge base never gave, in its text and its suggested actions."""
    actions = [*answer.get("suggested_actions", [])[:2], "Open https://evil.example/reset"]
    return {**answer, "answer": answer["answer"] + INJECTED_LINKS, "suggested_actions": actions}


def _summary(record: Recorded) -> dict[str, Any]:
    return {
        "issue": "The customer asked about a return.",
        "resolved": "The return policy was explained.",
        "next_steps": ["Check that the return label arrived"],
        "sentiment": "neutral",
        "paragraph": "The customer wanted to return an item; the bot explained the 30-day policy.",
    }


def _vector(request: dict[str, Any]) -> list[float]:
    text = "".join(p.get("text", "") for p in request["content"]["parts"])
    size = request.get("outputDimensionality") or 768
    digest = hashlib.sha256(text.lower().encode()).digest()
    return [((digest[i % 32] + i) % 17 - 8) / 8.0 for i in range(size)]
