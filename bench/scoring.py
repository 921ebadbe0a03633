"""Multiple-choice scoring throughput: the project's packed token-trie scorer vs one forward per option.

Same 200 items (the project's multiple-choice benchmarks) in the same run on the
embedded model; prints items/s of both and the ratio last.

    .venv/bin/python bench/scoring.py [--items 200]
"""

from __future__ import annotations

import argparse
import time

import torch

from study.backends.local import LocalBackend
from study.benchmarks import load_registry
from study.models import EMBEDDED, load_model


def mc_items(n: int):
    items = []
    for name, spec in sorted(load_registry().items()):
        if spec.scoring == "mc" and spec.source == "project":
            items += spec.items()[:12]
    return items[:n]


@torch.no_grad()
def naive(loaded, backend, items) -> list[list[float]]:
    out = []
    for it in items:
        prompt = backend.encode_prompts([it.conversation])[0]
        row = []
        for option in it.options:
            ids = loaded.tokenizer(option, add_special_tokens=False)["input_ids"]
            logprobs = loaded.model(torch.tensor([prompt + ids])).logits[0].log_softmax(-1)
            row.append(sum(float(logprobs[len(prompt) - 1 + k, t]) for k, t in enumerate(ids)))
        out.append(row)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=200)
    parser.add_argument("--pack-tokens", type=int, default=512, help="tokens per packed scoring pass (the backend default)")
    parser.add_argument("--model", default=EMBEDDED)
    args = parser.parse_args()
    loaded = load_model(args.model)
    items = mc_items(args.items)
    backend = LocalBackend(loaded, pack_tokens=args.pack_tokens)
    backend.score_options([items[0].conversation], [list(items[0].options)])  # warm-up
    start = time.perf_counter()
    fast = backend.score_options([it.conversation for it in items], [list(it.options) for it in items])
    t_fast = time.perf_counter() - start
    start = time.perf_counter()
    slow = naive(loaded, backend, items)
    t_slow = time.perf_counter() - start
    worst = max(abs(a.logprob - b) for fr, sr in zip(fast, slow) for a, b in zip(fr, sr))
    n_options = sum(len(it.options) for it in items)
    print(f"threads: {torch.get_num_threads()}  items: {len(items)}  options: {n_options}  max |log p difference|: {worst:.2e}")
    print(f"project scorer: {len(items) / t_fast:.2f} items/s ({t_fast:.1f}s)")
    print(f"naive loop:     {len(items) / t_slow:.2f} items/s ({t_slow:.1f}s)")
    print(f"speed-up (items/s ratio): {t_slow / t_fast:.2f}")


if __name__ == "__main__":
    main()
