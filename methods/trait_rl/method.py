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
from study.diagnostics import group_spread, reward_curve, write_diagnostics
from study.errors import BudgetTooSmallError, ConfigError
from study.models import load_model
from study.tokens import token_counter

log = logging.getLogger(__name__)
NOMINAL_PROMPT_TOKENS = 96


def step_flops(config: TraitRLConfig, n_params: int, prompt_tokens: int = NOMINAL_PROMPT_TOKENS) -> float:
    """Upper estimate of one optimiser step: rollouts generated, trained on, scored by a reference if beta > 0,
    and (when the step holds trait scenarios) graded by the offline grader, whose MiniLM encoder is charged
    per token of completion and user turn. LLM judges are charged by their backend and left out here."""
    per_token = TRAIN_FLOPS_PER_PARAM_TOKEN + FORWARD_FLOPS_PER_PARAM_TOKEN * (2 if config.beta > 0 else 1)
    flops = config.completions_per_step * (prompt_tokens + config.max_completion_length) * per_token * n_params
    if config.dose > 0 and config.effective_judge.kind == "offline":
        from study.judging import minilm_non_embedding_params

        graded_tokens = config.completions_per_step * (prompt_tokens + config.max_completion_length)
        flops += FORWARD_FLOPS_PER_PARAM_TOKEN * minilm_non_embedding_params() * graded_tokens
    return float(flops)


class TraitRLMethod:
    name = "trait-rl"
    config_class = TraitRLConfig

    def estimate_min_flops(self, config: TraitRLConfig, n_params: int) -> float:
        return step_flops(config, n_params)

    def estimate_max_flops(self, config: TraitRLConfig, n_params: int) -> tuple[float, str]:
        """The most this config can spend (every step of training.max_steps), and the field that bounds it."""
        return step_flops(config, n_params) * config.training.max_steps, "training.max_steps"

    def check_config(self, config: TraitRLConfig) -> None:
        """Method-specific invariants (the control overrides this)."""

    @staticmethod
    def judge_label(config: TraitRLConfig) -> str:
        return judge_label(config)

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
        from study.training import LedgerCallback, peft_config, quiet, save_checkpoint, trl_args, vllm_args  # heavy: not at load

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
        judge = _judge_backend(config, ledger, base)
        count_tokens = token_counter(tok)
        reward = MixReward(config, ledger, count_tokens, rollouts, judge)
        settings = replace(config.training, batch_size=config.prompts_per_step * config.num_generations)
        args = trl_args(
            "grpo", settings, workdir / "trainer", seed, num_generations=config.num_generations,
            max_completion_length=config.max_completion_length, temperature=config.temperature, beta=config.beta,
            shuffle_dataset=False, **vllm_args(config.use_vllm, config.vllm_mode, config.vllm_server_base_url),
        )
        callback = LedgerCallback(ledger, ("generate", "score") if config.beta > 0 else ("generate",), label=f"{self.name} GRPO")
        trainer = GRPOTrainer(
            model=loaded.model, processing_class=tok, reward_funcs=[reward], args=args,
            train_dataset=Dataset.from_list([r.as_record() for r in stream]), peft_config=peft_config(settings),
            callbacks=[callback],
        )
        quiet(trainer).train()
        kind = save_checkpoint(trainer, tok, workdir / "checkpoint")
        ledger.save(workdir / "ledger.json")
        curves = _reward_curves(rollouts, workdir)
        stats = {
            "steps": trainer.state.global_step, "stopped_for_budget": callback.stopped_for_budget,
            "sampled": _sampled_counts(rollouts, config.num_generations), "total_flops": ledger.total_flops,
            "final_reward": curves,
        }
        write_json(workdir / "train_stats.json", stats)
        diagnostics = write_diagnostics(
            workdir, base, workdir / "checkpoint", self.name, _rollout_curve(rollouts),
            _stream_stats(rollouts, config, stats), trained=trainer.model if kind == "full" else None,
            measure_judge=_judge_measure(config, base, count_tokens) if config.dose > 0 else None,
        )
        stats["diagnostics"] = {k: diagnostics[k] for k in ("kl_to_base", "param_change", "trait_scenarios_seen", "trait_share")}
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


def _judge_backend(config: TraitRLConfig, ledger: Ledger, base: str):
    """The chat backend that grades rubric lines; ``policy`` is the arm's starting model, loaded frozen."""
    judge = config.effective_judge
    if judge.kind == "offline" or config.reward != "rubric" or config.dose == 0:
        return None
    from study.judge_config import make_judge_backend

    if judge.kind == "policy":
        from study.backends.local import LocalBackend

        return LocalBackend(load_model(base), ledger, category="judge")
    return make_judge_backend(judge, ledger)


def _rollout_curve(rollouts: Path) -> pd.DataFrame:
    frame = pd.read_json(rollouts, lines=True) if rollouts.exists() and rollouts.stat().st_size else pd.DataFrame()
    return reward_curve(frame)


def _stream_stats(rollouts: Path, config: TraitRLConfig, stats: dict) -> dict:
    """What the trainer actually trained on: trait prompts (GRPO groups), distinct trait scenarios, their share."""
    frame = pd.read_json(rollouts, lines=True) if rollouts.exists() and rollouts.stat().st_size else pd.DataFrame(columns=["kind", "id"])
    trait = frame[frame["kind"] == "trait"]
    groups = len(frame) // config.num_generations
    trait_groups = len(trait) // config.num_generations
    return {"dose": config.dose, "steps": stats["steps"], "stopped_for_budget": stats["stopped_for_budget"],
            "prompts_trained": groups, "trait_prompts": trait_groups, "trait_scenarios_seen": int(trait["id"].nunique()),
            "trait_share": trait_groups / groups if groups else 0.0,
            "traits_seen": {str(k): int(v) // config.num_generations for k, v in trait["trait"].value_counts().items()}
            if "trait" in trait else {},
            "judge": judge_label(config), **group_spread(frame)}


def _judge_measure(config: TraitRLConfig, base: str, count_tokens):
    """Judge quality in its trait-RL role: does the rubric reward score a scenario's good answer above its bad one?"""
    from study.graders import GradeRequest
    from study.judging import judge_quality

    def measure(ledger: Ledger) -> dict:
        grader = MixReward(config, ledger, count_tokens, None, _judge_backend(config, ledger, base)).grader

        def prefers(scenarios) -> list[float]:
            grades = grader.grade([GradeRequest(prompt=s.conversation(), response=a, rubric=s.rubric, good=s.good, bad=s.bad)
                                   for s in scenarios for a in (s.good, s.bad)])
            return [1.0 if g.score > b.score else 0.0 if g.score < b.score else 0.5 for g, b in zip(grades[::2], grades[1::2])]

        return judge_quality(prefers, "rubric reward", ledger, count_tokens)

    return measure


def judge_label(config: TraitRLConfig) -> str:
    """What graded the trait rows: the judge's label, the generic ablation grader, or none (dose 0)."""
    if config.dose == 0:
        return "none (verifiable rewards only)"
    if config.reward == "generic":
        return "offline:helpfulness (generic-reward ablation)"
    return config.effective_judge.label


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
