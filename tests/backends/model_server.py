"""A minimal OpenAI-compatible server backed by a local transformers model (stdlib HTTP, 127.0.0.1).

It implements chat completions (greedy) and completions with OpenAI's
``echo`` + ``logprobs`` semantics (the first prompt token's logprob is null),
so a served-policy backend can be checked against the local backend on the
*same* weights, where the two must agree exactly. ``mode`` injects the server
behaviours the backend must detect: ``"misaligned"`` shifts each echoed
logprob by one position (llama-cpp-python without a BOS token, issue #1983),
``"no-logprobs"`` answers 400 to a logprobs request (OpenAI chat models).
"""

from __future__ import annotations

import threading

import torch

from tests.fakes import JSONHandler, LoopbackServer


class ModelServer(LoopbackServer):
    def __init__(self, loaded, *, mode: str = "openai", model: str = "tiny"):
        self.loaded, self.mode, self.model = loaded, mode, model
        self.requests: list[dict] = []
        self._lock = threading.Lock()  # one forward pass at a time, like a single-model server
        server = self

        class Handler(JSONHandler):
            def do_POST(self):
                body = self.read_json()
                server.requests.append({"path": self.path, "body": body})
                with server._lock:
                    status, obj = server.answer(self.path, body)
                self.send_json(status, obj)

        self._serve(Handler)

    @torch.no_grad()
    def answer(self, path: str, body: dict) -> tuple[int, dict]:
        tok, model = self.loaded.tokenizer, self.loaded.model
        if path.endswith("/chat/completions"):
            from study.backends.local import LocalBackend

            text = LocalBackend(self.loaded).generate([body["messages"]], max_new_tokens=body["max_tokens"])[0]
            usage = {"prompt_tokens": 10, "completion_tokens": len(tok(text)["input_ids"]), "total_tokens": 0}
            return 200, {"id": "c", "object": "chat.completion", "created": 0, "model": self.model, "usage": usage,
                         "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": text}}]}
        if body.get("logprobs") is not None and self.mode == "no-logprobs":
            return 400, {"error": {"message": "logprobs are not supported", "type": "invalid_request_error"}}
        ids = tok(body["prompt"], add_special_tokens=False)["input_ids"]
        logprobs = model(input_ids=torch.tensor([ids])).logits[0].float().log_softmax(-1)
        new = int(logprobs[-1].argmax())
        all_ids = (ids if body.get("echo") else []) + [new]
        rows = ([None] + [float(logprobs[k - 1, ids[k]]) for k in range(1, len(ids))] if body.get("echo") else [])
        rows.append(float(logprobs[-1, new]))
        if self.mode == "misaligned" and body.get("echo"):
            rows = [None] + [float(logprobs[k, ids[k]]) for k in range(1, len(ids))] + [rows[-1] - 0.5]
        tokens = [tok.decode([t]) for t in all_ids]
        return 200, {"id": "x", "object": "text_completion", "created": 0, "model": self.model,
                     "usage": {"prompt_tokens": len(ids), "completion_tokens": 1, "total_tokens": len(ids) + 1},
                     "choices": [{"index": 0, "finish_reason": "length", "text": "".join(tokens),
                                  "logprobs": {"tokens": tokens, "token_logprobs": rows, "text_offset": [0] * len(tokens),
                                               "top_logprobs": None}}]}
