"""A loopback OpenAI-compatible chat server (stdlib only) that injects faults, for backend tests and bench/judge.py.

Answers are a deterministic function of the request (a judge verdict from a
hash of the messages), so a run with faults, retries and concurrency must give
exactly the answers of a fault-free serial run. ``fault_rate`` of requests
(chosen by a seeded generator, in arrival order) fail with one of ``faults``:
``429`` (with ``Retry-After: retry_after``), ``500``, ``503``, ``"malformed"``
(a body that is not JSON), ``"empty"`` (JSON without choices), ``"timeout"`` (answer only after
``stall`` seconds, past a short client timeout). ``latency`` is
added to every answer (a stand-in for model time); ``in_flight_max`` records the
most requests the server was answering at once (stalled ones excluded). Binds 127.0.0.1 only; ``close`` is bounded.
"""

from __future__ import annotations

import hashlib
import json
import random
import threading
import time
from http.server import ThreadingHTTPServer

from tests.fakes import JSONHandler, LoopbackServer


def verdict_for(messages: list[dict]) -> str:
    digest = hashlib.sha256(json.dumps(messages, sort_keys=True).encode()).digest()
    return "Looks fine.\nVERDICT: YES" if digest[0] % 2 == 0 else "It misses the point.\nVERDICT: NO"


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass  # a client that timed out closed the socket: writing the late answer fails, as intended


class FaultServer(LoopbackServer):
    server_class = _QuietServer

    def __init__(self, *, fault_rate: float = 0.0, faults=(429, 500, 503, "malformed", "empty"), seed: int = 0,
                 retry_after: float | None = None, latency: float = 0.0, stall: float = 1.0, scripted=None, reply=verdict_for):
        self.fault_rate, self.faults, self.retry_after, self.latency = fault_rate, tuple(faults), retry_after, latency
        self.stall = stall
        self.scripted = list(scripted or [])  # consumed first, one per request (None = answer normally)
        self.reply = reply
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self.requests: list[dict] = []
        self.arrivals: list[float] = []
        self.faults_sent = 0
        self.in_flight = self.in_flight_max = 0
        server = self

        class Handler(JSONHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                self.send_json(200, {"object": "list", "data": [{"id": "judge", "object": "model"}]})

            def do_POST(self):
                body = self.read_json()
                with server._lock:
                    server.requests.append({"path": self.path, "body": body, "auth": self.headers.get("Authorization")})
                    server.arrivals.append(time.monotonic())
                    fault = server.scripted.pop(0) if server.scripted else (
                        server._rng.choice(server.faults) if server._rng.random() < server.fault_rate else None)
                    server.faults_sent += fault is not None
                    counted = fault != "timeout"  # a stalled request is abandoned by the client, which moves on
                    server.in_flight += counted
                    server.in_flight_max = max(server.in_flight_max, server.in_flight)
                try:
                    if server.latency:
                        time.sleep(server.latency)
                    self._answer(body, fault)
                finally:
                    with server._lock:
                        server.in_flight -= counted

            def _answer(self, body, fault):
                if fault == "timeout":
                    time.sleep(server.stall)
                    fault = None
                if fault == 429:
                    headers = {"Retry-After": f"{server.retry_after:g}"} if server.retry_after is not None else {}
                    return self.send_json(429, {"error": {"message": "rate limited", "type": "rate_limit"}}, headers)
                if not self.send_fault(fault):
                    self.send_chat_completion(body["model"], server.reply(body["messages"]))

        self._serve(Handler)
