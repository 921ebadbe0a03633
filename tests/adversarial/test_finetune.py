"""The harmful fine-tuning attack treats every arm identically and really changes the weights."""

from __future__ import annotations

import json

import pytest
import torch

from study.attacks.erosion_data import load_attack_data, training_order
from study.attacks.finetune import finetune_attack
from study.compute import Ledger
from study.errors import ConfigError
from study.models import load_model
from study.training import TrainingSettings

SETTINGS = TrainingSettings(learning_rate=1e-2, batch_size=2, max_steps=1, max_length=128)


@pytest.fixture(scope="module")
def other_checkpoint(tmp_path_factory):
    """A second starting point: the tiny model with perturbed weights (a stand-in for another arm)."""
    loaded = load_model("tiny")
    torch.manual_seed(1)
    with torch.no_grad():
        for p in loaded.model.parameters():
            p.add_(0.05 * torch.randn_like(p))
    dest = tmp_path_factory.mktemp("arm") / "ckpt"
    loaded.model.save_pretrained(dest)
    loaded.tokenizer.save_pretrained(dest)
    return str(dest)


@pytest.fixture(scope="module")
def attacked(tmp_path_factory, other_checkpoint):
    out = {}
    for name, spec in (("tiny", "tiny"), ("other", other_checkpoint)):
        work = tmp_path_factory.mktemp(f"attack-{name}")
        ledger = Ledger(1000)
        out[name] = (spec, work, ledger, finetune_attack(spec, [0, 1, 3], work, seed=7, settings=SETTINGS, ledger=ledger))
    return out


def _seen(work):
    return [json.loads(x)["ids"] for x in (work / "seen.jsonl").read_text().splitlines()]


def test_same_data_order_for_different_starting_checkpoints(attacked):
    (_, w1, _, _), (_, w2, _, _) = attacked["tiny"], attacked["other"]
    seen1, seen2 = _seen(w1), _seen(w2)
    assert seen1 == seen2, "both arms must see the same examples in the same order"
    assert len(seen1) == 3 and all(len(b) == 2 for b in seen1), "3 steps x batch 2, one micro-batch per step"
    assert "?" not in {i for b in seen1 for i in b}
    stream = [json.loads(x)["id"] for x in (w1 / "stream.jsonl").read_text().splitlines()]
    assert [i for b in seen1 for i in b] == stream, "the trainer consumed the planned stream, in order"


def test_checkpoints_per_k_and_weights_change(attacked):
    spec, work, ledger, ckpts = attacked["tiny"]
    assert sorted(ckpts) == [0, 1, 3] and ckpts[0] == spec
    base = load_model(spec).model.state_dict()
    k1 = load_model(ckpts[1]).model.state_dict()
    k3 = load_model(ckpts[3]).model.state_dict()
    assert any(not torch.equal(base[n], k1[n]) for n in base), "k=1 weights must differ from the checkpoint"
    assert any(not torch.equal(k1[n], k3[n]) for n in base), "k=3 weights must differ from k=1"
    assert ledger.tokens["train"] > 0 and ledger.flops["train"] == pytest.approx(6 * 1000 * ledger.tokens["train"])
    stats = json.loads((work / "attack_stats.json").read_text())
    assert stats["trained_steps"] == 3 and stats["seed"] == 7


def test_same_ledger_charge_for_both_arms(attacked):
    assert attacked["tiny"][2].tokens["train"] == attacked["other"][2].tokens["train"]


def test_k0_only_is_a_no_op(tmp_path):
    assert finetune_attack("tiny", [0], tmp_path, seed=0, settings=SETTINGS) == {0: "tiny"}
    assert not any(tmp_path.iterdir())


def test_bad_steps():
    with pytest.raises(ConfigError, match="non-negative integers"):
        finetune_attack("tiny", [-1, 2], None, seed=0)
    with pytest.raises(ConfigError, match="non-negative integers"):
        finetune_attack("tiny", [], None, seed=0)


def test_training_order_depends_only_on_size_and_seed():
    n = len(load_attack_data())
    a, b = training_order(n, 400, 3), training_order(n, 400, 3)
    assert a == b and a != training_order(n, 400, 4)
    assert sorted(a[:n]) == list(range(n)), "each epoch is a permutation"
