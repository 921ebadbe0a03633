"""One GRPO run of the tiny model under the shared ledger, for the multi-process ledger test.

Run as ``python -m tests.distributed.ledger_worker OUT PER_DEVICE_BATCH BUDGET [vllm]`` (one process) or under
``torchrun --nproc_per_node 2`` (gloo on CPU). The global batch is PER_DEVICE_BATCH x world size, so
the test keeps it equal across the two launches. The reward function charges a rank-local
``judge`` cost per completion (as the trait-RL grader does), which only the reduction makes global.
Every rank writes ``rank<R>.json`` (its ledger and the step it stopped at); only rank 0 writes ``ledger.json``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

JUDGE_PARAMS = 1000


def main(out: Path, per_device_batch: int, budget: float, generator: str = "transformers") -> None:
    from datasets import Dataset
    from transformers import set_seed
    from trl import GRPOTrainer

    from study import distributed
    from study.compute import Ledger
    from study.models import TINY, load_model
    from study.training import LedgerCallback, TrainingSettings, quiet, trl_args, vllm_args

    set_seed(0)
    loaded = load_model(TINY, for_training=True)
    ledger = Ledger(loaded.n_params_non_embedding, budget_flops=budget)
    tok = loaded.tokenizer

    def reward(prompts, completions, **kwargs):
        texts = [c[-1]["content"] if isinstance(c, list) else c for c in completions]
        for text in texts:
            ledger.charge_forward("judge", len(tok(text, add_special_tokens=False)["input_ids"]) + 1, params=JUDGE_PARAMS)
        return [float(len(text) % 7) for text in texts]

    prompts = [{"prompt": [{"role": "user", "content": f"Question number {i}: what is {i} plus {i}?"}]} for i in range(64)]
    settings = TrainingSettings(learning_rate=1e-4, batch_size=per_device_batch, max_steps=6)
    args = trl_args("grpo", settings, out / "trainer", 0, num_generations=4, max_completion_length=8,
                    temperature=1.0, beta=0.0, shuffle_dataset=False, **vllm_args(generator == "vllm", "colocate"))
    callback = LedgerCallback(ledger, ("generate",), label="ledger worker")
    trainer = GRPOTrainer(model=loaded.model, processing_class=tok, reward_funcs=[reward], args=args,
                          train_dataset=Dataset.from_list(prompts), callbacks=[callback])
    quiet(trainer).train()
    record = {"rank": distributed.rank(), "world_size": distributed.world_size(), "steps": trainer.state.global_step,
              "stopped_for_budget": callback.stopped_for_budget, "stopped_at_step": callback.stopped_at_step,
              "ledger": ledger.to_dict()}
    (out / f"rank{distributed.rank()}.json").write_text(json.dumps(record))
    if distributed.is_main_process():
        ledger.save(out / "ledger.json")


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), *sys.argv[4:5])
