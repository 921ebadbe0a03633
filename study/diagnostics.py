"""Training diagnostics: did an arm's training move the model, and what did it train on?

Every method writes ``diagnostics.json`` beside its checkpoint through
:func:`write_diagnostics`. The quantities:

* **KL to the base model on a fixed probe set**: mean over answer tokens of
  the full-vocabulary KL(trained || base) of the next-token distribution, on
  :data:`PROBE_SIZE` held-out trait scenarios followed by their reference
  good answers (fixed text, so there is no sampling noise and two arms are
  measured on the same tokens). Both forward passes are charged to a separate
  ``score`` ledger saved as ``diagnostics_ledger.json`` (it is measurement,
  like evaluation, so it does not eat into the arm's training budget).
* **Parameter change**: relative L2 norm ``||theta - theta_0|| / ||theta_0||``
  over all parameters the two models share by name (a LoRA checkpoint is
  merged first).
* **Reward curve**: per-step mean reward with an OLS slope and its 95% CI
  (``scipy.stats.linregress``, t quantile with n - 2 degrees of freedom).
* **Group spread** (GRPO arms): mean within-group reward SD and the share of
  groups with identical rewards. GRPO's advantage is the reward minus its group
  mean, so a flat reward curve with a healthy spread means the signal was
  there and the optimiser did not follow it; a spread near 0 means there was
  no signal to follow.
* Method-specific counts (trait scenarios seen and their share of the
  stream; the constitution's revised-differs share, soft-label histogram and
  pairs kept) are passed in by the method.

:func:`did_not_move` turns a diagnostics record into reasons an arm should be
flagged; the runner warns with them and the report shows them.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd

from study.atomic import write_json
from study.compute import Ledger

PROBE_SIZE = 12
# Floor below which an arm counts as not moved, in nats per answer token: an arm must change the model's outputs
# more than rounding its weights to bf16 does (a perturbation every deployment makes, with no direction). Measured
# on the embedded model (docs/methods.md, "KL floor"; tests/diagnostics: test_kl_floor_sits_above_bf16_rounding):
# bf16 rounding gives 6.5e-5, Gaussian noise of 1e-3 x the mean |weight| 7.6e-5; the quick study's control after
# 58 GRPO steps at lr 2e-6 gave 2.2e-4. The floor is the rounding figure rounded up to 1e-4.
KL_FLOOR = 1e-4
SOFT_LABEL_BINS = 10


def probe_set(size: int = PROBE_SIZE) -> list[tuple[list[dict], str]]:
    """(conversation, reference answer) pairs: the first ``size`` held-out scenarios by id, one trait at a time."""
    from traits import load_scenarios

    by_trait: dict[str, list] = {}
    for s in sorted(load_scenarios(split="held_out"), key=lambda s: s.id):
        by_trait.setdefault(s.trait, []).append(s)
    picked, rank = [], 0
    while len(picked) < size and any(len(v) > rank for v in by_trait.values()):
        picked += [v[rank] for _, v in sorted(by_trait.items()) if len(v) > rank]
        rank += 1
    return [(s.conversation(), s.good) for s in picked[:size]]


def _probe_tensors(tokenizer, probes: Sequence[tuple[list[dict], str]]):
    """Token ids of each probe (chat-formatted prompt + answer) and the answer positions to measure."""
    seqs = []
    for conversation, answer in probes:
        prompt = tokenizer.apply_chat_template(conversation, add_generation_prompt=True, tokenize=True)
        prompt = list(prompt["input_ids"] if hasattr(prompt, "keys") else prompt)
        full = prompt + tokenizer(answer, add_special_tokens=False)["input_ids"]
        seqs.append((full, len(prompt)))
    return seqs


def probe_kl(trained, base, tokenizer, ledger: Ledger | None = None, probes=None) -> dict:
    """Mean and max per-probe KL(trained || base) over answer tokens, in nats per token."""
    import torch

    probes = probes if probes is not None else probe_set()
    per_probe, tokens = [], 0
    with torch.no_grad():
        for ids, start in _probe_tensors(tokenizer, probes):
            x = torch.tensor([ids], device=next(trained.parameters()).device)
            lp = torch.log_softmax(trained(x).logits[0, start - 1 : -1].float(), dim=-1)
            lq = torch.log_softmax(base(x.to(next(base.parameters()).device)).logits[0, start - 1 : -1].float().to(lp.device), dim=-1)
            kl = (lp.exp() * (lp - lq)).sum(-1).clamp_min(0.0)
            per_probe.append(float(kl.mean()))
            tokens += len(ids)
    if ledger is not None:
        ledger.charge_forward("score", tokens, params=_non_embedding(trained))
        ledger.charge_forward("score", tokens, params=_non_embedding(base))
    return {"kl_to_base": float(np.mean(per_probe)), "kl_max_probe": float(np.max(per_probe)), "probes": len(per_probe),
            "probe_tokens": tokens}


def param_change(trained, base) -> float:
    """Relative L2 distance of the weights, ``||theta - theta_0|| / ||theta_0||``, over parameters shared by name."""
    import torch

    base_params = dict(base.named_parameters())
    diff = ref = 0.0
    with torch.no_grad():
        for name, p in trained.named_parameters():
            q = base_params.get(name)
            if q is None or q.shape != p.shape:
                continue
            diff += float((p.detach().float().cpu() - q.detach().float().cpu()).pow(2).sum())
            ref += float(q.detach().float().cpu().pow(2).sum())
    return math.sqrt(diff / ref) if ref else float("nan")


def _non_embedding(model) -> int:
    from study.models import non_embedding_params

    return non_embedding_params(model)


def movement(base_spec: str, checkpoint: str | Path, trained=None) -> tuple[dict, Ledger]:
    """KL on the probe set and parameter change of ``checkpoint`` (or the in-memory ``trained``) against ``base_spec``.

    Returns the measurements and the ledger the probe passes were charged to.
    """
    from study.models import load_model

    base = load_model(base_spec)
    ledger = Ledger(base.n_params_non_embedding)
    model = trained if trained is not None else load_model(str(checkpoint)).model
    was_training = model.training
    model.eval()
    try:
        out = probe_kl(model, base.model, base.tokenizer, ledger)
        out["param_change"] = param_change(model, base.model)
    finally:
        model.train(was_training)
    return out, ledger


def trend(steps: Sequence[float], values: Sequence[float]) -> dict:
    """OLS slope of ``values`` over ``steps`` with a 95% CI; NaN when fewer than 3 distinct steps."""
    from scipy import stats

    x, y = np.asarray(steps, dtype=float), np.asarray(values, dtype=float)
    keep = np.isfinite(x) & np.isfinite(y)
    x, y = x[keep], y[keep]
    if len(np.unique(x)) < 3:
        return {"slope": float("nan"), "ci_low": float("nan"), "ci_high": float("nan"), "p": float("nan"), "n": int(len(x)),
                "first": float(y[0]) if len(y) else float("nan"), "last": float(y[-1]) if len(y) else float("nan")}
    fit = stats.linregress(x, y)
    half = float(stats.t.ppf(0.975, len(x) - 2) * fit.stderr)
    return {"slope": float(fit.slope), "ci_low": float(fit.slope - half), "ci_high": float(fit.slope + half),
            "p": float(fit.pvalue), "n": int(len(x)), "first": float(y[0]), "last": float(y[-1])}


def reward_curve(frame: pd.DataFrame) -> pd.DataFrame:
    """Per-step mean reward (``step``, ``metric``, ``value``) from rollout rows (``step``, ``kind``, ``reward``), plus ``all``."""
    if frame.empty:
        return pd.DataFrame(columns=["step", "metric", "value"])
    by_kind = frame.groupby(["step", "kind"], as_index=False)["reward"].mean().rename(columns={"kind": "metric", "reward": "value"})
    overall = frame.groupby("step", as_index=False)["reward"].mean().rename(columns={"reward": "value"}).assign(metric="all")
    return pd.concat([overall[["step", "metric", "value"]], by_kind], ignore_index=True)


def group_spread(frame: pd.DataFrame) -> dict:
    """How much learning signal GRPO's rollout groups carried: the mean within-group reward SD, and the share of
    groups whose rewards were all equal (zero advantage, so no policy gradient from that prompt).

    A group is one prompt's completions in one step: rollout rows sharing ``step`` and ``id``.
    """
    if frame.empty:
        return {"reward_sd_within_group": None, "zero_advantage_share": None, "rollout_groups": 0}
    sd = frame.groupby(["step", "id"])["reward"].std(ddof=0)
    return {"reward_sd_within_group": float(sd.mean()), "zero_advantage_share": float((sd < 1e-6).mean()), "rollout_groups": int(len(sd))}


def soft_label_histogram(labels: Sequence[float], bins: int = SOFT_LABEL_BINS) -> dict:
    """Counts of soft labels (P(A)) in ``bins`` equal bins over [0, 1]."""
    counts, edges = np.histogram(np.asarray(labels, dtype=float), bins=bins, range=(0.0, 1.0))
    return {"edges": [round(float(e), 4) for e in edges], "counts": [int(c) for c in counts]}


def write_diagnostics(workdir: Path, base_spec: str, checkpoint: Path, method: str, curve: pd.DataFrame,
                      extra: dict, trained=None, measure_judge=None) -> dict:
    """Measure movement, fit the reward trend, and write ``diagnostics.json`` (+ its ledger) in ``workdir``.

    ``measure_judge(ledger)``, when given, measures the arm's judge (:func:`study.judging.judge_quality`) and is
    charged to the same diagnostics ledger.
    """
    moved, ledger = movement(base_spec, checkpoint, trained)
    trends = {m: trend(g["step"], g["value"]) for m, g in curve.groupby("metric")} if not curve.empty else {}
    record = {"method": method, **moved, "reward_trend": trends, **extra}
    if measure_judge is not None:
        record["judge_quality"] = measure_judge(ledger)
    write_json(workdir / "diagnostics.json", _finite(record))
    write_json(workdir / "diagnostics_curve.json", {"rows": curve.to_dict(orient="records")})
    ledger.save(workdir / "diagnostics_ledger.json")
    return record


def _finite(obj):
    """JSON has no NaN: store it as None."""
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, dict):
        return {k: _finite(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_finite(v) for v in obj]
    return obj


def load_diagnostics(train_dir: Path) -> dict | None:
    """The diagnostics record of a finished training cell (searched under its work directory), or None."""
    found = sorted(Path(train_dir).glob("**/diagnostics.json"))
    if not found:
        return None
    record = json.loads(found[0].read_text())
    curve_path = found[0].with_name("diagnostics_curve.json")
    record["_curve"] = json.loads(curve_path.read_text())["rows"] if curve_path.exists() else []
    return record


def did_not_move(diagnostics: dict, kl_floor: float = KL_FLOOR) -> list[str]:
    """Reasons the arm's training did not measurably move the model (empty when it did)."""
    reasons = []
    kl = diagnostics.get("kl_to_base")
    if kl is None or kl < kl_floor:
        reasons.append(f"KL to the base model on the probe set is {kl if kl is None else f'{kl:.2g}'} nats/token, below the floor {kl_floor:g}")
    change = diagnostics.get("param_change")
    if change is not None and change == 0:
        reasons.append("no parameter changed (relative L2 change 0)")
    if (diagnostics.get("dose") or 0) > 0 and not diagnostics.get("trait_scenarios_seen"):
        reasons.append(f"dose {diagnostics['dose']} but the trainer saw 0 trait scenarios")
    if diagnostics.get("steps") == 0:
        reasons.append("no optimiser step ran")
    if diagnostics.get("method") == "constitution" and diagnostics.get("pairs_kept") == 0 and diagnostics.get("rl_steps", 0) == 0 \
            and diagnostics.get("sl_steps", 0) == 0:
        reasons.append("neither phase trained (0 SFT steps, 0 preference pairs kept)")
    return reasons
