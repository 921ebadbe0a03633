"""`study launch cpu-ddp` runs one training cell on two CPU processes; only rank 0 writes the cell and renames it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
MICRO = ROOT / "tests" / "study" / "micro.yaml"


def test_two_process_training_cell_is_written_once(tmp_path):
    raw = yaml.safe_load(MICRO.read_text())
    raw["output_dir"] = str(tmp_path / "out")
    config = tmp_path / "micro.yaml"
    config.write_text(yaml.safe_dump(raw))
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "OMP_NUM_THREADS": "1"}
    cmd = [sys.executable, "-m", "study.cli", "launch", "cpu-ddp", str(config), "--cell", "train-control-s0"]
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, check=False, timeout=480)
    assert proc.returncode == 0, proc.stderr[-3000:]
    (run_dir,) = (tmp_path / "out").iterdir()
    cells = sorted(p.name for p in (run_dir / "cells").iterdir())
    assert cells == ["train-control-s0"]  # no partial directory left behind by either rank
    done = json.loads((run_dir / "cells" / "train-control-s0" / "done.json").read_text())
    stats = done["stats"]
    assert stats["stopped_for_budget"]
    # two ranks: every optimiser step sampled one prompt group per rank
    assert stats["sampled"]["regular"] == 2 * stats["steps"]
    ledger = json.loads((run_dir / "cells" / "train-control-s0" / "ledger.json").read_text())
    assert ledger["total_flops"] == done["total_flops"]
    assert (run_dir / "cells" / "train-control-s0" / "work" / "checkpoint" / "config.json").exists()
