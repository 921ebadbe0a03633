"""Generation throughput: the batched local backend vs a naive one-prompt-at-a-time loop.

On the embedded model: 32 chat prompts, 64 new tokens, greedy. Both paths are
measured in the same run (the machine is noisy); the ratio is printed last.
Also prints achieved FLOP/s as a fraction of a large fp32 matmul's FLOP/s.

    .venv/bin/python bench/generation.py [--prompts 32] [--new-tokens 64]
"""

from __future__ import annotations

import argparse
import time

import torch

from study.backends.local import LocalBackend, _end_of_turn_ids
from study.compute import Ledger
from study.models import EMBEDDED, load_model

TOPICS = ["photosynthesis", "the French revolution", "compound interest", "black holes", "vaccines", "bridges",
          "contract law", "plate tectonics", "neural networks", "the water cycle", "inflation", "DNA",
          "volcanoes", "the immune system", "gravity", "recycling"]


def prompts(n: int) -> list[list[dict]]:
    styles = ["Explain {t} to a twelve-year-old.", "Write three facts about {t}, with a short reason for each."]
    return [[{"role": "user", "content": styles[i % 2].format(t=TOPICS[i % len(TOPICS)])}] for i in range(n)]


def matmul_peak(size: int = 2048, reps: int = 5) -> float:
    a, b = torch.randn(size, size), torch.randn(size, size)
    a @ b
    start = time.perf_counter()
    for _ in range(reps):
        a @ b
    return 2 * size**3 * reps / (time.perf_counter() - start)


def naive(loaded, convs, new_tokens: int) -> int:
    tok, model, eos = loaded.tokenizer, loaded.model, _end_of_turn_ids(loaded.tokenizer)
    generated = 0
    for conv in convs:
        ids = tok.apply_chat_template(conv, add_generation_prompt=True, return_tensors="pt", return_dict=True)
        out = model.generate(**ids, max_new_tokens=new_tokens, do_sample=False, eos_token_id=eos, pad_token_id=tok.pad_token_id)
        generated += out.shape[1] - ids["input_ids"].shape[1]
    return generated


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prompts", type=int, default=32)
    parser.add_argument("--new-tokens", type=int, default=64)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--model", default=EMBEDDED)
    args = parser.parse_args()
    loaded = load_model(args.model)
    convs = prompts(args.prompts)
    peak = matmul_peak()
    ledger = Ledger(loaded.n_params_non_embedding)
    backend = LocalBackend(loaded, ledger, batch_size=args.batch_size)
    backend.generate(convs[:2], max_new_tokens=4)  # warm-up
    ledger = Ledger(loaded.n_params_non_embedding)
    backend.ledger = ledger
    prompt_tokens = sum(len(p) for p in backend.encode_prompts(convs))
    start = time.perf_counter()
    backend.generate(convs, max_new_tokens=args.new_tokens)
    t_batched = time.perf_counter() - start
    gen_batched = ledger.tokens["generate"] - prompt_tokens
    start = time.perf_counter()
    with torch.no_grad():
        gen_naive = naive(loaded, convs, args.new_tokens)
    t_naive = time.perf_counter() - start
    rate_b, rate_n = gen_batched / t_batched, gen_naive / t_naive
    achieved = ledger.total_flops / t_batched
    print(f"threads: {torch.get_num_threads()}  model: {args.model} ({loaded.n_params_non_embedding / 1e6:.1f}M non-embedding)")
    print(f"fp32 matmul peak: {peak / 1e9:.1f} GFLOP/s")
    print(f"batched backend: {gen_batched} new tokens in {t_batched:.1f}s = {rate_b:.1f} tok/s; {achieved / 1e9:.1f} GFLOP/s = {achieved / peak:.1%} of peak")
    print(f"naive loop:      {gen_naive} new tokens in {t_naive:.1f}s = {rate_n:.1f} tok/s")
    print(f"speed-up (batched / naive tokens per second): {rate_b / rate_n:.2f}")


if __name__ == "__main__":
    main()
