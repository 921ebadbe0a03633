"""The FLOP ledger under two processes (gloo on CPU) equals the one-process ledger of the same global batch."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BUDGET = 3e7  # about five GRPO steps of the tiny model (8 completions of 8 tokens per step)
TIMEOUT_S = 420


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _launch(out: Path, nproc: int, per_device_batch: int) -> dict[int, dict]:
    out.mkdir(parents=True)
    worker = ["-m", "tests.distributed.ledger_worker", str(out), str(per_device_batch), str(BUDGET)]
    if nproc == 1:
        cmd = [sys.executable, *worker]
    else:
        cmd = [sys.executable, "-m", "torch.distributed.run", "--nproc_per_node", str(nproc),
               "--master_addr", "127.0.0.1", "--master_port", str(_free_port()), *worker]
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "OMP_NUM_THREADS": "1"}
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, check=False, timeout=TIMEOUT_S)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return {r: json.loads((out / f"rank{r}.json").read_text()) for r in range(nproc)}


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    root = tmp_path_factory.mktemp("ledger")
    return {1: _launch(root / "one", 1, 8), 2: _launch(root / "two", 2, 4)}


def test_two_process_ledger_matches_one_process_within_one_percent(runs):
    one, two = runs[1][0]["ledger"], runs[2][0]["ledger"]
    assert runs[2][0]["world_size"] == 2
    assert two["total_flops"] == pytest.approx(one["total_flops"], rel=0.01)
    # trained tokens are gathered by the trainer: counted once, not once per rank
    assert two["tokens"]["train"] == pytest.approx(one["tokens"]["train"], rel=0.01)
    # judge tokens are charged on each rank for its own rollouts: only the all-reduce makes them global
    assert two["tokens"]["judge"] == pytest.approx(one["tokens"]["judge"], rel=0.1)


def test_both_ranks_stop_at_the_same_step_with_the_same_ledger(runs):
    ranks = runs[2]
    assert all(r["stopped_for_budget"] for r in ranks.values())
    assert ranks[0]["stopped_at_step"] == ranks[1]["stopped_at_step"] == ranks[0]["steps"] == ranks[1]["steps"]
    assert ranks[0]["ledger"] == ranks[1]["ledger"]
    assert ranks[0]["steps"] == runs[1][0]["steps"]
    assert ranks[0]["steps"] < 6  # the budget, not max_steps, ended training

