"""The harmful fine-tuning attack: the same small trait-eroding SFT applied to every arm.

``finetune_attack`` fine-tunes a checkpoint with TRL's ``SFTTrainer`` on
``study/data/attack/erosion.jsonl`` for ``max(steps)`` optimiser steps and
saves the weights after each ``k`` in ``steps`` (``k = 0`` is the checkpoint
itself). Every arm gets the identical treatment, including the compute-matched
control (the trait-RL report attacked only the pre-RL model, which does not
isolate the trait data): the example sequence comes from
:func:`~study.attacks.erosion_data.training_order` (model-independent), the
sampler is sequential, and learning rate, batch size and seed come from the
caller's settings. What the trainer actually consumed is recorded per
micro-batch in ``workdir/seen.jsonl`` (example ids) so this can be audited.
Training tokens are charged to the attack ledger (not to any arm's budget).
Each ``k`` is evaluated as condition ``finetune:<k>``.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import replace
from pathlib import Path

from transformers import TrainerCallback

from study.atomic import write_json, write_jsonl
from study.attacks.config import ATTACK_TRAINING
from study.attacks.erosion_data import EROSION_FILE, load_attack_data, training_order
from study.compute import Ledger
from study.errors import BudgetExceededError, ConfigError
from study.training import LedgerCallback, TrainingSettings, peft_config, quiet, save_checkpoint, trl_args

log = logging.getLogger(__name__)


class _SaveAtSteps(TrainerCallback):
    """Saves the model after the optimiser steps listed in ``dirs``."""

    def __init__(self, dirs: dict[int, Path], tokenizer):
        self.dirs, self.tokenizer, self.model = dirs, tokenizer, None

    def on_step_end(self, args, state, control, **kwargs):
        if state.global_step in self.dirs:
            save_checkpoint(self.model, self.tokenizer, self.dirs[state.global_step])
        return control


class _RecordingCollator:
    """Wraps the trainer's collator and records which examples each micro-batch held."""

    def __init__(self, inner, ids_by_digest: dict[str, str]):
        self.inner, self.ids_by_digest, self.batches = inner, ids_by_digest, []

    def __call__(self, features):
        self.batches.append([self.ids_by_digest.get(_digest(f["input_ids"]), "?") for f in features])
        return self.inner(features)


def _digest(ids) -> str:
    return hashlib.sha256(",".join(map(str, list(ids))).encode()).hexdigest()


def _check_steps(steps: list[int]) -> list[int]:
    if not steps or any(not isinstance(k, int) or k < 0 for k in steps):
        raise ConfigError(f"attack steps must be non-negative integers, got {steps}")
    return sorted(set(steps))


def finetune_attack(checkpoint: str, steps: list[int], workdir: Path, seed: int, settings: TrainingSettings | None = None,
                    ledger: Ledger | None = None, data_path: Path = EROSION_FILE) -> dict[int, str]:
    """Attack ``checkpoint``; returns ``{k: model spec}`` for every k in ``steps`` (k=0: ``checkpoint`` unchanged).

    ``settings.max_steps`` is replaced by ``max(steps)``. Use the same ``seed``
    and ``settings`` for every arm: that is what makes the attack identical.
    """
    from datasets import Dataset
    from transformers import set_seed
    from trl import SFTTrainer

    from study.models import load_model

    steps = _check_steps(steps)
    workdir = Path(workdir)
    out: dict[int, str] = {0: checkpoint} if 0 in steps else {}
    last = max(steps)
    if last == 0:
        return out
    settings = replace(settings or ATTACK_TRAINING, max_steps=last)
    examples = load_attack_data(data_path)
    per_step = settings.batch_size * settings.gradient_accumulation_steps
    order = training_order(len(examples), last * per_step, seed)
    stream = [examples[i] for i in order]
    workdir.mkdir(parents=True, exist_ok=True)
    write_jsonl(workdir / "stream.jsonl", [{"position": p, "id": ex.id} for p, ex in enumerate(stream)])

    set_seed(seed)
    loaded = load_model(checkpoint, for_training=True)
    ledger = ledger or Ledger(loaded.n_params_non_embedding)
    dirs = {k: workdir / f"k{k}" for k in steps if k > 0}
    saver = _SaveAtSteps(dirs, loaded.tokenizer)
    args = trl_args("sft", settings, workdir / "trainer", seed, train_sampling_strategy="sequential", shuffle_dataset=False)
    trainer = SFTTrainer(
        model=loaded.model, args=args, train_dataset=Dataset.from_list([ex.record() for ex in stream]),
        processing_class=loaded.tokenizer, peft_config=peft_config(settings), callbacks=[LedgerCallback(ledger, label="harmful fine-tuning attack"), saver],
    )
    saver.model = trainer.model
    digests = {_digest(row["input_ids"]): row_id for row, row_id in zip(trainer.train_dataset, (ex.id for ex in stream))}
    recorder = _RecordingCollator(trainer.data_collator, digests)
    trainer.data_collator = recorder
    quiet(trainer).train()
    write_jsonl(workdir / "seen.jsonl", [{"micro_batch": i, "ids": ids} for i, ids in enumerate(recorder.batches)])
    done = trainer.state.global_step
    write_json(workdir / "attack_stats.json", {"checkpoint": checkpoint, "steps": steps, "seed": seed, "trained_steps": done,
                                               "examples": len(stream), "data": str(data_path), "ledger": ledger.to_dict()})
    missing = [k for k in dirs if not (dirs[k] / "config.json").exists() and not (dirs[k] / "adapter_config.json").exists()]
    if missing:
        raise BudgetExceededError(f"fine-tuning attack stopped after {done} of {last} steps (budget); checkpoints k={missing} missing; raise the attack budget")
    out.update({k: str(d) for k, d in dirs.items()})
    return out


def trait_benchmarks(specs=None) -> list[str]:
    """Benchmarks re-scored after the attack by default: the non-harmful benchmarks with a trait tag among ``specs``
    (a study's evaluated benchmarks), or among every registered one."""
    from study.benchmarks import load_registry

    specs = list(load_registry().values()) if specs is None else list(specs)
    return sorted(spec.name for spec in specs if spec.trait not in ("none", "helpfulness") and not spec.harmful)
