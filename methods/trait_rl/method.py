"""Trait-RL and the compute-matched control: GRPO through TRL on the prompt stream."""

from __future__ import annotations

import logging
from dataclasses import asdict, replace
from pathlib import Path

import pandas as pd

from methods.base import Checkpoint
from methods.trait_rl.config import ControlConfig, TraitRLConfig
from methods.trait_rl.dose import affordable_steps, check_dose, prompts_per_step, trait_scenarios_seen
from methods.trait_rl.mix import build_stream
from methods.trait_rl.rewards import MixReward
from study.atomic import write_json, write_jsonl
from study.compute import FORWARD_FLOPS_PER_PARAM_TOKEN, TRAIN_FLOPS_PER_PARAM_TOKEN, Ledger
from study.curves import write_curves
from study.errors import BudgetTooSmallError, ConfigError
from study.models import load_model
from study.training import LedgerCallback, peft_config, quiet, save_checkpoint, trl_args

log = logging.getLogger(__name__)
NOMINAL_PROMPT_TOKENS = 96


def step_flops(config: TraitRLConfig, n_params: int, prompt_tokens: int = NOMINAL_PROMPT_TOKENS) -> float:
    """Upper estimate of one optimiser step: rollouts generated, trained on, scored by a reference if beta > 0,
    and (when the step holds trait scenarios) graded by the offline grader, whose MiniLM encoder is charged
    per token of completion and user turn. LLM judges are charged by their backend and left out here."""
    per_token = TRAIN_FLOPS_PER_PARAM_TOKEN + FORWARD_FLOPS_PER_PARAM_TOKEN * (2 if config.beta > 0 else 1)
    flops = config.completions_per_step * (prompt_tokens + config.max_completion_length) * per_token * n_params
    if config.dose > 0 and config.grader == "rubric-offline":
        from study.judging import minilm_non_embedding_params

        graded_tokens = config.completions_per_step * (prompt_tokens + config.max_completion_length)
        flops += FORWARD_FLOPS_PER_PARAM_TOKEN * minilm_non_embedding_params() * graded_tokens
    return float(flops)


class TraitRLMethod:
    name = "trait-rl"
    config_class = TraitRLConfig

    def estimate_min_flops(self, config: TraitRLConfig, n_params: int) -> float:
        return step_flops(config, n_params)

    def check_config(self, config: TraitRLConfig) -> None:
        """Method-specific invariants (the control overrides this)."""

    def check_budget(self, config: TraitRLConfig, n_params: int, budget_flops: float | None, where: str = "config",
                     prompt_tokens: int | None = None) -> None:
        """Before any work: the dose can be honoured at the batch size and yields at least ``min_trait_scenarios``."""
        self.check_config(config)
        check_dose(config, budget_flops, n_params, where, prompt_tokens)

    def plan_note(self, config: TraitRLConfig, n_params: int, budget_flops: float | None) -> str:
        """One line for ``study plan``: the trait scenarios this arm will see."""
        steps = affordable_steps(config, budget_flops, n_params)
        seen = trait_scenarios_seen(config, budget_flops, n_params)
        share = seen / max(steps * prompts_per_step(config), 1)
        return (f"dose {config.dose:g}: ~{steps} steps x {prompts_per_step(config)} prompt(s), {seen} trait scenarios "
                f"({share:.1%} of the stream; minimum {config.min_trait_scenarios if config.dose else 0})")

    def train(self, base: str, config: TraitRLConfig, ledger: Ledger, seed: int, workdir: Path) -> Checkpoint:
        from datasets import Dataset
        from transformers import set_seed
        from trl import GRPOTrainer

        self.check_config(config)
        workdir.mkdir(parents=True, exist_ok=True)
        set_seed(seed)
        loaded = load_model(base, for_training=True)
        tok = loaded.tokenizer
        n_prompts = config.training.max_steps * config.prompts_per_step * config.training.gradient_accumulation_steps
        stream = build_stream(
            n_prompts, config.dose, seed, traits=config.traits, domains=config.domains,
            exclude_domains=config.exclude_domains, scenarios_path=config.scenarios_path,
        )
        longest = max(len(tok.apply_chat_template(r.prompt, add_generation_prompt=True, tokenize=True)) for r in stream)
        need = step_flops(config, loaded.n_params_non_embedding, longest)
        if not ledger.can_afford(need):
            raise BudgetTooSmallError(
                f"{self.name}: budget {ledger.budget_flops:.3g} FLOPs cannot pay for one GRPO step (~{need:.3g}); raise budget_flops or lower num_generations/max_completion_length"
            )
        self.check_budget(config, loaded.n_params_non_embedding, ledger.budget_flops, self.name, longest)
        write_json(workdir / "config.json", {"method": self.name, "base": base, "seed": seed, "config": asdict(config)})
        write_jsonl(workdir / "stream.jsonl", [{"position": i, "id": r.id, "kind": r.kind} for i, r in enumerate(stream)])
        rollouts = workdir / "rollouts.jsonl"
        rollouts.unlink(missing_ok=True)
        judge = _judge_backend(config, ledger)
        reward = MixReward(config, ledger, lambda text: len(tok(text, add_special_tokens=False)["input_ids"]), rollouts, judge)
        settings = replace(config.training, batch_size=config.prompts_per_step * config.num_generations)
        args = trl_args(
            "grpo", settings, workdir / "trainer", seed, num_generations=config.num_generations,
            max_completion_length=config.max_completion_length, temperature=config.temperature, beta=config.beta,
            shuffle_dataset=False,
        )
        callback = LedgerCallback(ledger, ("generate", "score") if config.beta > 0 else ("generate",), label=f"{self.name} GRPO")
        trainer = GRPOTrainer(
            model=loaded.model, processing_class=tok, reward_funcs=[reward], args=args,
            train_dataset=Dataset.from_list([r.as_record() for r in stream]), peft_config=peft_config(settings),
            callbacks=[callback],
        )
        quiet(trainer).train()
        kind = save_checkpoint(trainer.model, tok, workdir / "checkpoint")
        ledger.save(workdir / "ledger.json")
        curves = _reward_curves(rollouts, workdir)
        stats = {
            "steps": trainer.state.global_step, "stopped_for_budget": callback.stopped_for_budget,
            "sampled": _sampled_counts(rollouts, config.num_generations), "total_flops": ledger.total_flops,
            "final_reward": curves,
        }
        write_json(workdir / "train_stats.json", stats)
        return Checkpoint(
            path=workdir / "checkpoint", kind=kind, method=self.name, seed=seed, stats=stats,
            artifacts={"rollouts": rollouts, "stream": workdir / "stream.jsonl", "ledger": workdir / "ledger.json",
                       "reward_curve": workdir / "reward_curve.png", "config": workdir / "config.json"},
        )


class ControlMethod(TraitRLMethod):
    """The same GRPO pipeline on the regular mix only (dose 0): the compute-matched baseline."""

    name = "control"
    config_class = ControlConfig

    def check_config(self, config: TraitRLConfig) -> None:
        if config.dose != 0.0:
            raise ConfigError(f"control: dose must be 0 (it is the regular-mix-only baseline), got {config.dose}")


def _judge_backend(config: TraitRLConfig, ledger: Ledger):
    if config.grader != "llm-judge" or config.reward != "rubric":
        return None
    from study.backends.factory import make_backend

    return make_backend(config.judge_backend, ledger, category="judge")


def _sampled_counts(rollouts: Path, group: int) -> dict[str, int]:
    """How many prompts of each kind the trainer actually sampled (one per GRPO group)."""
    if not rollouts.exists():
        return {}
    frame = pd.read_json(rollouts, lines=True)
    return {k: int(v) // group for k, v in frame["kind"].value_counts().items()}


def _reward_curves(rollouts: Path, workdir: Path) -> dict[str, float]:
    if not rollouts.exists():
        return {}
    frame = pd.read_json(rollouts, lines=True)
    curve = frame.groupby(["step", "kind"], as_index=False)["reward"].mean().rename(columns={"kind": "metric", "reward": "value"})
    write_curves(curve, workdir / "reward_curve.csv", workdir / "reward_curve.png", "mean reward per step")
    last = curve.groupby("metric")["value"].apply(lambda s: float(s.tail(5).mean()))
    return {k: round(v, 4) for k, v in last.items()}
