"""Glue between TRL's trainers and the compute ledger, shared by every method.

* :class:`TrainingSettings`: the optimisation knobs every method shares (defined in
  :mod:`study.training_settings`, which imports nothing heavy, so configs load fast).
* :func:`trl_args`: builds an ``SFTConfig`` / ``DPOConfig`` / ``GRPOConfig`` with
  the settings, CPU-safe defaults and token counting switched on.
* :class:`LedgerCallback`: charges the tokens the trainer actually processed
  (``state.num_input_tokens_seen``, non-padding) to the ledger after every
  optimiser step and stops training when the next step would overshoot the
  budget by more than half a step.
* :func:`save_checkpoint`: full weights or a LoRA adapter, atomically.
"""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path

from transformers import TrainerCallback

from study.atomic import atomic_dir
from study.compute import Ledger
from study.training_settings import LoraSettings, TrainingSettings

__all__ = ["LedgerCallback", "LoraSettings", "TrainingSettings", "peft_config", "quiet", "save_checkpoint", "trl_args"]

log = logging.getLogger(__name__)


def trl_args(kind: str, settings: TrainingSettings, output_dir: Path, seed: int, **extra):
    """A TRL config of ``kind`` (``sft``, ``dpo``, ``grpo``) from shared settings plus method-specific ``extra``."""
    import torch
    from trl import DPOConfig, GRPOConfig, SFTConfig

    cls = {"sft": SFTConfig, "dpo": DPOConfig, "grpo": GRPOConfig}[kind]
    common = dict(
        output_dir=str(output_dir), seed=seed, data_seed=seed, learning_rate=settings.learning_rate,
        per_device_train_batch_size=settings.batch_size, gradient_accumulation_steps=settings.gradient_accumulation_steps,
        max_steps=settings.max_steps, warmup_steps=settings.warmup_steps, weight_decay=settings.weight_decay,
        logging_steps=1, save_strategy="no", report_to="none", disable_tqdm=True, dataloader_num_workers=0,
        include_num_input_tokens_seen="non_padding", bf16=False, fp16=False, use_cpu=not torch.cuda.is_available(),
    )
    # TRL turns activation checkpointing on by default; it only trades compute for memory, which a small model on a
    # CPU does not need. Large models on GPUs set training.activation_checkpointing: true. transformers >= 5.x renamed
    # the field (the old name still works but warns); older releases only know the old one.
    fields = {f.name for f in dataclasses.fields(cls)}
    common["activation_checkpointing" if "activation_checkpointing" in fields else "gradient_checkpointing"] = settings.activation_checkpointing
    if kind in ("sft", "dpo"):
        common["max_length"] = settings.max_length
    else:
        common["include_num_input_tokens_seen"] = "no"  # GRPO counts prompt + completion tokens itself
    common.update(extra)
    return cls(**common)


def peft_config(settings: TrainingSettings):
    if not settings.lora.enabled:
        return None
    from peft import LoraConfig

    lora = settings.lora
    return LoraConfig(r=lora.r, lora_alpha=lora.alpha, lora_dropout=lora.dropout, target_modules=list(lora.target_modules), task_type="CAUSAL_LM")


class LedgerCallback(TrainerCallback):
    """Charges processed tokens to the ledger per step; stops before the budget is overshot.

    ``forward_categories`` lists forward-only passes that every trained token
    also costs: the generation of GRPO rollouts (``generate``), a reference
    model's log-probabilities (``score``).
    """

    def __init__(self, ledger: Ledger, forward_categories: tuple[str, ...] = (), label: str = "training"):
        self.ledger = ledger
        self.forward_categories = forward_categories
        self.label = label
        self.seen = 0
        self.total_at_last_step = ledger.total_flops
        self.step_costs: list[float] = []
        self.stopped_for_budget = False
        self._bar = None

    def on_train_begin(self, args, state, control, **kwargs):
        """A progress bar with ETA: over the FLOP budget when there is one, else over ``max_steps``."""
        from study.progress import open_bar

        if self.ledger.budget_flops is not None:
            self._bar = open_bar(f"{self.label} (FLOP budget)", total=self.ledger.budget_flops, completed=self.ledger.total_flops, unit="flops")
        else:
            self._bar = open_bar(f"{self.label} (steps)", total=state.max_steps or args.max_steps)
        return control

    def on_train_end(self, args, state, control, **kwargs):
        if self._bar is not None:
            self._bar.close()
            self._bar = None
        return control

    def on_step_end(self, args, state, control, **kwargs):
        tokens = int(state.num_input_tokens_seen) - self.seen
        self.seen = int(state.num_input_tokens_seen)
        self.ledger.charge_train(tokens)
        for category in self.forward_categories:
            self.ledger.charge_forward(category, tokens)
        # Everything charged since the last step (rollouts, grader calls...) is this step's cost.
        self.step_costs.append(self.ledger.total_flops - self.total_at_last_step)
        self.total_at_last_step = self.ledger.total_flops
        if self._bar is not None:
            self._bar.update(self.ledger.total_flops if self.ledger.budget_flops is not None else state.global_step)
        if not self.ledger.can_afford(max(self.step_costs) / 2):
            self.stopped_for_budget = True
            control.should_training_stop = True
            log.info("budget spent after %d steps: %s", state.global_step, self.ledger.summary())
        return control


def quiet(trainer):
    """Drop the callback that prints every log dict to stdout (logs stay in ``state.log_history``)."""
    from transformers.trainer_callback import PrinterCallback, ProgressCallback

    trainer.remove_callback(PrinterCallback)
    trainer.remove_callback(ProgressCallback)
    return trainer


def save_checkpoint(model, tokenizer, dest: Path) -> str:
    """Save full weights, or only the adapter when ``model`` is a PEFT model; return the kind."""
    kind = "lora" if hasattr(model, "peft_config") else "full"
    with atomic_dir(dest) as tmp:
        model.save_pretrained(tmp)
        tokenizer.save_pretrained(tmp)
    return kind
