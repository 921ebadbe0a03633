"""Glue between TRL's trainers and the compute ledger, shared by every method.

* :class:`TrainingSettings`: the optimisation knobs every method shares (defined in
  :mod:`study.training_settings`, which imports nothing heavy, so configs load fast).
* :func:`trl_args`: builds an ``SFTConfig`` / ``DPOConfig`` / ``GRPOConfig`` with
  the settings, CPU-safe defaults and token counting switched on.
* :class:`LedgerCallback`: charges the tokens the trainer actually processed
  (``state.num_input_tokens_seen``, non-padding) to the ledger after every
  optimiser step and stops training when the next step would overshoot the
  budget by more than half a step.
* :func:`save_checkpoint`: full weights or a LoRA adapter, atomically (on the
  main process only when several are running).

Several processes (``accelerate launch``): the trainer gathers its token count
over ranks, so every rank charges the same, global number; what a rank charged
locally during the step (grading its own rollouts) is summed over ranks first
(:meth:`Ledger.reduce_since`); the stop decision is taken on rank 0 from that
reduced ledger and broadcast, so all ranks stop at the same optimiser step.
"""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path

from transformers import TrainerCallback

from study import distributed
from study.atomic import atomic_dir
from study.compute import Ledger
from study.training_settings import LoraSettings, TrainingSettings

__all__ = ["LedgerCallback", "LoraSettings", "TrainingSettings", "peft_config", "quiet", "save_checkpoint", "trl_args"]
from study.errors import ConfigError
from study.precision import check_hardware

log = logging.getLogger(__name__)


def trl_args(kind: str, settings: TrainingSettings, output_dir: Path, seed: int, **extra):
    """A TRL config of ``kind`` (``sft``, ``dpo``, ``grpo``) from shared settings plus method-specific ``extra``."""
    import torch
    from trl import DPOConfig, GRPOConfig, SFTConfig

    cls = {"sft": SFTConfig, "dpo": DPOConfig, "grpo": GRPOConfig}[kind]
    device = check_hardware(settings.dtype, settings.device, "training")
    check_launcher_precision(settings.dtype)
    common = dict(
        output_dir=str(output_dir), seed=seed, data_seed=seed, learning_rate=settings.learning_rate,
        per_device_train_batch_size=settings.batch_size, gradient_accumulation_steps=settings.gradient_accumulation_steps,
        max_steps=settings.max_steps, warmup_steps=settings.warmup_steps, weight_decay=settings.weight_decay,
        logging_steps=1, save_strategy="no", report_to="none", disable_tqdm=True, dataloader_num_workers=0,
        include_num_input_tokens_seen="non_padding", bf16=settings.dtype == "bf16", fp16=settings.dtype == "fp16",
        use_cpu=device == "cpu" or not torch.cuda.is_available(),
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


def vllm_args(use_vllm: bool, mode: str = "colocate", server_base_url: str | None = None) -> dict:
    """GRPOConfig options that hand rollout generation to TRL's vLLM integration (empty when off).

    ``colocate`` runs a vLLM engine inside each training process (sharing its GPU);
    ``server`` sends requests to a ``trl vllm-serve`` process (``server_base_url``).
    Checked here, at training time, so a GPU config still plans on a machine without vLLM.
    The ledger is unchanged: TRL counts the prompt and completion token ids it gets
    back from either generator into ``num_input_tokens_seen``.
    """
    if not use_vllm:
        return {}
    import importlib.util

    if importlib.util.find_spec("vllm") is None:
        raise ConfigError("use_vllm: true but vllm is not installed; pip install vllm (GPU nodes) or set use_vllm: false")
    if mode not in ("colocate", "server"):
        raise ConfigError(f"vllm_mode must be colocate or server, got {mode!r}")
    out = {"use_vllm": True, "vllm_mode": mode}
    if mode == "server" and server_base_url:
        out["vllm_server_base_url"] = server_base_url
    return out


LAUNCHER_PRECISION = {"no": "fp32", "bf16": "bf16", "fp16": "fp16"}


def check_launcher_precision(dtype: str) -> None:
    """Under ``accelerate launch``, the launcher's mixed_precision must agree with ``training.dtype``.

    Accelerate exports the config's ``mixed_precision`` as ``ACCELERATE_MIXED_PRECISION``; a run whose
    trainer and launcher disagree would train in a precision its config does not state.
    """
    import os

    launcher = os.environ.get("ACCELERATE_MIXED_PRECISION")
    if launcher is None or launcher == "fp8":
        return
    if LAUNCHER_PRECISION.get(launcher, launcher) != dtype:
        raise ConfigError(
            f"accelerate config mixed_precision: {launcher} but training.dtype: {dtype}; "
            f"set mixed_precision to {next(k for k, v in LAUNCHER_PRECISION.items() if v == dtype)!r} or training.dtype to match"
        )


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

    ``state.num_input_tokens_seen`` is already the sum over ranks (transformers
    and TRL gather it), so it is charged once per step on every rank, after the
    rank-local charges of the step have been summed over ranks. Every rank then
    holds the same ledger; the stop decision is rank 0's, broadcast.
    """

    def __init__(self, ledger: Ledger, forward_categories: tuple[str, ...] = (), label: str = "training"):
        self.ledger = ledger
        self.forward_categories = forward_categories
        self.label = label
        self.seen = 0
        self.total_at_last_step = ledger.total_flops
        self.step_costs: list[float] = []
        self.stopped_for_budget = False
        self.stopped_at_step: int | None = None
        self._mark = ledger.mark()
        self._bar = None

    def on_train_begin(self, args, state, control, **kwargs):
        """A progress bar with ETA (main process only): over the FLOP budget when there is one, else over ``max_steps``."""
        self.seen = int(state.num_input_tokens_seen)
        self._mark = self.ledger.mark()
        if not distributed.is_main_process():
            return control
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
        self.ledger.reduce_since(self._mark)  # rank-local charges of this step (rollout grading, judge calls), summed
        tokens = int(state.num_input_tokens_seen) - self.seen  # already global
        self.seen = int(state.num_input_tokens_seen)
        self.ledger.charge_train(tokens)
        for category in self.forward_categories:
            self.ledger.charge_forward(category, tokens)
        self._mark = self.ledger.mark()
        # Everything charged since the last step (rollouts, grader calls...) is this step's cost.
        self.step_costs.append(self.ledger.total_flops - self.total_at_last_step)
        self.total_at_last_step = self.ledger.total_flops
        if self._bar is not None:
            self._bar.update(self.ledger.total_flops if self.ledger.budget_flops is not None else state.global_step)
        stop = distributed.broadcast_flag(not self.ledger.can_afford(max(self.step_costs) / 2) or self.ledger.api_tokens_spent())
        if stop:
            self.stopped_for_budget = True
            self.stopped_at_step = state.global_step
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
    """Save full weights, or only the adapter when the model is a PEFT model; return the kind.

    ``model`` is a model or a trainer. Pass the trainer under ``accelerate launch``: its ``save_model``
    gathers sharded weights (DeepSpeed ZeRO-3, FSDP) on every rank and writes on the main process only;
    the main process then renames the directory into place, and every rank waits for that.
    """
    trainer = model if hasattr(model, "save_model") and hasattr(model, "accelerator") else None
    net = trainer.model if trainer is not None else model
    kind = "lora" if hasattr(net, "peft_config") else "full"
    from study.models import relocatable_adapter

    if not distributed.is_distributed():
        with atomic_dir(dest) as tmp:
            net.save_pretrained(tmp)
            tokenizer.save_pretrained(tmp)
            relocatable_adapter(tmp, dest)
        return kind
    if trainer is None:  # a replicated (DDP) model: rank 0 writes it; sharded models need the trainer
        if distributed.is_main_process():
            with atomic_dir(dest) as tmp:
                net.save_pretrained(tmp)
                tokenizer.save_pretrained(tmp)
                relocatable_adapter(tmp, dest)
        distributed.barrier()
        return kind
    import os
    import shutil

    dest = Path(dest)
    tmp = dest.parent / f".{dest.name}.saving"
    if distributed.is_main_process():
        shutil.rmtree(tmp, ignore_errors=True)
    distributed.barrier()
    trainer.save_model(str(tmp))  # a collective under ZeRO-3/FSDP; writes on the main process only
    if distributed.is_main_process():
        tokenizer.save_pretrained(tmp)
        relocatable_adapter(tmp, dest)
        os.replace(tmp, dest)
    distributed.barrier()
    return kind
