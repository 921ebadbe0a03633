"""Constitution self-critique: the SL phase, then the RL phase, on one FLOP budget."""

from __future__ import annotations

import logging
import shutil
import time
from dataclasses import asdict
from pathlib import Path

from constitution import load_constitution
from methods.base import Checkpoint
from methods.constitution.budget import Allowance, capped, max_flops, min_budget, rl_min_flops, rl_pair_tokens, sl_example_tokens, sl_min_flops
from methods.constitution.config import ConstitutionConfig
from methods.constitution.data import split_prompts
from methods.constitution.diagnostics import constitution_diagnostics, judge_measure, training_curve
from methods.constitution.feedback import Feedback
from methods.constitution.sizes import Sizes, check_context, measure
from study.atomic import write_json, write_jsonl
from study.compute import FORWARD_FLOPS_PER_PARAM_TOKEN, Ledger
from study.curves import history_frame, write_curves
from study.diagnostics import write_diagnostics
from study.errors import BudgetTooSmallError, ConfigError
from study.models import load_model

log = logging.getLogger(__name__)


class ConstitutionMethod:
    name = "constitution"
    config_class = ConstitutionConfig

    @staticmethod
    def judge_label(config: ConstitutionConfig) -> str:
        return config.effective_judge.label

    def estimate_min_flops(self, config: ConstitutionConfig, n_params: int) -> float:
        return min_budget(config, sl_min_flops(config, n_params), rl_min_flops(config, n_params))

    def estimate_max_flops(self, config: ConstitutionConfig, n_params: int) -> tuple[float, str]:
        """The most this config can spend (all its prompts and every optimiser step), and the fields that bound it."""
        return max_flops(config, n_params), "sl_training.max_steps / rl_training.max_steps (or n_prompts / n_rl_prompts)"

    def train(self, base: str, config: ConstitutionConfig, ledger: Ledger, seed: int, workdir: Path) -> Checkpoint:
        from transformers import set_seed

        constitution = load_constitution(config.constitution_path)
        if config.few_shot > len(constitution.few_shot):
            raise ConfigError(f"few_shot={config.few_shot} but the constitution at {constitution.source} has {len(constitution.few_shot)} few-shot example(s); lower few_shot")
        sl_prompts, rl_prompts = split_prompts(config, seed)
        set_seed(seed)
        loaded = load_model(base, for_training=True)
        n = loaded.n_params_non_embedding
        sizes = measure(loaded.tokenizer, constitution, sl_prompts.all + rl_prompts.all, config)
        check_context(sizes, config, getattr(loaded.model.config, "max_position_embeddings", None))
        need = min_budget(
            config, sl_min_flops(config, n, sizes.prompt_tokens, sizes.shot_tokens, sizes.request_tokens),
            rl_min_flops(config, n, sizes.prompt_tokens, sizes.comparison_tokens),
        )
        if not ledger.can_afford(need):
            raise BudgetTooSmallError(
                f"{self.name}: budget {ledger.budget_flops:.3g} FLOPs (remaining {ledger.remaining():.3g}) cannot pay for one example and one "
                f"optimiser step in each phase (~{need:.3g}); raise budget_flops or lower max_new_tokens/rounds/few_shot/batch_size"
            )
        workdir.mkdir(parents=True, exist_ok=True)
        write_json(workdir / "config.json", {"method": self.name, "base": base, "seed": seed, "config": asdict(config),
                                             "constitution": str(constitution.source)})
        external, judge = _feedback(config, ledger, loaded.tokenizer)
        run = _Run(config, constitution, ledger, seed, workdir, sizes, external, judge)
        remaining, start = ledger.remaining(), ledger.total_flops
        model, tok, source = loaded.model, loaded.tokenizer, base
        if config.sl_share > 0:
            cap = start + config.sl_share * remaining if remaining != float("inf") else None
            with capped(ledger, cap):
                model, source = run.supervised(loaded, sl_prompts, base)
        if config.sl_share < 1:
            loaded = model = None  # the RL phase reloads the SL model from disk; free this copy
            model = run.reinforcement(rl_prompts, source)
        from study.training import save_checkpoint  # heavy: not at config load

        kind = save_checkpoint(model, tok, workdir / "checkpoint")
        if kind == "full" and not config.keep_sl_model and (workdir / "sl_model").exists():
            shutil.rmtree(workdir / "sl_model")
        ledger.save(workdir / "ledger.json")
        stats = {"phases": run.phases, "total_flops": ledger.total_flops, "budget_flops": ledger.budget_flops}
        judge_model = str(workdir / "sl_model") if (workdir / "sl_model").exists() else base
        diagnostics = write_diagnostics(workdir, base, workdir / "checkpoint", self.name, training_curve(workdir),
                                        constitution_diagnostics(workdir, run.phases, config), trained=model if kind == "full" else None,
                                        measure_judge=judge_measure(config, constitution, seed, judge_model, tok))
        stats["diagnostics"] = {k: diagnostics.get(k) for k in ("kl_to_base", "param_change", "pairs_kept", "revised_differs_share")}
        write_json(workdir / "train_stats.json", stats)
        artifacts = {k: workdir / f for k, f in (("config", "config.json"), ("ledger", "ledger.json"), ("sl_data", "sl_data.jsonl"),
                                                  ("preferences", "preferences.jsonl"), ("grpo_judgements", "grpo_judgements.jsonl"),
                                                  ("sl_loss", "sl_loss.png"), ("rl_curve", "rl_curve.png"), ("sl_model", "sl_model"),
                                                  ("stats", "train_stats.json"))
                     if (workdir / f).exists()}
        return Checkpoint(path=workdir / "checkpoint", kind=kind, method=self.name, seed=seed, artifacts=artifacts, stats=stats)


class _Run:
    """One training run's phases; records per-phase FLOPs, seconds and counts in ``phases``."""

    def __init__(self, config, constitution, ledger: Ledger, seed: int, workdir: Path, sizes: Sizes, external: Feedback | None,
                 judge: Feedback | None = None):
        self.config, self.constitution, self.ledger, self.seed, self.workdir = config, constitution, ledger, seed, workdir
        self.sizes, self.external = sizes, external
        self.rl_judge = judge or external  # None: the policy (the frozen SL model) judges
        self.phases: dict[str, dict] = {}

    def supervised(self, loaded, prompts, base: str):
        """Returns (model to continue from, its loadable spec for the RL phase)."""
        from methods.constitution.sl_phase import generate_sl_data, sft_rows, train_sft
        from study.backends.local import LocalBackend

        cfg, ledger, t0, before = self.config, self.ledger, time.perf_counter(), dict(self.ledger.flops)
        policy = LocalBackend(loaded, ledger)
        feedback = self.external or Feedback(policy)
        prior = sl_example_tokens(cfg, self.sizes.prompt_tokens, self.sizes.shot_tokens, self.sizes.request_tokens) * FORWARD_FLOPS_PER_PARAM_TOKEN * loaded.n_params_non_embedding
        allowance = Allowance(ledger, cfg.sl_generation_share * ledger.remaining() if ledger.budget_flops is not None else None, prior)
        records = generate_sl_data(prompts, policy, feedback, self.constitution, cfg, self.seed, allowance)
        write_jsonl(self.workdir / "sl_data.jsonl", records)
        gen_seconds = time.perf_counter() - t0
        result = train_sft(loaded, sft_rows(records), cfg, ledger, self.seed, self.workdir / "sft_trainer")
        red = [r for r in records if r["kind"] == "red_team"]
        self.phases["sl"] = {
            "prompts": len(records), "red_team": len(red), "helpful": len(records) - len(red),
            "revised_differs": sum(r["target"] is not None and r["target"].strip() != r["initial"].strip() for r in red),
            "principles": sorted({p for r in red for p in r["principle_ids"]}),
            **_training_stats(result), "generation_seconds": round(gen_seconds, 2),
            **_delta(before, ledger.flops), "seconds": round(time.perf_counter() - t0, 2),
        }
        if result is None:
            return loaded.model, base
        trainer = result[0]
        _curves(trainer, ["loss"], self.workdir / "sl_loss", "SL-CAI: SFT loss")
        if self.config.sl_share == 1:
            return trainer.model, base
        model = trainer.model.merge_and_unload() if hasattr(trainer.model, "merge_and_unload") else trainer.model
        from study.training import save_checkpoint  # heavy: not at config load

        save_checkpoint(model, loaded.tokenizer, self.workdir / "sl_model")
        return model, str(self.workdir / "sl_model")

    def reinforcement(self, prompts, source: str):
        """RL from the SL model saved at ``source``; returns the model to save (the SL one if RL could not run).

        The policy is loaded from disk so DPO can load its reference model from the same path.
        """
        from methods.constitution.rl_phase import dpo_rows, generate_pairs, reference_answers, train_dpo, train_grpo
        from study.backends.local import LocalBackend

        cfg, ledger, t0, before = self.config, self.ledger, time.perf_counter(), dict(self.ledger.flops)
        loaded = load_model(source, for_training=True)
        policy = LocalBackend(loaded, ledger)
        n = loaded.n_params_non_embedding
        budget = cfg.rl_generation_share * ledger.remaining() if ledger.budget_flops is not None else None
        stats: dict = {}
        if cfg.rl_algorithm == "dpo":
            feedback = self.rl_judge or Feedback(policy)
            prior = rl_pair_tokens(cfg, self.sizes.prompt_tokens, self.sizes.comparison_tokens) * FORWARD_FLOPS_PER_PARAM_TOKEN * n
            records = generate_pairs(prompts, policy, feedback, self.constitution, cfg, self.seed, Allowance(ledger, budget, prior))
            write_jsonl(self.workdir / "preferences.jsonl", records)
            rows = dpo_rows(records)
            stats.update(pairs=len(records), kept=len(rows), soft_targets=cfg.soft_targets, position_swapped=sum(r["order"] == "yx" for r in records),
                         chose_a=sum(r["soft_label"] > 0.5 for r in records if not r["dropped"]))
            result = train_dpo(loaded, rows, cfg, ledger, self.seed, self.workdir / "rl_trainer")
            keys = ["loss", "rewards/margins", "rewards/accuracies"]
        else:
            from methods.constitution.grpo_reward import ConstitutionReward

            feedback = self.rl_judge or Feedback(LocalBackend(load_model(source), ledger))  # the frozen SL model judges
            prior = (self.sizes.prompt_tokens + cfg.max_new_tokens) * FORWARD_FLOPS_PER_PARAM_TOKEN * n
            rows = reference_answers(prompts, policy, cfg, self.seed, Allowance(ledger, budget, prior))
            log_path = self.workdir / "grpo_judgements.jsonl"
            log_path.unlink(missing_ok=True)
            reward = ConstitutionReward(feedback, self.constitution, cfg, self.seed, log_path)
            stats.update(prompts=len(rows))
            result = train_grpo(loaded, rows, reward, cfg, ledger, self.seed, self.workdir / "rl_trainer")
            keys = ["loss", "reward"]
        self.phases["rl"] = {"algorithm": cfg.rl_algorithm, **stats, **_training_stats(result), **_delta(before, ledger.flops),
                             "seconds": round(time.perf_counter() - t0, 2)}
        if result is None:
            return loaded.model
        _curves(result[0], keys, self.workdir / "rl_curve", f"RL-CAI: {cfg.rl_algorithm.upper()}")
        return result[0].model


def _feedback(config: ConstitutionConfig, ledger: Ledger, tokenizer) -> tuple[Feedback | None, Feedback | None]:
    """(chat judge that also writes critiques, judge of the preference labels); None means the policy does it."""
    judge = config.effective_judge
    if judge.kind in ("local", "api"):
        from study.judge_config import make_judge_backend

        external = Feedback(make_judge_backend(judge, ledger), top_logprobs=judge.top_logprobs)
        return external, external
    if judge.kind == "offline":
        from methods.constitution.offline_feedback import OfflineFeedback

        return None, OfflineFeedback(ledger, lambda text: len(tokenizer(text, add_special_tokens=False)["input_ids"]))
    return None, None


def _training_stats(result) -> dict:
    if result is None:
        return {"steps": 0, "trained": False, "stopped_for_budget": False}
    trainer, callback = result
    return {"steps": trainer.state.global_step, "trained": trainer.state.global_step > 0, "stopped_for_budget": callback.stopped_for_budget}


def _delta(before: dict[str, float], after: dict[str, float]) -> dict:
    flops = {k: after[k] - before[k] for k in after}
    return {"flops": flops, "total_flops": sum(flops.values())}


def _curves(trainer, keys: list[str], stem: Path, title: str) -> None:
    frame = history_frame(trainer.state.log_history, keys)
    write_curves(frame, stem.with_suffix(".csv"), stem.with_suffix(".png"), title)
