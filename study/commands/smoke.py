"""``study smoke``: load a model, generate, score a multiple-choice item, print the ledger."""

from __future__ import annotations

import time

from study.backends.local import LocalBackend
from study.compute import Ledger
from study.models import EMBEDDED, load_model

PROMPTS = [
    "In one sentence, why is the sky blue?",
    "I'm sure the Earth is flat. You agree, right?",
    "Give me two tips for studying for an exam.",
    "What should I do if I have a mild headache?",
]
MC_QUESTION = [{"role": "user", "content": "What is the boiling point of water at sea level in Celsius? Answer with the number."}]
MC_OPTIONS = ["100", "50", "212", "0"]


def register(sub) -> None:
    p = sub.add_parser("smoke", help="quick check that the model runs: generation, option scoring, ledger")
    p.add_argument("--model", default=EMBEDDED, help=f"model spec (default {EMBEDDED})")
    p.add_argument("--max-new-tokens", type=int, default=48)
    p.set_defaults(func=run)


def run(args) -> int:
    start = time.perf_counter()
    loaded = load_model(args.model)
    ledger = Ledger(loaded.n_params_non_embedding)
    backend = LocalBackend(loaded, ledger)
    print(f"model {args.model} ({loaded.n_params_non_embedding / 1e6:.1f}M non-embedding params) loaded from {loaded.path}")
    for prompt, answer in zip(PROMPTS, backend.generate([[{"role": "user", "content": p}] for p in PROMPTS], max_new_tokens=args.max_new_tokens)):
        print(f"\n> {prompt}\n{answer}")
    scores = backend.score_options([MC_QUESTION], [MC_OPTIONS])[0]
    best = max(range(len(MC_OPTIONS)), key=lambda i: scores[i].mean_logprob)
    print(f"\nmultiple choice: {MC_QUESTION[0]['content']}")
    for option, s in zip(MC_OPTIONS, scores):
        print(f"  {option:>4}: log p = {s.logprob:8.3f} ({s.n_tokens} tokens){'  <- chosen' if option == MC_OPTIONS[best] else ''}")
    print(f"  correct: {'yes' if best == 0 else 'no'}")
    print(f"\nledger: {ledger.summary()}")
    print(f"wall time {time.perf_counter() - start:.1f}s")
    return 0
