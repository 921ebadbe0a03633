"""One way to score a model and one way to attack it: the study's cells and ``study eval`` / ``study attack`` call these.

* :func:`evaluate_model`: the shared battery under every item condition, plus the
  red-teaming loop when the settings hold a ``redteam`` condition;
* :func:`attack_model`: the harmful fine-tuning attack at every k, each attacked
  checkpoint re-scored by :func:`evaluate_model` as condition ``finetune:<k>``.

The model spec is a local one (built-in name, directory, hub id) or a **served
policy**, ``openai-compatible:<model>@<base_url>`` (a checkpoint behind ``vllm
serve`` or ``llama-cpp-python``'s server; :mod:`study.backends.served`): it is
evaluated and red-teamed through the server, its tokens metered as API tokens.
The fine-tuning attack needs the weights, so it refuses a served spec.

All compute goes to the ledger the caller passes.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

import pandas as pd

from study.attacks.config import FinetuneAttackConfig, RedteamConfig
from study.compute import Ledger
from study.errors import ConfigError
from study.evaluate import EvalSettings, count_eval_items, evaluate

CleanRows = Callable[[EvalSettings], "pd.DataFrame | None"]
SERVED_PREFIX = "openai-compatible:"


def is_served(spec: str) -> bool:
    return spec.startswith(SERVED_PREFIX)


def require_weights(spec: str) -> None:
    """The fine-tuning attack trains the model: a served policy (weights behind a URL) cannot be attacked that way."""
    if is_served(spec):
        raise ConfigError(f"model {spec}: the fine-tuning attack trains the weights, which a served policy does not expose; "
                          "give the checkpoint's local directory (red-teaming works through the server: study attack redteam)")


def served_policy(spec: str, ledger: Ledger | None):
    """(backend, ledger) of a served policy; the ledger's parameter count comes from the served model's name."""
    from study.backends import parse_backend_spec
    from study.backends.factory import make_backend
    from study.model_size import model_size

    parsed = parse_backend_spec(spec, "--model")
    if ledger is None:
        try:
            size = model_size(parsed.model)
        except ConfigError:
            raise ConfigError(f"--model {spec}: cannot size the served model {parsed.model!r}; serve it under a known id "
                              "(e.g. smollm2-135m-instruct, a hub id in study/model_size.py) or a local checkpoint path") from None
        ledger = Ledger(size.non_embedding)
    return make_backend(parsed, ledger, where=f"served policy {parsed.model} at {parsed.base_url}"), ledger


@dataclass
class Evaluation:
    table: pd.DataFrame                # per-item rows (docs/contracts.md)
    redteam_curves: pd.DataFrame | None  # cumulative success per (behaviour, query), when red-teamed
    ledger: Ledger                     # what the evaluation cost


def evaluate_model(spec: str, settings: EvalSettings, *, run: str, arm: str, seed: int, ledger: Ledger | None, workdir: Path,
                   redteam: RedteamConfig | None = None, attack_seed: int = 0, label: str | None = None) -> Evaluation:
    """Score the model ``spec`` on ``settings``' battery (and red-team it if a ``redteam`` condition is listed).

    ``ledger=None`` opens a ledger for the loaded model (returned in the result)."""
    from study.backends.local import LocalBackend
    from study.models import load_model
    from study.progress import progress_bar
    from study.tokens import token_counter

    if settings.redteam_condition is not None and redteam is None:
        raise ConfigError(f"evaluation.conditions has {settings.redteam_condition.name!r} but attacks.redteam is not configured")
    if is_served(spec):
        backend, ledger = served_policy(spec, ledger)
    elif settings.backend == "vllm":
        from study.backends.vllm_engine import VLLMBackend

        if ledger is None:
            from study.model_size import model_size

            ledger = Ledger(model_size(spec).non_embedding)  # from config.json: the weights load once, in vLLM
        backend = VLLMBackend(spec, ledger, dtype=settings.dtype)
    else:
        loaded = load_model(spec, dtype=settings.dtype, device=settings.device)
        ledger = ledger if ledger is not None else Ledger(loaded.n_params_non_embedding)
        backend = LocalBackend(loaded, ledger)
    with progress_bar(label or f"eval {arm} s{seed}", count_eval_items(settings)) as advance:
        table = evaluate(backend, settings, run=run, arm=arm, seed=seed, ledger=ledger,
                         count_tokens=token_counter(backend.tokenizer), progress=advance)
    curves = None
    if settings.redteam_condition is not None:
        from study.attacks.redteam import run_redteam_condition

        curves, rows = run_redteam_condition(backend, settings, redteam, run, arm, seed, ledger, workdir, attack_seed=attack_seed)
        table = pd.concat([table, rows], ignore_index=True)
    return Evaluation(table, curves, ledger)


def attack_eval_settings(evaluation: EvalSettings, attack: FinetuneAttackConfig) -> EvalSettings:
    """What each attacked checkpoint is scored on, clean: the attack's benchmarks (default: the evaluated trait benchmarks,
    so that every attacked score has the clean score of the same benchmark beside it)."""
    from study.attacks.finetune import trait_benchmarks

    return replace(evaluation, conditions=["clean"], benchmarks=attack.benchmarks or trait_benchmarks(evaluation.specs()),
                   items_per_benchmark=attack.items_per_benchmark or evaluation.items_per_benchmark)


def attack_model(spec: str, attack: FinetuneAttackConfig, evaluation: EvalSettings, *, run: str, arm: str, seed: int,
                 ledger: Ledger, workdir: Path, attack_seed: int = 0, clean_rows: CleanRows | None = None,
                 on_scored: Callable[[int, pd.DataFrame], None] | None = None) -> pd.DataFrame:
    """Fine-tune ``spec`` toward harm for every k of ``attack.steps`` and score each k as ``finetune:<k>``.

    k = 0 is the model itself: ``clean_rows(settings)`` may return rows already
    scored clean on exactly those items (the study's eval cell), which are reused
    instead of generating the same greedy answers twice. Attacked weights are
    deleted once scored. ``attack_seed`` and ``attack.training`` must be the same
    for every arm: that is what makes the attack identical.
    """
    from study.attacks.finetune import finetune_attack

    require_weights(spec)
    settings = attack_eval_settings(evaluation, attack)
    checkpoints = finetune_attack(spec, list(attack.steps), Path(workdir) / "attack", seed=attack_seed, settings=attack.training,
                                  ledger=ledger)
    tables = []
    for k in sorted(checkpoints):
        table = clean_rows(settings) if (k == 0 and clean_rows is not None) else None
        if table is None:
            table = evaluate_model(checkpoints[k], settings, run=run, arm=arm, seed=seed, ledger=ledger, workdir=workdir,
                                   label=f"attack {arm} s{seed} k={k}").table
        table["condition"] = f"finetune:{k}"
        tables.append(table)
        if on_scored is not None:
            on_scored(k, table)
        if k:
            shutil.rmtree(checkpoints[k], ignore_errors=True)
    return pd.concat(tables, ignore_index=True)
