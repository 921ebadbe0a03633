"""Training diagnostics: the derived quantities, the did-not-move flag, and a real tiny-model run."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest
import torch

from study.diagnostics import KL_FLOOR, did_not_move, group_spread, param_change, probe_kl, probe_set, reward_curve, soft_label_histogram, trend


def test_trend_matches_hand_computed_ols():
    exact = trend([0, 1, 2, 3], [1.0, 3.0, 5.0, 7.0])
    assert exact["slope"] == pytest.approx(2.0) and exact["ci_low"] == pytest.approx(2.0) and exact["ci_high"] == pytest.approx(2.0)
    noisy = trend([0, 1, 2, 3], [0.0, 1.0, 1.0, 2.0])  # slope 0.6, residuals -.1 .3 -.3 .1, Sxx 5, t(0.975, 2) = 4.302653
    half = 4.302653 * math.sqrt((0.1 ** 2 + 0.3 ** 2 + 0.3 ** 2 + 0.1 ** 2) / 2 / 5)
    assert noisy["slope"] == pytest.approx(0.6) and noisy["ci_high"] - noisy["slope"] == pytest.approx(half, rel=1e-4)
    assert math.isnan(trend([0, 1], [0.0, 1.0])["slope"])


def test_reward_curve_and_histogram():
    rows = pd.DataFrame({"step": [0, 0, 1, 1], "kind": ["trait", "regular", "trait", "regular"], "reward": [0.2, 0.4, 0.6, 0.8]})
    curve = reward_curve(rows)
    assert set(curve["metric"]) == {"all", "trait", "regular"}
    assert curve[(curve.metric == "all") & (curve.step == 1)]["value"].item() == pytest.approx(0.7)
    hist = soft_label_histogram([0.05, 0.5, 0.55, 0.99])
    assert hist["counts"] == [1, 0, 0, 0, 0, 2, 0, 0, 0, 1] and len(hist["edges"]) == 11


def test_group_spread_counts_groups_without_an_advantage():
    rows = pd.DataFrame({"step": [0, 0, 1, 1, 2, 2], "id": ["a", "a", "b", "b", "c", "c"],
                         "reward": [0.2, 0.6, 0.5, 0.5, 0.0, 1.0]})
    spread = group_spread(rows)
    assert spread["rollout_groups"] == 3 and spread["zero_advantage_share"] == pytest.approx(1 / 3)
    assert spread["reward_sd_within_group"] == pytest.approx((0.2 + 0.0 + 0.5) / 3)
    assert group_spread(pd.DataFrame(columns=["step", "id", "reward"]))["reward_sd_within_group"] is None


def test_did_not_move_reasons():
    assert did_not_move({"kl_to_base": 1e-3, "param_change": 0.01, "dose": 0.05, "trait_scenarios_seen": 3, "steps": 10}) == []
    reasons = did_not_move({"kl_to_base": KL_FLOOR / 10, "param_change": 0.0, "dose": 0.05, "trait_scenarios_seen": 0, "steps": 0})
    assert len(reasons) == 4 and "below the floor" in reasons[0] and "0 trait scenarios" in reasons[2]
    assert did_not_move({"kl_to_base": None}) and "KL" in did_not_move({"kl_to_base": None})[0]


def test_param_change_and_kl_are_zero_for_the_same_model_and_positive_after_a_change(tiny):
    import copy

    other = copy.deepcopy(tiny.model)
    assert param_change(other, tiny.model) == 0.0
    assert probe_kl(other, tiny.model, tiny.tokenizer, probes=probe_set(2))["kl_to_base"] == 0.0
    with torch.no_grad():
        for p in other.parameters():
            p.mul_(1.1)
    assert param_change(other, tiny.model) == pytest.approx(0.1, rel=1e-4)
    assert probe_kl(other, tiny.model, tiny.tokenizer, probes=probe_set(2))["kl_to_base"] > 0


def test_probe_set_is_fixed_and_spans_traits():
    a, b = probe_set(), probe_set()
    assert a == b and len(a) == 12 and all(answer.strip() for _, answer in a)


def test_tiny_trait_rl_run_writes_diagnostics_and_changes_weights(tmp_path, tiny):
    from methods import get_method
    from methods.trait_rl import TraitRLConfig
    from study.compute import Ledger
    from study.models import load_model
    from study.training import TrainingSettings

    config = TraitRLConfig(dose=0.5, num_generations=2, max_completion_length=6, min_trait_scenarios=2,
                           training=TrainingSettings(max_steps=4, batch_size=2, learning_rate=1e-2))
    ck = get_method("trait-rl").train("tiny", config, Ledger(tiny.n_params_non_embedding, None), 0, tmp_path)
    diag = json.loads((tmp_path / "diagnostics.json").read_text())
    assert diag["steps"] == 4 and diag["trait_prompts"] == 2 and diag["trait_share"] == 0.5 and diag["trait_scenarios_seen"] == 2
    trained = load_model(str(ck.path)).model
    assert any(not torch.equal(a, b) for a, b in zip(tiny.model.parameters(), trained.parameters())), "training must change weights"
    assert diag["param_change"] > 0 and diag["kl_to_base"] >= 0 and diag["probes"] == 12
    assert set(diag["reward_trend"]) >= {"all", "trait", "regular"}
    assert diag["rollout_groups"] == 4 and 0 <= diag["zero_advantage_share"] <= 1 and diag["reward_sd_within_group"] >= 0
    assert diag["judge"] == "offline" and 0 <= diag["judge_quality"]["agreement_with_reference"] <= 1
    ledger = json.loads((tmp_path / "diagnostics_ledger.json").read_text())
    assert ledger["flops"]["score"] == pytest.approx(2 * 2 * ledger["params_non_embedding"] * diag["probe_tokens"])
    assert ck.stats["diagnostics"]["param_change"] == diag["param_change"]


def test_report_section_flags_an_arm_that_did_not_move(tmp_path):
    from study.report.diagnostics import diagnostics_sections
    from study.report.load import ReportData

    def write(arm, record, curve):
        d = tmp_path / "cells" / f"train-{arm}-s0" / "work"
        d.mkdir(parents=True)
        (d / "diagnostics.json").write_text(json.dumps(record))
        (d / "diagnostics_curve.json").write_text(json.dumps({"rows": curve}))

    curve = [{"step": s, "metric": "all", "value": 0.1 * s} for s in range(5)]
    write("trait-rl", {"method": "trait-rl", "kl_to_base": 2e-3, "param_change": 1e-3, "dose": 0.5, "trait_scenarios_seen": 9,
                       "trait_share": 0.5, "steps": 5, "judge": "offline", "reward_trend": {"all": trend(range(5), [0.1 * s for s in range(5)])}},
          curve)
    write("constitution", {"method": "constitution", "kl_to_base": 0.0, "param_change": 0.0, "steps": 0, "sl_steps": 0, "rl_steps": 0,
                           "pairs": 4, "pairs_kept": 0, "soft_labels": [0.5, 0.52, 0.49, 0.9], "judge": "policy", "reward_trend": {}}, [])
    (section,) = diagnostics_sections(ReportData(tmp_path, {}, {}, {}, {}))
    assert section.title == "Training diagnostics"
    table = next(b.table for b in section.blocks if b.kind == "table").set_index("arm")
    assert table.loc["trait-rl", "flag"] == "moved" and "below the floor" in table.loc["constitution", "flag"]
    assert table.loc["trait-rl", "trait scenarios (share)"] == "9 (50.0%)" and table.loc["constitution", "pairs kept"] == "0/4"
    assert "all: 0.1 [0.1, 0.1]" == table.loc["trait-rl", "reward slope/step [95% CI]"]
    assert any(b.kind == "figure" and b.figure.png.startswith(b"\x89PNG") for b in section.blocks)
    assert "did not move" in section.blocks[0].text and "constitution" in section.blocks[0].text


def test_train_cell_warns_and_records_when_the_arm_did_not_move(tmp_path, caplog):
    """run_train (every executor's training path) logs one warning per reason and stores them in the cell record."""
    from dataclasses import dataclass
    from types import SimpleNamespace

    from methods import Checkpoint, register_method
    from methods.registry import _METHODS
    from study.atomic import write_json
    from study.cells import run_train
    from study.plan import Cell

    @dataclass(frozen=True)
    class StillConfig:
        pass

    @register_method
    class StillMethod:
        """Trains nothing and says so in its diagnostics."""
        name = "still-test-method"
        config_class = StillConfig

        def estimate_min_flops(self, config, n_params):
            return 0.0

        def train(self, base, config, ledger, seed, workdir):
            (workdir / "checkpoint").mkdir(parents=True)
            write_json(workdir / "diagnostics.json", {"method": self.name, "kl_to_base": 0.0, "param_change": 0.0, "steps": 0})
            return Checkpoint(workdir / "checkpoint", "full", self.name, seed)

    try:
        arm = SimpleNamespace(name="still", method="still-test-method", config={})
        config = SimpleNamespace(arms=[arm], arm=lambda name: arm, judge=None, budget_flops=1e9, base_model="unused")
        runner = SimpleNamespace(config=config, n_params=lambda: 1000)
        with caplog.at_level("WARNING", logger="study.cells"):
            record = run_train(runner, Cell("train-still-s0", "train", "still", 0), tmp_path)
        assert len(record["did_not_move"]) == 3 and "below the floor" in record["did_not_move"][0]
        warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
        assert len(warnings) == 3 and all(w.startswith("arm still seed 0 did not move:") for w in warnings)
    finally:
        _METHODS.registered.pop("still-test-method")


def test_kl_floor_sits_above_bf16_rounding(embedded):
    """The did-not-move floor is justified by rounding the embedded model's weights to bf16 (docs/methods.md)."""
    import copy

    rounded = copy.deepcopy(embedded.model)
    with torch.no_grad():
        for p in rounded.parameters():
            p.copy_(p.to(torch.bfloat16).float())
    kl = probe_kl(rounded, embedded.model, embedded.tokenizer)["kl_to_base"]
    assert 1e-6 < kl < KL_FLOOR, f"bf16 rounding moved the probe KL by {kl:.2g}; the floor {KL_FLOOR:g} no longer sits above it"
