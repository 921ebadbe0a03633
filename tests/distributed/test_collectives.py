"""Ledger reduction and broadcast on a real two-process gloo group (no model: seconds)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch.multiprocessing as mp

from study import distributed
from study.compute import Ledger


def _worker(rank: int, init_file: str, out: str) -> None:
    import torch.distributed as dist

    dist.init_process_group("gloo", init_method=f"file://{init_file}", rank=rank, world_size=2)
    try:
        ledger = Ledger(100, budget_flops=1e6)
        ledger.charge_forward("generate", 10)  # replicated work before the step: identical on both ranks
        mark = ledger.mark()
        ledger.charge_forward("judge", 3 + rank, params=50)  # rank-local work of the step
        ledger.charge_api(1 + rank, 2)
        ledger.reduce_since(mark)
        stop = distributed.broadcast_flag(rank == 0)  # rank 0 decides
        record = {"rank": distributed.rank(), "main": distributed.is_main_process(), "world": distributed.world_size(),
                  "ledger": ledger.to_dict(), "stop": stop}
        Path(out, f"r{rank}.json").write_text(json.dumps(record))
    finally:
        dist.destroy_process_group()


def test_reduce_since_sums_rank_local_charges_once_and_broadcast_takes_rank_zero(tmp_path):
    ctx = mp.get_context("spawn")
    procs = [ctx.Process(target=_worker, args=(r, str(tmp_path / "init"), str(tmp_path))) for r in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=120)
        assert p.exitcode == 0
    r0, r1 = (json.loads((tmp_path / f"r{r}.json").read_text()) for r in range(2))
    assert r0["ledger"] == r1["ledger"]
    led = r0["ledger"]
    assert led["tokens"]["generate"] == 10  # replicated before the mark: once
    assert led["tokens"]["judge"] == 3 + 4
    assert led["flops"]["judge"] == 2 * 50 * 7
    assert led["api_tokens"] == {"input": 1 + 2, "output": 4}
    assert r0["stop"] is True and r1["stop"] is True
    assert (r0["main"], r1["main"], r0["world"]) == (True, False, 2)


def test_single_process_collectives_are_identity(monkeypatch):
    monkeypatch.delenv("RANK", raising=False)
    monkeypatch.delenv("WORLD_SIZE", raising=False)
    ledger = Ledger(100)
    mark = ledger.mark()
    ledger.charge_train(5)
    ledger.reduce_since(mark)
    assert ledger.tokens["train"] == 5
    assert distributed.is_main_process() and not distributed.is_distributed()
    assert distributed.broadcast_flag(False) is False


@pytest.mark.parametrize("rank,main", [("0", True), ("1", False), ("3", False)])
def test_rank_from_launcher_environment_before_a_group_exists(monkeypatch, rank, main):
    monkeypatch.setenv("RANK", rank)
    monkeypatch.setenv("WORLD_SIZE", "4")
    assert distributed.is_main_process() is main
    assert distributed.world_size() == 4
