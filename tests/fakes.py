"""A loopback HTTP server speaking the OpenAI and Anthropic wire formats, with injected faults."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class LoopbackServer:
    """A threaded HTTP server on 127.0.0.1 (a free port) for one handler class, run inside a ``with`` block."""

    server_class = ThreadingHTTPServer

    def _serve(self, handler) -> None:
        self.httpd = self.server_class(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    @property
    def port(self) -> int:
        return self.httpd.server_address[1]

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


class JSONHandler(BaseHTTPRequestHandler):
    """A request handler that logs nothing and answers in JSON, with the OpenAI chat answer and injected faults."""

    def log_message(self, *args):
        pass

    def read_json(self) -> dict:
        return json.loads(self.rfile.read(int(self.headers["Content-Length"])))

    def send_json(self, status, obj, headers=None):
        self.send_bytes(status, json.dumps(obj).encode(), headers)

    def send_bytes(self, status, data, headers=None):
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def send_fault(self, fault) -> bool:
        """Answer with an injected fault: an HTTP status, ``"malformed"`` (not JSON) or ``"empty"`` (no choices).
        False (nothing sent) for anything else."""
        if isinstance(fault, int):
            self.send_json(fault, {"error": {"message": "injected", "type": "injected"}})
        elif fault == "malformed":
            self.send_bytes(200, b"{not json")
        elif fault == "empty":
            self.send_json(200, {"id": "x", "object": "chat.completion", "choices": []})
        else:
            return False
        return True

    def send_chat_completion(self, model: str, text: str):
        self.send_json(200, {
            "id": "c1", "object": "chat.completion", "created": 0, "model": model,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 11, "completion_tokens": 5, "total_tokens": 16},
        })


class FakeAPIServer(LoopbackServer):
    """Serves ``/v1/chat/completions`` and ``/v1/messages`` on 127.0.0.1.

    ``faults`` is a queue consumed one per request: ``429``, ``500``, ``401``,
    ``"timeout"`` (sleep past the client timeout), ``"malformed"`` (invalid
    JSON body), ``"empty"`` (valid JSON without choices); ``None`` answers
    normally. The answer echoes the last user message.
    """

    def __init__(self, faults=None, delay: float = 2.0):
        self.faults = list(faults or [])
        self.delay = delay
        self.requests: list[dict] = []
        server = self

        class Handler(JSONHandler):
            def do_POST(self):
                body = self.read_json()
                server.requests.append({"path": self.path, "body": body, "auth": self.headers.get("Authorization") or self.headers.get("x-api-key")})
                fault = server.faults.pop(0) if server.faults else None
                if fault == "timeout":
                    time.sleep(server.delay)
                    fault = None
                if self.send_fault(fault):
                    return
                last = [m["content"] for m in body["messages"] if m["role"] == "user"][-1]
                text = f"echo: {last}"
                if self.path.endswith("/messages"):
                    return self.send_json(200, {
                        "id": "msg_1", "type": "message", "role": "assistant", "model": body["model"],
                        "content": [{"type": "text", "text": text}], "stop_reason": "end_turn",
                        "usage": {"input_tokens": 11, "output_tokens": 5},
                    })
                self.send_chat_completion(body["model"], text)

        self._serve(Handler)
