from __future__ import annotations

import json
import math
from collections import Counter

import pytest
import torch

from constitution import COMPARISON_ANSWER_PREFIX, load_constitution
from methods import get_method
from methods.constitution import ConstitutionConfig, ConstitutionMethod
from methods.constitution.data import split_prompts
from methods.constitution.feedback import Feedback, parse_choice, sample_principle_for, soft_label
from study.backends.base import OptionScore
from study.compute import Ledger
from study.errors import BudgetTooSmallError, ConfigError, DataError
from study.training import LoraSettings, TrainingSettings


def tiny_config(**overrides) -> ConstitutionConfig:
    base = dict(
        n_prompts=6, n_rl_prompts=6, max_new_tokens=10, critique_max_new_tokens=8, generation_batch_size=4,
        judge_both_orders=False, drop_uncertain=0.0, num_generations=2,
        sl_training=TrainingSettings(max_steps=3, batch_size=2, learning_rate=1e-3),
        rl_training=TrainingSettings(max_steps=3, batch_size=2, learning_rate=1e-3),
    )
    return ConstitutionConfig(**{**base, **overrides})


def read_jsonl(path):
    return [json.loads(line) for line in path.read_text().splitlines()]


# ----- config, registry, prompts -------------------------------------------------------------

def test_registry_builds_the_method():
    method = get_method("constitution")
    assert isinstance(method, ConstitutionMethod) and method.config_class is ConstitutionConfig


@pytest.mark.parametrize("bad,match", [
    ({"rounds": 5}, "rounds must be in 1..4"),
    ({"rounds": 0}, "rounds must be in 1..4"),
    ({"rl_algorithm": "ppo"}, "rl_algorithm must be 'dpo' or 'grpo'"),
    ({"helpful_mix": 1.0}, "helpful_mix must be in"),
    ({"sl_share": 1.5}, "sl_share must be in"),
    ({"sl_generation_share": 1.0}, "sl_generation_share must be in"),
    ({"beta": 0.0}, "beta must be > 0 for DPO"),
    ({"rl_temperature": 0.0}, "rl_temperature must be > 0"),
    ({"clamp": (0.6, 0.4)}, "clamp must be"),
    ({"clamp": (0.4, 0.6), "drop_uncertain": 0.1}, "would drop every pair"),
    ({"rl_algorithm": "grpo", "num_generations": 3}, "multiple of num_generations"),
    ({"n_prompts": 0}, "n_prompts must be >= 1"),
])
def test_config_errors(bad, match):
    with pytest.raises(ConfigError, match=match):
        ConstitutionConfig(**bad)


def test_config_parses_from_yaml_dict():
    from study.config_parse import from_dict

    cfg = from_dict(ConstitutionConfig, {"rounds": 2, "clamp": [0.4, 0.6], "rl_algorithm": "grpo", "num_generations": 2,
                                         "rl_training": {"batch_size": 4}}, "arms[0].config")
    assert cfg.clamp == (0.4, 0.6) and cfg.rl_training.batch_size == 4
    with pytest.raises(ConfigError, match="arms\\[0\\].config.rl_algorithm"):
        from_dict(ConstitutionConfig, {"rl_algorithm": "ppo"}, "arms[0].config")


def test_prompt_splits_are_disjoint_seeded_and_mixed():
    sl, rl = split_prompts(ConstitutionConfig(n_prompts=30, n_rl_prompts=20, helpful_mix=0.25), seed=3)
    assert len(sl.red_team) == 30 and len(rl.red_team) == 20 and len(sl.helpful) == 10 and len(rl.helpful) == 7
    assert not {r.id for r in sl.all} & {r.id for r in rl.all}
    again, _ = split_prompts(ConstitutionConfig(n_prompts=30, n_rl_prompts=20), seed=3)
    other, _ = split_prompts(ConstitutionConfig(n_prompts=30, n_rl_prompts=20), seed=4)
    assert [r.id for r in again.red_team] == [r.id for r in sl.red_team] != [r.id for r in other.red_team]
    with pytest.raises(ConfigError, match="exceeds the .* red-team prompts"):
        split_prompts(ConstitutionConfig(n_prompts=150, n_rl_prompts=150), seed=0)


def test_principle_sampling_is_uniformish_reproducible_and_covers_all():
    constitution = load_constitution()
    draws = [sample_principle_for(constitution, 0, f"p{i}:0").id for i in range(800)]
    counts = Counter(draws)
    assert set(counts) == set(constitution.principle_ids)
    expected = 800 / len(constitution.principles)
    assert max(counts.values()) < 2 * expected and min(counts.values()) > expected / 3
    assert draws == [sample_principle_for(constitution, 0, f"p{i}:0").id for i in range(800)]
    assert draws != [sample_principle_for(constitution, 1, f"p{i}:0").id for i in range(800)]


# ----- AI feedback: soft labels from option log-probs -------------------------------------------

class FakeScorer:
    """Scores "(A)"/"(B)" by which answer the comparison prompt shows in that slot.

    P(A) = 0.8 when the good answer is shown as (A), 0.3 otherwise (a position
    bias towards A on top of a content preference)."""

    name = "fake"

    def __init__(self):
        self.calls = []

    def generate(self, conversations, max_new_tokens=64, temperature=0.0, seed=0, top_p=1.0):
        raise AssertionError("a scoring backend must not be asked to generate a judgement")

    def score_options(self, conversations, options):
        self.calls.append((conversations, options))
        out = []
        for conv in conversations:
            body = conv[-1]["content"]
            p_a = 0.8 if "(A) GOOD" in body else 0.3
            out.append([OptionScore(math.log(p_a), 6), OptionScore(math.log(1 - p_a), 6)])
        return out


def test_soft_label_is_the_normalised_option_probability():
    assert soft_label(math.log(0.3), math.log(0.1)) == pytest.approx(0.75)
    assert soft_label(-1000.0, -1000.0) == pytest.approx(0.5)


def test_judge_uses_option_logprobs_and_debiases_position():
    constitution = load_constitution()
    principle = constitution.principles[0]
    ctx = [{"role": "user", "content": "Is the earth flat?"}]
    fake = FakeScorer()
    feedback = Feedback(fake)
    # good answer is x; shown as A (no swap) and as B (swap)
    one_order = feedback.judge([(principle, ctx, "GOOD", "BAD")] * 2, [False, True], both_orders=False)
    assert [j.order for j in one_order] == ["xy", "yx"]
    assert one_order[0].p_x == pytest.approx(0.8) and one_order[1].p_x == pytest.approx(1 - 0.3)
    conv, options = fake.calls[0][0][0], fake.calls[0][1][0]
    assert options == [COMPARISON_ANSWER_PREFIX + "A", COMPARISON_ANSWER_PREFIX + "B"]
    assert conv[-1]["role"] == "user" and principle.comparison_question in conv[-1]["content"]
    both = feedback.judge([(principle, ctx, "GOOD", "BAD")] * 2, [False, True], both_orders=True)
    assert all(j.p_x == pytest.approx((0.8 + 0.7) / 2) for j in both)
    assert both[0].p_a == pytest.approx((0.8, 0.3))
    clamped = feedback.judge([(principle, ctx, "GOOD", "BAD")], [False], both_orders=False, clamp=(0.4, 0.6))
    assert clamped[0].p_x == pytest.approx(0.6)


class FakeAPI:
    name = "api"

    def __init__(self, reply):
        self.reply = reply

    def generate(self, conversations, max_new_tokens=64, temperature=0.0, seed=0, top_p=1.0):
        return [self.reply for _ in conversations]


def test_api_judge_parses_a_hard_choice():
    assert [parse_choice(t) for t in ("(A)", "B is better", "The answer is: (B)", "neither")] == [1.0, 0.0, 0.0, 0.5]
    principle = load_constitution().principles[0]
    ctx = [{"role": "user", "content": "hi"}]
    judged = Feedback(FakeAPI("(A)")).judge([(principle, ctx, "x", "y")], [True], both_orders=False)
    assert judged[0].p_x == 0.0 and judged[0].order == "yx"  # y was shown as (A) and chosen


# ----- errors before any work -----------------------------------------------------------------

def test_bad_constitution_file_raises_the_loaders_error(tmp_path, tiny):
    bad = tmp_path / "bad.yaml"
    bad.write_text("document: hi\nprinciples: [\n")
    with pytest.raises(DataError, match="bad.yaml.*invalid YAML"):
        get_method("constitution").train("tiny", tiny_config(constitution_path=str(bad)), Ledger(tiny.n_params_non_embedding, 1e12), 0, tmp_path / "w")
    assert not (tmp_path / "w").exists()


def test_too_many_few_shot_examples_is_a_config_error(tmp_path, tiny):
    with pytest.raises(ConfigError, match="few_shot=50 .* lower few_shot"):
        get_method("constitution").train("tiny", tiny_config(few_shot=50), Ledger(tiny.n_params_non_embedding, 1e12), 0, tmp_path)


def test_budget_too_small_fails_before_work(tmp_path, tiny):
    method = get_method("constitution")
    config = tiny_config()
    n = tiny.n_params_non_embedding
    assert method.estimate_min_flops(config, n) > 0
    with pytest.raises(BudgetTooSmallError, match="cannot pay for one example and one optimiser step"):
        method.train("tiny", config, Ledger(n, 1e5), 0, tmp_path / "w")
    assert not (tmp_path / "w").exists()


# ----- end to end on the tiny model -----------------------------------------------------------

def test_dpo_run_end_to_end(tmp_path, tiny):
    from study.models import load_model

    n = tiny.n_params_non_embedding
    ledger = Ledger(n, 1e12)
    ck = get_method("constitution").train("tiny", tiny_config(), ledger, 0, tmp_path)
    sl, rl = ck.stats["phases"]["sl"], ck.stats["phases"]["rl"]
    assert sl["trained"] and sl["steps"] == 3 and rl["trained"] and rl["steps"] == 3 and rl["algorithm"] == "dpo"
    records = read_jsonl(tmp_path / "sl_data.jsonl")
    red = [r for r in records if r["kind"] == "red_team"]
    assert len(red) == 6 and len(records) == 8
    assert all(len(r["principle_ids"]) == len(r["critiques"]) == len(r["revisions"]) == 1 for r in red)
    assert all(r["target"] == r["initial"] and not r["principle_ids"] for r in records if r["kind"] == "helpful")
    prefs = read_jsonl(tmp_path / "preferences.jsonl")
    assert len(prefs) == 8 and {p["order"] for p in prefs} == {"xy", "yx"}
    for p in prefs:
        assert p["soft_label"] == pytest.approx(p["p_a_raw"][0])  # one order, no clamp: the raw option probability
        if not p["dropped"]:
            assert p["chosen"] == (p["A"] if p["soft_label"] > 0.5 else p["B"])
    assert rl["kept"] == sum(not p["dropped"] for p in prefs) > 0
    assert rl["flops"]["score"] > 0 and rl["flops"]["train"] > 0 and sl["flops"]["generate"] > 0
    assert ledger.total_flops == pytest.approx(sl["total_flops"] + rl["total_flops"])
    for name in ("config.json", "ledger.json", "sl_loss.png", "rl_curve.png", "train_stats.json"):
        assert (tmp_path / name).exists(), name
    base = [p.detach().clone() for p in tiny.model.parameters()]
    sl_model = load_model(str(ck.artifacts["sl_model"])).model
    final = load_model(str(ck.path)).model
    assert ck.kind == "full"
    assert any(not torch.equal(a, b) for a, b in zip(base, sl_model.parameters())), "SFT must change weights"
    assert any(not torch.equal(a, b) for a, b in zip(sl_model.parameters(), final.parameters())), "DPO must change weights"


def test_budget_splits_between_phases_and_stops_each(tmp_path, tiny):
    n = tiny.n_params_non_embedding
    config = tiny_config(n_prompts=24, n_rl_prompts=24, generation_batch_size=2,
                         sl_training=TrainingSettings(max_steps=500, batch_size=2, learning_rate=1e-3),
                         rl_training=TrainingSettings(max_steps=500, batch_size=2, learning_rate=1e-3))
    budget = 3 * get_method("constitution").estimate_min_flops(config, n)
    ledger = Ledger(n, budget)
    ck = get_method("constitution").train("tiny", config, ledger, 0, tmp_path)
    sl, rl = ck.stats["phases"]["sl"], ck.stats["phases"]["rl"]
    assert sl["prompts"] < 24 + 8 and rl["pairs"] < 24 + 8, "generation must stop at its share"
    assert sl["stopped_for_budget"] and 1 <= sl["steps"] < 500
    assert rl["stopped_for_budget"] and 1 <= rl["steps"] < 500
    step = rl["flops"]["train"] / rl["steps"] * (6 + 2) / 6
    assert sl["total_flops"] <= config.sl_share * budget + sl["flops"]["train"] / sl["steps"]
    assert ledger.total_flops <= budget + step


def test_grpo_with_lora_runs_and_checkpoint_loads(tmp_path, tiny):
    from study.models import load_model

    config = tiny_config(rl_algorithm="grpo", n_prompts=4, n_rl_prompts=4,
                         rl_training=TrainingSettings(max_steps=2, batch_size=2, learning_rate=1e-3, lora=LoraSettings(enabled=True, r=2)))
    ck = get_method("constitution").train("tiny", config, Ledger(tiny.n_params_non_embedding, 1e12), 0, tmp_path)
    rl = ck.stats["phases"]["rl"]
    assert rl["trained"] and rl["steps"] == 2 and rl["flops"]["score"] > 0  # the frozen SL model judged the rollouts
    judgements = read_jsonl(tmp_path / "grpo_judgements.jsonl")
    assert len(judgements) == 2 * 2 and all(0.0 <= j["reward"] <= 1.0 for j in judgements)
    assert ck.kind == "lora" and (ck.path / "adapter_config.json").exists()
    # the SL model is recorded relative to the adapter, so the checkpoint survives the cell's partial -> final rename
    assert json.loads((ck.path / "adapter_config.json").read_text())["base_model_name_or_path"] == "../sl_model"
    before = load_model(str(ck.path)).model
    moved = tmp_path.parent / f"{tmp_path.name}-moved"
    tmp_path.rename(moved)
    after = load_model(str(moved / ck.path.name)).model
    for (name, a), (_, b) in zip(before.state_dict().items(), after.state_dict().items()):
        assert torch.equal(a, b), name


def test_supervised_data_is_reproducible(tmp_path, tiny):
    config = tiny_config(sl_share=1.0, temperature=0.9, n_prompts=4, sl_training=TrainingSettings(max_steps=1, batch_size=2))
    n = tiny.n_params_non_embedding
    method = get_method("constitution")
    for name, seed in (("a", 5), ("b", 5), ("c", 6)):
        ck = method.train("tiny", config, Ledger(n, 1e12), seed, tmp_path / name)
    assert (tmp_path / "a" / "sl_data.jsonl").read_bytes() == (tmp_path / "b" / "sl_data.jsonl").read_bytes()
    assert (tmp_path / "a" / "sl_data.jsonl").read_bytes() != (tmp_path / "c" / "sl_data.jsonl").read_bytes()
    assert "rl" not in ck.stats["phases"] and not (tmp_path / "c" / "preferences.jsonl").exists()
    assert not (tmp_path / "c" / "sl_model").exists() and ck.kind == "full"


def test_revisions_that_repeat_the_critique_are_not_training_targets():
    from methods.constitution.sl_phase import usable_revision

    assert usable_revision("The answer flatters the user.", "Here is an honest answer.")
    assert not usable_revision("The answer flatters the user.", " The answer flatters the user. ")
    assert not usable_revision("critique", "   ")
