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

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                server.requests.append({"path": self.path, "body": body, "auth": self.headers.get("Authorization") or self.headers.get("x-api-key")})
                fault = server.faults.pop(0) if server.faults else None
                if fault == "timeout":
                    time.sleep(server.delay)
                    fault = None
                if isinstance(fault, int):
                    return self._send(fault, {"error": {"message": "injected", "type": "injected"}})
                if fault == "malformed":
                    return self._raw(200, b"{not json")
                if fault == "empty":
                    return self._send(200, {"id": "x", "object": "chat.completion", "choices": []})
                last = [m["content"] for m in body["messages"] if m["role"] == "user"][-1]
                text = f"echo: {last}"
                if self.path.endswith("/messages"):
                    return self._send(200, {
                        "id": "msg_1", "type": "message", "role": "assistant", "model": body["model"],
                        "content": [{"type": "text", "text": text}], "stop_reason": "end_turn",
                        "usage": {"input_tokens": 11, "output_tokens": 5},
                    })
                return self._send(200, {
                    "id": "c1", "object": "chat.completion", "created": 0, "model": body["model"],
                    "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
                    "usage": {"prompt_tokens": 11, "completion_tokens": 5, "total_tokens": 16},
                })

            def _send(self, status, obj):
                self._raw(status, json.dumps(obj).encode())

            def _raw(self, status, data):
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self._serve(Handler)
