from __future__ import annotations

import json
from collections import Counter

import pytest
import torch

from methods import get_method, known_methods
from methods.trait_rl import TraitRLConfig
from methods.trait_rl.config import ControlConfig
from methods.trait_rl.mix import build_stream
from methods.trait_rl.rewards import MixReward
from study.compute import Ledger
from study.errors import BudgetTooSmallError, ConfigError, UnknownNameError
from study.training import TrainingSettings
from traits import load_scenarios


def test_registry_lists_builtins_and_rejects_unknown():
    assert {"constitution", "trait-rl", "control"} <= set(known_methods())
    with pytest.raises(UnknownNameError, match="unknown method 'rlhf'.*control.*trait-rl"):
        get_method("rlhf")


@pytest.mark.parametrize("dose,n", [(0.0, 200), (0.05, 200), (0.25, 40), (1.0, 10)])
def test_dose_is_exact(dose, n):
    stream = build_stream(n, dose, seed=1)
    assert len(stream) == n
    assert Counter(r.kind for r in stream)["trait"] == round(dose * n)


@pytest.mark.parametrize("dose,batch", [(0.05, 1), (0.25, 4), (0.5, 2), (0.3, 10), (0.05, 20), (1 / 3, 3), (0.125, 4)])
def test_dose_exact_in_every_prefix_batch_and_period(dose, batch):
    """Every prefix of m prompts holds floor(m * dose) trait rows; every batch (or dose period) the exact share."""
    from fractions import Fraction

    from methods.trait_rl.dose import dose_fraction

    n = 240
    kinds = [r.kind == "trait" for r in build_stream(n, dose, seed=3)]
    frac = dose_fraction(dose)
    for m in range(n + 1):
        assert sum(kinds[:m]) == m * frac.numerator // frac.denominator
    period = frac.denominator // __import__("math").gcd(frac.denominator, batch) * batch  # prompts per dose period
    for start in range(0, n - period + 1, period):
        assert Fraction(sum(kinds[start:start + period]), period) == frac
    if (batch * frac).denominator == 1:  # whole number of trait prompts per batch: exact in every batch
        assert {sum(kinds[s:s + batch]) for s in range(0, n, batch)} == {batch * frac.numerator // frac.denominator}


def test_budget_stop_mid_stream_still_sees_its_dose():
    """The defect of the first quick study: a budget stop after 59 of 200 steps saw 1 trait scenario at dose 0.05."""
    kinds = [r.kind for r in build_stream(200, 0.05, seed=0)]
    assert kinds[:59].count("trait") == 2 and kinds[:20].count("trait") == 1


def small_config(**kw):
    base = dict(dose=0.25, num_generations=2, max_completion_length=6,
                training=TrainingSettings(max_steps=100, batch_size=2, learning_rate=1e-3))
    return TraitRLConfig(**{**base, **kw})


def test_trait_scenarios_seen_counts_the_budgeted_steps():
    from methods.trait_rl.dose import affordable_steps, trait_scenarios_seen
    from methods.trait_rl.method import step_flops

    config = small_config(prompts_per_step=2, num_generations=2, training=TrainingSettings(max_steps=100, batch_size=4))
    n = 1_000_000
    step = step_flops(config, n)
    assert affordable_steps(config, 30.5 * step, n) == 30 and trait_scenarios_seen(config, 30.5 * step, n) == 15
    assert trait_scenarios_seen(config, None, n) == 50  # max_steps bounds an unbudgeted arm
    assert trait_scenarios_seen(small_config(dose=0.0), None, n) == 0


def test_minimum_trait_scenarios_refused_before_work(tmp_path, tiny):
    from methods.trait_rl.method import step_flops

    config = small_config(dose=0.05)  # 100 steps x 1 prompt -> 5 trait scenarios < 20
    with pytest.raises(ConfigError, match=r"sees about 5 trait scenarios .* below min_trait_scenarios=20"):
        get_method("trait-rl").train("tiny", config, Ledger(tiny.n_params_non_embedding, 1e15), 0, tmp_path / "w")
    assert not (tmp_path / "w").exists() or not any((tmp_path / "w").iterdir())
    assert step_flops(config, 1) > 0


@pytest.mark.parametrize("dose,steps,batch,match", [
    (0.3, 2, 4, r"dose 0.3 cannot be honoured at 4 prompt\(s\) per step: an exact share needs 5 steps but the arm runs about 2"),
    (0.001, 50, 1, r"needs 1000 steps but the arm runs about 50"),
])
def test_dose_not_honourable_at_batch_size(dose, steps, batch, match):
    from methods.trait_rl.dose import check_dose

    config = small_config(dose=dose, prompts_per_step=batch, min_trait_scenarios=0,
                          training=TrainingSettings(max_steps=steps, batch_size=2 * batch))
    with pytest.raises(ConfigError, match=match):
        check_dose(config, None, 1000)


def test_dose_with_huge_denominator_is_a_config_error():
    with pytest.raises(ConfigError, match="not a fraction with denominator <= 1000"):
        TraitRLConfig(dose=0.1234567)


def test_stream_is_deterministic_and_uses_train_split_only():
    a, b = build_stream(100, 0.3, seed=7), build_stream(100, 0.3, seed=7)
    assert [r.id for r in a] == [r.id for r in b]
    held_out = {s.id for s in load_scenarios(split="held_out")}
    assert not held_out & {r.id for r in a if r.kind == "trait"}
    assert [r.id for r in a] != [r.id for r in build_stream(100, 0.3, seed=8)]


def test_domain_filters():
    only_health = build_stream(60, 1.0, seed=0, domains=["healthcare"])
    assert {json.loads(r.payload)["domain"] for r in only_health} == {"healthcare"}
    no_health_science = build_stream(60, 1.0, seed=0, exclude_domains=["healthcare", "science"])
    assert not {json.loads(r.payload)["domain"] for r in no_health_science} & {"healthcare", "science"}


class CountingGrader:
    name = "fake"

    def __init__(self):
        self.requests = []

    def grade(self, requests):
        from study.graders import Grade

        self.requests.extend(requests)
        return [Grade(score=0.25, detail={}) for _ in requests]


def test_reward_calls_grader_for_trait_rows_and_checkers_for_regular(monkeypatch):
    stream = build_stream(8, 0.5, seed=0)
    reward = MixReward(TraitRLConfig(), None, len)
    fake = CountingGrader()
    reward.grader = fake
    rows = [r.as_record() for r in stream]
    completions = [[{"role": "assistant", "content": "A perfectly ordinary answer with several words."}] for _ in rows]
    out = reward([r["prompt"] for r in rows], completions, kind=[r["kind"] for r in rows], payload=[r["payload"] for r in rows], id=[r["id"] for r in rows])
    trait_rows = [i for i, r in enumerate(rows) if r["kind"] == "trait"]
    assert len(fake.requests) == len(trait_rows) == 4
    assert all(out[i] == 0.25 for i in trait_rows)
    assert fake.requests[0].rubric and fake.requests[0].good
    assert all(0.0 <= out[i] <= 1.0 for i in range(8) if i not in trait_rows)


def test_generic_reward_switch_uses_helpfulness_grader():
    assert MixReward(TraitRLConfig(reward="generic"), None, len).grader.name == "helpfulness"
    assert MixReward(TraitRLConfig(), None, len).grader.name == "rubric-offline"


@pytest.mark.parametrize("bad,match", [
    ({"dose": 1.5}, "dose must be in"),
    ({"num_generations": 1}, "num_generations must be >= 2"),
    ({"grader": "llm-judge"}, "needs judge_backend"),
    ({"domains": ["law"], "exclude_domains": ["science"]}, "either domains or exclude_domains"),
])
def test_config_errors(bad, match):
    with pytest.raises(ConfigError, match=match):
        TraitRLConfig(**bad)


def test_control_refuses_trait_data(tmp_path, tiny):
    with pytest.raises(ConfigError, match="control: dose must be 0"):
        get_method("control").train("tiny", ControlConfig(dose=0.05), Ledger(tiny.n_params_non_embedding, 1e12), 0, tmp_path)


def test_budget_too_small_fails_before_work(tmp_path, tiny):
    with pytest.raises(BudgetTooSmallError, match="cannot pay for one GRPO step"):
        get_method("trait-rl").train("tiny", TraitRLConfig(), Ledger(tiny.n_params_non_embedding, 1e3), 0, tmp_path)
    assert not (tmp_path / "checkpoint").exists()


def small(dose, steps=40):
    return TraitRLConfig(dose=dose, num_generations=2, max_completion_length=6, min_trait_scenarios=0,
                         training=TrainingSettings(max_steps=steps, batch_size=2, learning_rate=1e-3))


def test_trait_rl_and_control_train_and_stop_on_budget(tmp_path, tiny):
    n = tiny.n_params_non_embedding
    for name, config, budget in (("trait-rl", small(0.25), 2e9), ("control", ControlConfig(**{**small(0.0).__dict__}), 2e6)):
        ledger = Ledger(n, budget_flops=budget)
        before = [p.detach().clone() for p in tiny.model.parameters()]
        ck = get_method(name).train("tiny", config, ledger, 0, tmp_path / name)
        assert ck.stats["stopped_for_budget"] and 1 <= ck.stats["steps"] < 40
        biggest_step = ledger.total_flops / ck.stats["steps"] * 3
        assert ledger.total_flops <= budget + biggest_step / 2
        assert ck.kind == "full" and (ck.path / "config.json").exists()
        assert ck.artifacts["rollouts"].exists() and (tmp_path / name / "ledger.json").exists()
        assert (tmp_path / name / "reward_curve.png").exists()
        from study.models import load_model

        trained = load_model(str(ck.path)).model
        # The random tiny model's regular replies all score 0 (too short), so a control group has no
        # advantage signal; the rubric grader's continuous scores do move trait-RL's weights.
        assert name == "control" or any(not torch.equal(a, b) for a, b in zip(before, trained.parameters())), "training must change weights"
        sampled = ck.stats["sampled"]
        stream = [json.loads(line) for line in (tmp_path / name / "stream.jsonl").read_text().splitlines()]
        expected_trait = sum(r["kind"] == "trait" for r in stream[: ck.stats["steps"]])
        assert sampled.get("trait", 0) == expected_trait
        if name == "control":
            assert expected_trait == 0
