"""plan → run → SIGKILL → resume → report on the tiny model; the resumed run equals an uninterrupted one."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

MICRO = Path(__file__).with_name("micro.yaml")
CMD = [sys.executable, "-m", "study.cli"]


def study(*args, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run(CMD + list(args), capture_output=True, text=True, cwd=cwd, timeout=900)


def run_and_kill_after(run_dir: Path, marker: str, delay: float) -> None:
    proc = subprocess.Popen(CMD + ["run", str(MICRO), "--run-dir", str(run_dir)], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True, start_new_session=True)
    for line in proc.stdout:
        if marker in line:
            time.sleep(delay)
            break
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL, "the run finished before it could be killed; move the kill point earlier"


def comparable(run_dir: Path) -> pd.DataFrame:
    return pd.read_parquet(run_dir / "items.parquet").sort_values(["arm", "seed", "benchmark", "condition", "item", "sample"]).reset_index(drop=True)


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory) -> Path:
    run_dir = tmp_path_factory.mktemp("straight") / "micro"
    result = study("run", str(MICRO), "--run-dir", str(run_dir))
    assert result.returncode == 0, result.stderr[-2000:]
    return run_dir


def test_plan_lists_cells_without_running(tmp_path):
    result = study("plan", str(MICRO), cwd=tmp_path)
    assert result.returncode == 0
    for cell in ("eval-base-s0", "attack-base-s0", "train-control-s0", "eval-control-s0", "train-constitution-s0",
                 "attack-constitution-s0", "train-trait-rl-s0", "eval-trait-rl-s0"):
        assert cell in result.stdout
    assert not any(tmp_path.iterdir())


def test_report_is_complete_and_budget_matched(uninterrupted):
    run = uninterrupted
    for name in ("manifest.json", "items.parquet", "report.html", "report.md", "stats/contrasts.csv", "stats/summary.csv"):
        assert (run / name).exists(), name
    manifest = json.loads((run / "manifest.json").read_text())
    assert manifest["config_hash"] and manifest["git"]["commit"] and manifest["packages"]["trl"]
    items = comparable(run)
    assert set(items["arm"]) == {"base", "control", "constitution", "trait-rl"}
    assert set(items["condition"]) == {"clean", "persona:reckless-medic", "persona:concise-tutor", "jailbreak:roleplay",
                                       "redteam:local:tiny", "finetune:0", "finetune:2"}
    per_arm = items.groupby(["condition", "benchmark", "item"])["arm"].nunique()
    assert (per_arm == 4).all(), "every arm is scored on the same items under every condition"
    contrasts = pd.read_csv(run / "stats" / "contrasts.csv")
    clean = contrasts[contrasts["condition"] == "clean"]
    assert len(clean) == items["benchmark"].nunique() * len(manifest["contrasts"])
    ledgers = [json.loads(p.read_text())["total_flops"] for p in (run / "ledgers").glob("*.json")]
    assert len(ledgers) == 3 and max(ledgers) / min(ledgers) <= 1.02
    report = (run / "report.md").read_text()
    for section in ("Limitations", "Compute", "Selective persistence", "Erosion"):
        assert section.lower() in report.lower(), section
    assert (run / "redteam.parquet").exists()


@pytest.mark.parametrize("marker,delay", [("[train-control-s0] start", 4.0), ("[train-constitution-s0] start", 3.0),
                                          ("[eval-control-s0] done", 0.0)])
def test_sigkill_then_resume_gives_the_same_table(tmp_path, uninterrupted, marker, delay):
    run_dir = tmp_path / "micro"
    run_and_kill_after(run_dir, marker, delay)
    assert not (run_dir / "report.md").exists()
    resumed = study("run", str(MICRO), "--run-dir", str(run_dir))
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    pd.testing.assert_frame_equal(comparable(run_dir), comparable(uninterrupted))
    assert not list((run_dir / "cells").glob(".*.partial"))


def test_single_cell_and_dependency_error(tmp_path):
    run_dir = tmp_path / "micro"
    result = study("run", str(MICRO), "--run-dir", str(run_dir), "--cell", "eval-control-s0")
    assert result.returncode == 2 and "needs train-control-s0 first" in result.stderr
    result = study("run", str(MICRO), "--run-dir", str(run_dir), "--cell", "eval-base-s0")
    assert result.returncode == 0
    assert (run_dir / "cells" / "eval-base-s0" / "done.json").exists()
    assert not (run_dir / "report.md").exists()


def test_compute_mismatch_fails_before_any_report(tmp_path):
    run_dir = tmp_path / "mismatch"
    result = study("run", str(MICRO.with_name("mismatch.yaml")), "--run-dir", str(run_dir))
    assert result.returncode == 2
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("error: seed 0: training arms spent") and "not compute-matched" in last
    assert not (run_dir / "report.md").exists() and not (run_dir / "stats").exists()
    assert not (run_dir / "cells" / "eval-big-steps-s0").exists(), "the check runs right after training, before more work"


def test_archive_carries_scores_not_text_and_a_resume_from_it_skips_every_cell(tmp_path, uninterrupted):
    archive = tmp_path / "partial"
    result = study("archive", str(MICRO), "--run-dir", str(uninterrupted), "--out", str(archive))
    assert result.returncode == 0, result.stderr[-2000:]
    note = json.loads((archive / "ARCHIVE.json").read_text())
    cells = {p.name for p in (uninterrupted / "cells").iterdir() if not p.name.startswith(".")}
    assert set(note["cells"]) == cells and note["pending"] == []
    assert not [p for p in archive.rglob("*") if p.suffix in (".safetensors", ".jsonl", ".bin")]
    for table in archive.rglob("*.parquet"):
        assert "response" not in pd.read_parquet(table).columns, table
    (archive / "README.md").write_text("notes about this run\n")
    assert study("archive", str(MICRO), "--run-dir", str(uninterrupted), "--out", str(archive)).returncode == 0
    assert (archive / "README.md").read_text() == "notes about this run\n", "re-archiving keeps the hand-written note"
    resumed_dir = tmp_path / "resumed"
    resumed = study("run", str(MICRO), "--run-dir", str(resumed_dir), "--resume-from", str(archive))
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    assert f"restored {len(cells)} finished cell(s)" in resumed.stdout and "] start" not in resumed.stdout
    pd.testing.assert_frame_equal(comparable(resumed_dir), comparable(uninterrupted).drop(columns="response"))
    assert (resumed_dir / "report.md").exists()


def test_archive_and_resume_refuse_bad_input_and_write_nothing(tmp_path, uninterrupted):
    result = study("archive", str(MICRO), "--run-dir", str(tmp_path), "--out", str(tmp_path / "out"))
    assert result.returncode == 2 and "no manifest.json" in result.stderr.strip().splitlines()[-1]
    other = study("archive", str(MICRO.with_name("mismatch.yaml")), "--run-dir", str(uninterrupted), "--out", str(tmp_path / "out"))
    assert other.returncode == 2 and "another config" in other.stderr
    assert not (tmp_path / "out").exists()
    archive = tmp_path / "partial"
    assert study("archive", str(MICRO), "--run-dir", str(uninterrupted), "--out", str(archive)).returncode == 0
    run_dir = tmp_path / "elsewhere"
    wrong = study("run", str(MICRO.with_name("mismatch.yaml")), "--run-dir", str(run_dir), "--resume-from", str(archive))
    assert wrong.returncode == 2 and "archived from another config" in wrong.stderr.strip().splitlines()[-1]
    assert not run_dir.exists()
    not_archive = study("run", str(MICRO), "--run-dir", str(run_dir), "--resume-from", str(tmp_path))
    assert not_archive.returncode == 2 and "not a cell archive" in not_archive.stderr
    assert not run_dir.exists()
