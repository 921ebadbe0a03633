"""A served policy: any OpenAI-compatible server (vLLM, llama-cpp-python) as the model under evaluation.

Generation goes through the chat completions endpoint (the server applies the
model's chat template). Multiple-choice options are scored like the local
backend, by the log-likelihood of each option as the assistant's reply: the
conversation is rendered with the model's chat template (``spec.tokenizer``, a
local model spec; only the tokenizer is loaded), the option is appended, and
the completions endpoint is asked to ``echo`` the prompt with ``logprobs``; the
option's tokens are the last prompt tokens whose text spells the option.

Before the first scoring call the backend checks that the server's echoed
prompt log-probabilities are aligned with its generation log-probabilities (one
token generated from a probe prompt must have the same log-prob when it is
echoed as part of the next prompt). A server without echo logprobs (OpenAI's
chat models, llama.cpp's own server) or with misaligned ones uses the
**fallback**: the option the greedy reply matches best (difflib ratio of the
normalised texts; ties go to the earlier option) gets log-prob 0, the others
``FALLBACK_LOGPROB``; the item's score is then a hard choice and ``p_correct``
is 0 or 1. ``scoring_mode`` says which path ran.

Nothing is cached (the weights behind a URL can change under the same model
name); every request's token usage is charged to ``ledger.api_tokens``.
"""

from __future__ import annotations

import difflib
import logging
import math
import re
import threading
from collections.abc import Sequence

from study.backends.api import OpenAIBackend, classify
from study.backends.base import OptionScore
from study.backends.retry import TransientError
from study.errors import BackendError, ConfigError
from study.types import Conversation

log = logging.getLogger(__name__)

FALLBACK_LOGPROB = -1e4
PROBE = [{"role": "user", "content": "Continue the list: one, two, three,"}]
ALIGNMENT_TOLERANCE = 1e-2  # nats; the two numbers come from the same forward pass on a deterministic server


class ServedBackend(OpenAIBackend):
    """``openai-compatible``: generation and option scoring through a server; see the module docstring."""

    provider = "openai-compatible"
    default_key_env = None
    cache_by_default = False

    def __init__(self, spec, ledger=None, **options):
        super().__init__(spec, ledger, **options)
        self._tokenizer = None
        self._mode: str | None = None
        self._mode_lock = threading.Lock()

    @property
    def scoring_mode(self) -> str | None:
        """``echo-logprobs`` or ``fallback-greedy-match`` once decided, else None."""
        return self._mode

    def render(self, conversation: Conversation) -> str:
        tokenizer = self.tokenizer
        if tokenizer is None:
            raise ConfigError(f"{self.where}: option scoring needs the model's chat template; set tokenizer: <local model "
                              f"spec or directory> in the backend block")
        return tokenizer.apply_chat_template(list(conversation), add_generation_prompt=True, tokenize=False)

    @property
    def tokenizer(self):
        """The served model's tokenizer when known (``spec.tokenizer``, or a built-in ``model``), else None."""
        if self._tokenizer is None:
            from study.models import EMBEDDED, TINY, resolve_model

            source = self.spec.tokenizer or (self.spec.model if self.spec.model in (EMBEDDED, TINY) else None)
            if source is None:
                return None
            from transformers import AutoTokenizer

            self._tokenizer = AutoTokenizer.from_pretrained(resolve_model(source))
        return self._tokenizer

    def score_options(self, conversations: Sequence[Conversation], options: Sequence[Sequence[str]]) -> list[list[OptionScore]]:
        if len(conversations) != len(options):
            raise ValueError(f"{len(conversations)} conversations but {len(options)} option lists")
        for opts in options:
            if not opts or any(not o for o in opts):
                raise ValueError("every item needs at least one non-empty option")
        if self._decide_mode() == "echo-logprobs":
            return self._score_echo(conversations, options)
        return self._score_fallback(conversations, options)

    # -- echo logprobs ---------------------------------------------------------------------------

    def _completion_request(self, prompt: str, logprobs: int = 1, echo: bool = True) -> dict:
        return {"api": "completions", "provider": self.provider, "endpoint": self.endpoint, "model": self.spec.model,
                "prompt": prompt, "max_tokens": 1, "temperature": 0.0, "echo": echo, "logprobs": logprobs}

    def _score_echo(self, conversations, options) -> list[list[OptionScore]]:
        prompts = [self.render(c) for c in conversations]
        requests = [self._completion_request(p + o) for p, opts in zip(prompts, options) for o in opts]
        pairs = iter(zip(requests, self.fetch(requests)))
        return [[_option_score(*next(pairs), o, self.where) for o in opts] for opts in options]

    def _decide_mode(self) -> str:
        with self._mode_lock:
            if self._mode is None:
                self._mode = "echo-logprobs" if self._echo_aligned() else "fallback-greedy-match"
                log.info("%s: option scoring uses %s", self.where, self._mode)
            return self._mode

    def _echo_aligned(self) -> bool:
        prompt = self.render(PROBE)
        try:
            first = self.fetch([self._completion_request(prompt, echo=False)])[0]
            if not first["tokens"] or first["token_logprobs"][-1] is None or not first["tokens"][-1]:
                return False
            echoed = self.fetch([self._completion_request(prompt + first["tokens"][-1])])[0]
        except BackendError as exc:  # e.g. HTTP 400 "logprobs not supported"
            log.warning("%s: no echo logprobs (%s); option scoring falls back to greedy matching", self.where, exc)
            return False
        prompt_entries = echoed["token_logprobs"][: _prompt_entries(echoed, prompt + first["tokens"][-1])]
        if not prompt_entries or prompt_entries[-1] is None:
            return False
        gap = abs(prompt_entries[-1] - first["token_logprobs"][-1])
        if gap > ALIGNMENT_TOLERANCE:
            log.warning("%s: echoed prompt logprobs disagree with generation logprobs by %.3f nats (misaligned); "
                        "option scoring falls back to greedy matching", self.where, gap)
            return False
        return True

    # -- fallback --------------------------------------------------------------------------------

    def _score_fallback(self, conversations, options) -> list[list[OptionScore]]:
        longest = max(len(o) for opts in options for o in opts)
        replies = self.generate(conversations, max_new_tokens=min(64, max(8, longest // 3 + 4)), temperature=0.0)
        out = []
        for reply, opts in zip(replies, options):
            ratios = [difflib.SequenceMatcher(None, _norm(reply)[: 2 * len(_norm(o)) + 8], _norm(o)).ratio() for o in opts]
            chosen = max(range(len(opts)), key=ratios.__getitem__)
            out.append([OptionScore(0.0 if k == chosen else FALLBACK_LOGPROB, 1) for k in range(len(opts))])
        return out

    # -- wire ------------------------------------------------------------------------------------

    def _call(self, request: dict) -> dict:
        if request["api"] != "completions":
            return super()._call(request)
        import openai

        try:
            resp = self._client.completions.create(
                model=request["model"], prompt=request["prompt"], max_tokens=request["max_tokens"],
                temperature=request["temperature"], echo=request["echo"], logprobs=request["logprobs"],
            )
        except openai.APIStatusError as exc:
            raise classify(exc, exc.status_code, self.where) from None
        except (openai.APIConnectionError, openai.APIResponseValidationError, ValueError) as exc:
            raise TransientError(type(exc).__name__) from None
        try:
            choice = resp.choices[0]
            lp = choice.logprobs
            tokens, values = list(lp.tokens), list(lp.token_logprobs)
            if len(tokens) != len(values) or not all(isinstance(t, str) for t in tokens):
                raise TypeError("tokens and token_logprobs differ in length")
            if any(v is not None and not (isinstance(v, (int, float)) and math.isfinite(v)) for v in values):
                raise TypeError("non-finite logprob")
            return {"tokens": tokens, "token_logprobs": values, "text": choice.text or "",
                    "input_tokens": int(resp.usage.prompt_tokens), "output_tokens": int(resp.usage.completion_tokens)}
        except (AttributeError, IndexError, TypeError, ValueError) as exc:
            raise TransientError(f"malformed completions body ({exc})") from None


def _prompt_entries(entry: dict, prompt: str) -> int:
    """How many leading echoed entries belong to the prompt: the trailing ones that spell the generated text are not.

    Falls back to the usage count when the echoed text does not start with the prompt verbatim.
    """
    tokens, text = entry["tokens"], entry["text"]
    if text.startswith(prompt):
        generated, k, tail = text[len(prompt):], len(tokens), ""
        while k > 0 and len(tail) < len(generated):
            k -= 1
            tail = tokens[k] + tail
        if tail == generated:
            return k
    return len(tokens) - entry["output_tokens"]


def _option_score(request: dict, entry: dict, option: str, where: str) -> OptionScore:
    """Sum the log-probs of the last prompt tokens that spell ``option`` (a token straddling the boundary counts)."""
    n_prompt = _prompt_entries(entry, request["prompt"])
    spelled, total, n = "", 0.0, 0
    for k in range(n_prompt - 1, -1, -1):
        value = entry["token_logprobs"][k]
        if value is None:
            break
        spelled = entry["tokens"][k] + spelled
        total += value
        n += 1
        if len(spelled) >= len(option):
            break
    if not spelled.endswith(option) and not option.endswith(spelled):
        raise BackendError(f"{where}: echoed tokens do not end with the scored option; the server does not echo "
                           f"the prompt verbatim (use a server with OpenAI echo semantics)")
    return OptionScore(logprob=total, n_tokens=max(n, 1))


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s]", " ", text.lower())).strip()
