"""POST /chat with an LLM configured: a fake OpenAI-compatible server on 127.0.0.1 answers.

The fake server returns canned tool calls, plain text, or fails in the ways a real one can
(too slow, HTTP 500, not JSON, an invalid tool call); every failure must fall back to the
built-in interpreter. Nothing leaves the machine.

Timing: the fake answers at once, but on a loaded machine "at once" can take a second, so the
LLM timeout is generous (30 s) wherever a test is not about it. The timeout test does not race
a sleep either: the fake holds its answer until released (25 s at most), far longer than that
test's timeout, so only an enforced timeout can make the interpreter answer first.
"""

from __future__ import annotations

import json
import logging
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
from conftest import Person

from shared.chat import llm

MODEL_TITLE = "Chosen by the model quokka"
HOLD_SECONDS = 25  # how long a "hold" answer waits at most: under the test client's 30 s
SLOW_TIMEOUT = 2.0  # the LLM timeout in the timeout test, far below HOLD_SECONDS


@dataclass
class FakeLlm:
    """What the fake server answers next, and every request it has received."""

    mode: str = "tool"
    tool_calls: list[dict[str, Any]] = field(default_factory=list)
    text: str = ""
    requests: list[dict[str, Any]] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)
    url: str = ""
    release: threading.Event = field(default_factory=threading.Event)  # ends a "hold"

    def answer_with(self, *calls: tuple[str, Any]) -> None:
        """Answer the next requests with these tool calls (arguments dumped to JSON strings)."""
        self.mode = "tool"
        self.tool_calls = [
            {
                "id": f"call_{i}",
                "type": "function",
                "function": {
                    "name": name,
                    "arguments": args if isinstance(args, str) else json.dumps(args),
                },
            }
            for i, (name, args) in enumerate(calls)
        ]


def _completion(message: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "model": "fake",
        "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
    }


def _handler_for(fake: FakeLlm) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _send(self, status: int, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            fake.requests.append(json.loads(self.rfile.read(length)))
            fake.headers.append(dict(self.headers))
            if self.path != "/v1/chat/completions":
                self._send(404, b'{"error": "no such path"}')
            elif fake.mode == "hold":
                fake.release.wait(HOLD_SECONDS)
                self._send(200, json.dumps(_completion({"content": "too late"})).encode())
            elif fake.mode == "500":
                self._send(500, b'{"error": {"message": "the model is down"}}')
            elif fake.mode == "garbage":
                self._send(200, b"<html>not json</html>")
            elif fake.mode == "text":
                message = {"role": "assistant", "content": fake.text}
                self._send(200, json.dumps(_completion(message)).encode())
            else:
                message = {"role": "assistant", "content": None, "tool_calls": fake.tool_calls}
                self._send(200, json.dumps(_completion(message)).encode())

    return Handler


@pytest.fixture(scope="module")
def fake_server() -> Iterator[FakeLlm]:
    fake = FakeLlm()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(fake))
    server.daemon_threads = True
    fake.url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield fake
    server.shutdown()
    server.server_close()


@pytest.fixture
def fake_llm(fake_server: FakeLlm, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeLlm]:
    """The LLM configured to be the fake server, reset for this test."""
    monkeypatch.setenv("LLM_API_KEY", "test-key")
    monkeypatch.setenv("LLM_BASE_URL", fake_server.url)
    monkeypatch.setenv("LLM_MODEL", "fake-model")
    monkeypatch.setenv("LLM_TIMEOUT_SECONDS", "30")
    fake_server.mode = "tool"
    fake_server.tool_calls = []
    fake_server.text = ""
    fake_server.requests.clear()
    fake_server.headers.clear()
    fake_server.release.clear()
    yield fake_server
    fake_server.release.set()  # a held answer, if any, goes out now


def _chat(http: httpx.Client, person: Person, message: str, **extra: Any) -> dict[str, Any]:
    response = http.post(
        person.url("/chat"), headers=person.headers, json={"message": message, **extra}
    )
    assert response.status_code == 200, response.text
    return response.json()


def _task(http: httpx.Client, person: Person, task_id: int) -> httpx.Response:
    return http.get(person.url(f"/tasks/{task_id}"), headers=person.headers)


# --- settings ---


def test_no_key_means_no_llm(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LLM_API_KEY", raising=False)
    assert llm.llm_settings() is None


def test_settings_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LLM_API_KEY", "k")
    for name in ("LLM_BASE_URL", "LLM_MODEL", "LLM_TIMEOUT_SECONDS"):
        monkeypatch.delenv(name, raising=False)
    assert llm.llm_settings() == llm.LlmSettings(
        api_key="k", base_url="https://api.openai.com/v1", model="gpt-4o-mini", timeout=10.0
    )
    monkeypatch.setenv("LLM_TIMEOUT_SECONDS", "soon")
    settings = llm.llm_settings()
    assert settings is not None and settings.timeout == 10.0


# --- parsing the model's answer ---


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"choices": []},
        {"choices": [{"message": None}]},
        {"choices": [{"message": {"content": None}}]},
        {"choices": [{"message": {"content": "  "}}]},
        {"choices": [{"message": {"content": 5}}]},
        {"choices": [{"message": {"tool_calls": "add_task"}}]},
        {"choices": [{"message": {"tool_calls": [{"function": {"name": "drop_table"}}]}}]},
        {"choices": [{"message": {"tool_calls": [{"function": {"arguments": "{}"}}]}}]},
        {
            "choices": [
                {"message": {"tool_calls": [{"function": {"name": "add_task", "arguments": "{"}}]}}
            ]
        },
        {
            "choices": [
                {"message": {"tool_calls": [{"function": {"name": "add_task", "arguments": "[]"}}]}}
            ]
        },
        {
            "choices": [
                {
                    "message": {
                        "tool_calls": [
                            {"function": {"name": "complete_task", "arguments": {"taskId": -1}}}
                        ]
                    }
                }
            ]
        },
        {
            "choices": [
                {
                    "message": {
                        "tool_calls": [
                            {
                                "function": {
                                    "name": "add_task",
                                    "arguments": {"title": "x", "due": "next friday"},
                                }
                            }
                        ]
                    }
                }
            ]
        },
        "not even an object",
    ],
)
def test_unusable_answers_are_refused(data: Any) -> None:
    with pytest.raises(llm.LlmError):
        llm.parse_answer(data)


def test_answer_with_tool_calls_is_validated() -> None:
    answer = llm.parse_answer(
        _completion(
            {
                "content": None,
                "tool_calls": [
                    {
                        "function": {
                            "name": "update_task",
                            "arguments": '{"taskId": 3, "priority": "high", "due": "2026-03-06"}',
                        }
                    }
                ],
            }
        )
    )
    assert answer.text == ""
    [call] = answer.calls
    assert call.tool == "update_task"
    assert call.wire_args() == {"taskId": 3, "priority": "high", "due": "2026-03-06"}


# --- the endpoint, with the fake model ---


def test_model_tool_call_runs_through_the_tools(
    http: httpx.Client, ada: Person, fake_llm: FakeLlm
) -> None:
    fake_llm.answer_with(("add_task", {"title": MODEL_TITLE, "priority": "high"}))
    body = _chat(http, ada, "please sort out the thing we talked about", timezone="Asia/Tokyo")

    [call] = body["toolCalls"]
    assert call["tool"] == "add_task" and call["result"]["ok"] is True
    task = _task(http, ada, call["result"]["task"]["id"]).json()
    assert (task["title"], task["priority"]) == (MODEL_TITLE, "high")
    assert body["response"] == f"Added \u201c{MODEL_TITLE}\u201d, high priority."

    [sent] = fake_llm.requests
    assert fake_llm.headers[0]["Authorization"] == "Bearer test-key"
    assert sent["model"] == "fake-model"
    assert {t["function"]["name"] for t in sent["tools"]} == {
        "add_task",
        "list_tasks",
        "complete_task",
        "reopen_task",
        "delete_task",
        "update_task",
    }
    system = sent["messages"][0]
    assert system["role"] == "system"
    # 02:55 UTC is 11:55 in Tokyo, on the same day.
    assert "Sunday 2026-11-22 11:55" in system["content"]
    assert "Asia/Tokyo" in system["content"]
    assert sent["messages"][-1] == {
        "role": "user",
        "content": "please sort out the thing we talked about",
    }


def test_history_and_last_task_reach_the_model(
    http: httpx.Client, ada: Person, fake_llm: FakeLlm
) -> None:
    fake_llm.answer_with(("add_task", {"title": "Tune the harpsichord wombat"}))
    first = _chat(http, ada, "add tune the harpsichord wombat")
    task_id = first["toolCalls"][0]["result"]["task"]["id"]

    fake_llm.answer_with(("update_task", {"taskId": task_id, "due": "2026-11-23T09:00"}))
    second = _chat(
        http,
        ada,
        "do it tomorrow at nine",
        conversationId=first["conversationId"],
        timezone="America/New_York",
    )
    assert second["toolCalls"][0]["result"]["ok"] is True
    # 09:00 in New York in November is 14:00 UTC.
    assert _task(http, ada, task_id).json()["dueDate"] == "2026-11-23T09:00:00-05:00"
    assert second["response"] == (
        "Updated \u201cTune the harpsichord wombat\u201d: due Mon 23 Nov 09:00."
    )

    sent = fake_llm.requests[-1]
    roles = [(m["role"], m["content"]) for m in sent["messages"][1:]]
    assert roles == [
        ("user", "add tune the harpsichord wombat"),
        ("assistant", first["response"]),
        ("user", "do it tomorrow at nine"),
    ]
    assert f"#{task_id}" in sent["messages"][0]["content"]


def test_model_text_is_the_reply(http: httpx.Client, ada: Person, fake_llm: FakeLlm) -> None:
    fake_llm.mode = "text"
    fake_llm.text = "Hello! I can add, list, complete, update and delete your tasks."
    body = _chat(http, ada, "hi there")
    assert body["response"] == fake_llm.text
    assert body["toolCalls"] == []


def test_model_cannot_reach_another_persons_task(
    http: httpx.Client, ada: Person, grace: Person, fake_llm: FakeLlm
) -> None:
    graces = http.post(
        grace.url("/tasks"), headers=grace.headers, json={"title": "Grace's own capybara"}
    ).json()
    fake_llm.answer_with(("delete_task", {"taskId": graces["id"]}))
    body = _chat(http, ada, "delete grace's capybara task")
    [call] = body["toolCalls"]
    assert call["result"] == {"ok": False, "error": "not_found", "message": "No such task."}
    assert body["response"] == f"I couldn't find task {graces['id']}."
    assert _task(http, grace, graces["id"]).status_code == 200


@pytest.mark.parametrize(
    ("mode", "calls"),
    [
        pytest.param("hold", [], id="timeout"),
        pytest.param("500", [], id="http-500"),
        pytest.param("garbage", [], id="not-json"),
        pytest.param("tool", [("launch_rockets", {})], id="unknown-tool"),
        pytest.param("tool", [("add_task", {"title": ""})], id="invalid-args"),
        pytest.param("tool", [("add_task", "{not json")], id="args-not-json"),
        pytest.param(
            "tool",
            [("add_task", {"title": "ok"}), ("complete_task", {"taskId": "three"})],
            id="one-bad-call-of-two",
        ),
    ],
)
def test_unusable_model_falls_back_to_the_interpreter(
    http: httpx.Client,
    ada: Person,
    fake_llm: FakeLlm,
    monkeypatch: pytest.MonkeyPatch,
    mode: str,
    calls: list[tuple[str, Any]],
) -> None:
    fake_llm.answer_with(*calls)
    fake_llm.mode = mode
    if mode == "hold":
        monkeypatch.setenv("LLM_TIMEOUT_SECONDS", str(SLOW_TIMEOUT))
    title = f"water the begonias {mode.replace('_', ' ')}"
    started = time.monotonic()
    body = _chat(http, ada, f"add {title}")
    # Well under HOLD_SECONDS: a model that never answers costs the timeout, not the hold.
    assert time.monotonic() - started < HOLD_SECONDS - 5
    assert len(fake_llm.requests) == 1

    [call] = body["toolCalls"]
    assert call["tool"] == "add_task"
    assert call["args"]["title"].lower() == title
    assert _task(http, ada, call["result"]["task"]["id"]).status_code == 200
    assert body["response"].startswith("Added \u201c")


def _closed_port() -> int:
    """A loopback port that was free a moment ago (bound, then closed)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_unreachable_model_falls_back(
    http: httpx.Client, ada: Person, fake_llm: FakeLlm, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Nothing listens there: the connection is refused at once.
    monkeypatch.setenv("LLM_BASE_URL", f"http://127.0.0.1:{_closed_port()}/v1")
    body = _chat(http, ada, "show my completed tasks")
    assert body["toolCalls"][0]["tool"] == "list_tasks"
    assert body["toolCalls"][0]["args"] == {"status": "completed"}


def test_a_tool_name_from_the_model_is_escaped_in_the_log(
    http: httpx.Client, ada: Person, fake_llm: FakeLlm, caplog: pytest.LogCaptureFixture
) -> None:
    forged = "add_task\nCRITICAL ironclad: forged line"
    fake_llm.answer_with((forged, {"title": "anything"}))
    with caplog.at_level(logging.WARNING, logger="ironclad.chat"):
        body = _chat(http, ada, "add feed the axolotl")

    # The model's answer was unusable, so the built-in interpreter answered instead.
    [call] = body["toolCalls"]
    assert (call["tool"], call["args"]) == ("add_task", {"title": "feed the axolotl"})
    [record] = [r for r in caplog.records if "LLM unusable" in r.getMessage()]
    logged = record.getMessage()
    assert "\n" not in logged
    assert "add_task\\nCRITICAL ironclad: forged line" in logged


def test_the_prompt_states_the_registry_conventions_and_due_dates() -> None:
    from datetime import datetime

    from shared.chat.interpreter import TaskRef
    from shared.chat.tools import CONVENTIONS, tool_definitions

    prompt = llm.Prompt(
        message="push it back a day",
        history=[],
        now=datetime(2026, 11, 22, 11, 55),
        zone_name="Asia/Tokyo",
        tasks=[TaskRef(7, "Rehearse the alphorn", due="2026-11-23T09:00")],
        last_task_id=7,
    )
    body = llm.request_body(prompt, "fake-model")
    system = body["messages"][0]["content"]
    for rule in CONVENTIONS:
        assert rule in system
    assert '"due": "2026-11-23T09:00"' in system
    assert '("it") is #7' in system
    assert body["tools"] == tool_definitions()
