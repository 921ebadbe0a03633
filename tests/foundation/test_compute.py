from __future__ import annotations

import json

import pytest

from study.compute import Ledger, match_ratio
from study.errors import BudgetExceededError, BudgetTooSmallError, DataError


def test_hand_computed_counts():
    ledger = Ledger(params_non_embedding=1_000_000, budget_flops=1e12)
    assert ledger.charge_train(100) == 6e8
    assert ledger.charge_forward("generate", 50) == 1e8
    assert ledger.charge_forward("score", 10) == 2e7
    assert ledger.charge_forward("judge", 10, params=5_000_000) == 1e8
    ledger.charge_api(30, 7)
    assert ledger.flops == {"train": 6e8, "generate": 1e8, "score": 2e7, "judge": 1e8}
    assert ledger.tokens == {"train": 100, "generate": 50, "score": 10, "judge": 10}
    assert ledger.total_flops == pytest.approx(8.2e8)
    assert ledger.remaining() == pytest.approx(1e12 - 8.2e8)
    assert ledger.api_tokens == {"input": 30, "output": 7}


def test_budget_checks():
    ledger = Ledger(10, budget_flops=1000)
    assert ledger.can_afford(1000) and not ledger.can_afford(1001)
    ledger.charge_train(10)  # 600
    with pytest.raises(BudgetExceededError, match="needs 600 FLOPs but only 400"):
        ledger.require(600, "one optimiser step")
    assert Ledger(10).remaining() == float("inf")
    with pytest.raises(BudgetTooSmallError, match="budget_flops must be positive"):
        Ledger(10, budget_flops=0)


def test_bad_categories_and_counts():
    ledger = Ledger(10)
    with pytest.raises(ValueError, match="forward category"):
        ledger.charge_forward("train", 1)
    with pytest.raises(ValueError, match="non-negative"):
        ledger.charge_train(-1)


def test_roundtrip_and_corrupt_file(tmp_path):
    ledger = Ledger(10, budget_flops=1e6)
    ledger.charge_train(3)
    ledger.charge_api(4, 5)
    ledger.save(tmp_path / "l.json")
    data = json.loads((tmp_path / "l.json").read_text())
    assert data["total_flops"] == 180.0 and data["flops"]["train"] == 180.0
    assert Ledger.load(tmp_path / "l.json").to_dict() == ledger.to_dict()
    (tmp_path / "bad.json").write_text("{oops")
    with pytest.raises(DataError, match="bad.json unreadable"):
        Ledger.load(tmp_path / "bad.json")


def test_match_ratio():
    a, b = Ledger(10), Ledger(10)
    a.charge_train(100)
    b.charge_train(102)
    assert match_ratio({"a": a, "b": b}) == pytest.approx(1.02)
    assert match_ratio({"a": a, "c": Ledger(10)}) == float("inf")
