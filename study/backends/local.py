"""Local transformers backend: batched chat generation and option log-likelihoods.

Every call charges the tokens it processed to a :class:`~study.compute.Ledger`
(2·N FLOPs per token, prompt included), so methods and benchmarks never count
compute themselves.
"""

from __future__ import annotations

from typing import Sequence

import torch

from study.backends.base import OptionScore
from study.compute import Ledger
from study.models import LoadedModel
from study.types import Conversation


class LocalBackend:
    """Runs a :class:`LoadedModel`; ``category`` is the ledger account it charges."""

    name = "local"

    def __init__(self, loaded: LoadedModel, ledger: Ledger | None = None, *, category: str = "generate", batch_size: int = 16):
        if batch_size < 1:
            raise ValueError(f"batch_size must be >= 1, got {batch_size}")
        self.loaded = loaded
        self.model = loaded.model
        self.tokenizer = loaded.tokenizer
        self.ledger = ledger
        self.category = category
        self.batch_size = batch_size
        self.n_params = loaded.n_params_non_embedding
        self.eos_ids = _end_of_turn_ids(self.tokenizer)

    @property
    def device(self) -> torch.device:
        return next(self.model.parameters()).device

    def render(self, conversation: Conversation) -> str:
        return self.tokenizer.apply_chat_template(list(conversation), add_generation_prompt=True, tokenize=False)

    def encode_prompts(self, conversations: Sequence[Conversation]) -> list[list[int]]:
        return [self.tokenizer(self.render(c), add_special_tokens=False)["input_ids"] for c in conversations]

    def _charge(self, tokens: int, category: str | None = None) -> None:
        if self.ledger is not None:
            self.ledger.charge_forward(category or self.category, tokens, params=self.n_params)

    @torch.no_grad()
    def generate(
        self,
        conversations: Sequence[Conversation],
        max_new_tokens: int = 64,
        temperature: float = 0.0,
        seed: int = 0,
        top_p: float = 1.0,
    ) -> list[str]:
        """Generate one answer per conversation; greedy when ``temperature`` is 0."""
        if max_new_tokens < 1:
            raise ValueError(f"max_new_tokens must be >= 1, got {max_new_tokens}")
        encoded = self.encode_prompts(conversations)
        order = sorted(range(len(encoded)), key=lambda i: len(encoded[i]))
        texts: list[str] = [""] * len(encoded)
        was_training = self.model.training
        self.model.eval()
        try:
            for start in range(0, len(order), self.batch_size):
                idx = order[start : start + self.batch_size]
                outputs = self._generate_batch([encoded[i] for i in idx], max_new_tokens, temperature, top_p, seed + start)
                for i, text in zip(idx, outputs):
                    texts[i] = text
        finally:
            self.model.train(was_training)
        return texts

    def _generate_batch(self, prompts: list[list[int]], max_new_tokens: int, temperature: float, top_p: float, seed: int) -> list[str]:
        input_ids, attention_mask = _left_pad(prompts, self.tokenizer.pad_token_id, self.device)
        sampling = temperature > 0
        kwargs = dict(
            max_new_tokens=max_new_tokens, do_sample=sampling, eos_token_id=self.eos_ids,
            pad_token_id=self.tokenizer.pad_token_id,
        )
        if sampling:
            kwargs.update(temperature=temperature, top_p=top_p, top_k=0)
        else:
            kwargs.update(temperature=None, top_p=None, top_k=None)
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(seed)
            out = self.model.generate(input_ids=input_ids, attention_mask=attention_mask, **kwargs)
        new = out[:, input_ids.shape[1] :].tolist()
        texts, processed = [], int(attention_mask.sum())
        for row in new:
            kept = _until_end(row, self.eos_ids)
            processed += len(kept) + (1 if len(kept) < len(row) else 0)
            texts.append(self.tokenizer.decode(kept, skip_special_tokens=True).strip())
        self._charge(processed)
        return texts

    @torch.no_grad()
    def score_options(self, conversations: Sequence[Conversation], options: Sequence[Sequence[str]]) -> list[list[OptionScore]]:
        """Log-likelihood of each option as the assistant's reply to its conversation.

        The prompt of each conversation is run once and its key/value cache is
        reused for every option (options are scored slot by slot: all first
        options of the batch, then all second options...), which is what makes
        this several times faster than one forward pass per option.
        """
        if len(conversations) != len(options):
            raise ValueError(f"{len(conversations)} conversations but {len(options)} option lists")
        prompts = self.encode_prompts(conversations)
        option_ids = [[self.tokenizer(o, add_special_tokens=False)["input_ids"] for o in opts] for opts in options]
        for opts, ids in zip(options, option_ids):
            if not opts or any(len(t) == 0 for t in ids):
                raise ValueError("every item needs at least one non-empty option")
        order = sorted(range(len(prompts)), key=lambda i: len(prompts[i]))
        results: list[list[OptionScore]] = [[] for _ in prompts]
        was_training = self.model.training
        self.model.eval()
        try:
            for start in range(0, len(order), self.batch_size):
                idx = order[start : start + self.batch_size]
                scores = self._score_batch([prompts[i] for i in idx], [option_ids[i] for i in idx])
                for i, s in zip(idx, scores):
                    results[i] = s
        finally:
            self.model.train(was_training)
        return results

    def _score_batch(self, prompts: list[list[int]], option_ids: list[list[list[int]]]) -> list[list[OptionScore]]:
        device, pad = self.device, self.tokenizer.pad_token_id
        input_ids, prompt_mask = _left_pad(prompts, pad, device)
        positions = (prompt_mask.cumsum(-1) - 1).clamp(min=0)
        out = self.model(input_ids=input_ids, attention_mask=prompt_mask, position_ids=positions, use_cache=True)
        cache, last_logprobs = out.past_key_values, out.logits[:, -1].float().log_softmax(-1)
        prompt_len, lengths = input_ids.shape[1], prompt_mask.sum(-1)
        processed = int(prompt_mask.sum())
        results: list[list[OptionScore]] = [[] for _ in prompts]
        for slot in range(max(len(o) for o in option_ids)):
            rows = [i for i, opts in enumerate(option_ids) if slot < len(opts)]
            seqs = [opts[slot] if slot < len(opts) else [pad] for opts in option_ids]
            width = max(len(s) for s in seqs)
            ids = torch.full((len(seqs), width), pad, dtype=torch.long, device=device)
            mask = torch.zeros((len(seqs), width), dtype=torch.long, device=device)
            for r, s in enumerate(seqs):
                ids[r, : len(s)] = torch.tensor(s, device=device)
                mask[r, : len(s)] = 1
            full_mask = torch.cat([prompt_mask, mask], dim=1)
            pos = lengths[:, None] + torch.arange(width, device=device)[None, :]
            logits = self.model(input_ids=ids, attention_mask=full_mask, position_ids=pos, past_key_values=cache, use_cache=True).logits
            cache.crop(-width)  # negative = drop the option tokens (works across transformers versions)
            logprobs = torch.cat([last_logprobs[:, None], logits[:, :-1].float().log_softmax(-1)], dim=1)
            token_lp = logprobs.gather(-1, ids[:, :, None]).squeeze(-1) * mask
            for r in rows:
                n = len(option_ids[r][slot])
                results[r].append(OptionScore(logprob=float(token_lp[r, :n].sum()), n_tokens=n))
                processed += n
        self._charge(processed, "score" if self.category == "generate" else self.category)
        return results


def _left_pad(seqs: list[list[int]], pad_id: int, device) -> tuple[torch.Tensor, torch.Tensor]:
    width = max(len(s) for s in seqs)
    ids = torch.full((len(seqs), width), pad_id, dtype=torch.long)
    mask = torch.zeros((len(seqs), width), dtype=torch.long)
    for r, s in enumerate(seqs):
        if s:
            ids[r, width - len(s) :] = torch.tensor(s)
            mask[r, width - len(s) :] = 1
    return ids.to(device), mask.to(device)


def _until_end(tokens: list[int], end_ids: list[int]) -> list[int]:
    for k, t in enumerate(tokens):
        if t in end_ids:
            return tokens[:k]
    return tokens


def _end_of_turn_ids(tokenizer) -> list[int]:
    ids = {tokenizer.eos_token_id}
    im_end = tokenizer.convert_tokens_to_ids("<|im_end|>")
    if isinstance(im_end, int) and im_end != tokenizer.unk_token_id:
        ids.add(im_end)
    return sorted(i for i in ids if i is not None)
