"""Local transformers backend: batched chat generation and option log-likelihoods.

Every call charges the tokens it processed to a :class:`~study.compute.Ledger`
(2·N FLOPs per token, prompt included), so methods and benchmarks never count
compute themselves.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch

from study.backends.base import OptionScore, check_max_new_tokens
from study.compute import Ledger
from study.models import LoadedModel
from study.types import Conversation


class LocalBackend:
    """Runs a :class:`LoadedModel`; ``category`` is the ledger account it charges.

    ``batch_size`` is the number of conversations generated together;
    ``pack_tokens`` the size of one packed option-scoring forward pass (see
    :meth:`score_options`). Measured in ``bench/generation.py`` and ``bench/scoring.py``.
    """

    name = "local"

    def __init__(self, loaded: LoadedModel, ledger: Ledger | None = None, *, category: str = "generate", batch_size: int = 32,
                 pack_tokens: int = 512):
        if batch_size < 1 or pack_tokens < 1:
            raise ValueError(f"batch_size and pack_tokens must be >= 1, got {batch_size} and {pack_tokens}")
        self.loaded = loaded
        self.model = loaded.model
        self.tokenizer = loaded.tokenizer
        self.ledger = ledger
        self.category = category
        self.batch_size = batch_size
        self.pack_tokens = pack_tokens
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
    def generate(self, conversations: Sequence[Conversation], max_new_tokens: int = 64, temperature: float = 0.0,
                 seed: int = 0, top_p: float = 1.0) -> list[str]:
        check_max_new_tokens(max_new_tokens)
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

        Items are packed, a few hundred tokens at a time, into one sequence laid
        out as a token trie: every prompt and option is a path from the root, so
        a prefix that several items share (the system prompt, the chat markup, a
        benchmark's instructions) and a prompt that several options share are
        each computed once. A 4-D mask lets every token attend only to its own
        path and positions are depths in the trie, so each option's
        log-probability equals that of a separate forward pass over prompt +
        option. Only the rows whose next-token distribution is needed reach the
        LM head. The ledger is charged for the trie's nodes, the tokens actually run.
        """
        if len(conversations) != len(options):
            raise ValueError(f"{len(conversations)} conversations but {len(options)} option lists")
        prompts = self.encode_prompts(conversations)
        option_ids = [[self.tokenizer(o, add_special_tokens=False)["input_ids"] for o in opts] for opts in options]
        for opts, ids in zip(options, option_ids):
            if not opts or any(len(t) == 0 for t in ids):
                raise ValueError("every item needs at least one non-empty option")
        order = sorted(range(len(prompts)), key=lambda i: prompts[i])  # neighbours share prefixes
        results: list[list[OptionScore]] = [[] for _ in prompts]
        was_training = self.model.training
        self.model.eval()
        try:
            for pack in _packs(order, [len(prompts[i]) + sum(map(len, option_ids[i])) for i in range(len(prompts))], self.pack_tokens):
                for i, s in zip(pack, self._score_pack([prompts[i] for i in pack], [option_ids[i] for i in pack])):
                    results[i] = s
        finally:
            self.model.train(was_training)
        return results

    def _score_pack(self, prompts: list[list[int]], option_ids: list[list[list[int]]]) -> list[list[OptionScore]]:
        trie = _Trie()
        paths = []  # per item, per option: (predecessor node of each option token, the option tokens)
        for prompt, opts in zip(prompts, option_ids):
            end = trie.extend(-1, prompt)
            item = []
            for opt in opts:
                nodes = trie.path(end, opt)
                item.append(([end] + nodes[:-1], opt))
            paths.append(item)
        device = self.device
        needed = sorted({n for item in paths for preds, _ in item for n in preds})
        row_of = {n: r for r, n in enumerate(needed)}
        ids = torch.tensor([trie.tokens], device=device)
        positions = torch.tensor([trie.depth], device=device)
        mask = trie.ancestor_mask(device)
        if getattr(self.model.config, "_attn_implementation", "sdpa") == "eager":
            mask = torch.zeros(mask.shape, dtype=self.model.dtype, device=device).masked_fill(~mask, torch.finfo(self.model.dtype).min)
        logits = self.model(input_ids=ids, attention_mask=mask, position_ids=positions, use_cache=False,
                            logits_to_keep=torch.tensor(needed, device=device)).logits[0]
        logprobs = logits.float().log_softmax(-1)
        self._charge(len(trie.tokens), "score" if self.category == "generate" else self.category)
        return [
            [OptionScore(logprob=float(sum(logprobs[row_of[n], t] for n, t in zip(preds, opt))), n_tokens=len(opt)) for preds, opt in item]
            for item in paths
        ]


class _Trie:
    """Token trie in insertion order: a parent always precedes its children, so the order is causal."""

    def __init__(self) -> None:
        self.tokens: list[int] = []
        self.parent: list[int] = []
        self.depth: list[int] = []
        self._children: dict[tuple[int, int], int] = {}

    def _add(self, parent: int, token: int) -> int:
        node = self._children.get((parent, token))
        if node is None:
            node = len(self.tokens)
            self.tokens.append(token)
            self.parent.append(parent)
            self.depth.append(0 if parent < 0 else self.depth[parent] + 1)
            self._children[(parent, token)] = node
        return node

    def path(self, start: int, tokens: Sequence[int]) -> list[int]:
        nodes, node = [], start
        for t in tokens:
            node = self._add(node, t)
            nodes.append(node)
        return nodes

    def extend(self, start: int, tokens: Sequence[int]) -> int:
        return self.path(start, tokens)[-1] if tokens else start

    def ancestor_mask(self, device) -> torch.Tensor:
        """(1, 1, T, T) boolean mask: node i attends to j iff j is i or one of its ancestors."""
        n = len(self.tokens)
        mask = torch.zeros((n, n), dtype=torch.bool)
        for i, p in enumerate(self.parent):
            if p >= 0:
                mask[i] = mask[p]
            mask[i, i] = True
        return mask[None, None].to(device)


def _packs(order: list[int], sizes: list[int], budget: int) -> list[list[int]]:
    """Consecutive items of ``order`` grouped until a group holds about ``budget`` tokens (at least one item each)."""
    packs, current, used = [], [], 0
    for i in order:
        if current and used + sizes[i] > budget:
            packs.append(current)
            current, used = [], 0
        current.append(i)
        used += sizes[i]
    if current:
        packs.append(current)
    return packs


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
