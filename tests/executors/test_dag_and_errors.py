"""The driver loop (dependencies, bounded retries, no recomputation) and the executors' bad-input errors."""

from __future__ import annotations

import builtins
import os
import stat
import sys
from pathlib import Path

import pytest

from study.cli import main
from study.errors import ConfigError
from study.executors import CellFailedError, ExecutorConfig, get_executor, known_executors, register_executor
from study.executors.dag import run_dag
from study.plan import Cell

MICRO = Path(__file__).resolve().parents[1] / "study" / "micro.yaml"


class FakeRunner:
    """Just what run_dag reads: done markers, the run directory, the compute-match hook."""

    def __init__(self, run_dir: Path):
        self.run_dir = run_dir
        self.finished: set[str] = set()
        self.checked: list[int] = []

    def done(self, cell) -> bool:
        return cell.id in self.finished

    def done_id(self, cell_id: str) -> bool:
        return cell_id in self.finished

    def check_compute_match(self, ledgers) -> None:
        self.checked.append(ledgers)

    def train_ledgers(self, seed=None):
        return seed


class Handle:
    def __init__(self, cell, attempt, log):
        self.cell, self.attempt, self.log = cell, attempt, log


class FakePool:
    """Runs a cell when waited on; ``failures[id]`` attempts fail first (crash, or a user error if ``fatal``)."""

    def __init__(self, runner: FakeRunner, failures: dict[str, int] | None = None, fatal: bool = False):
        self.runner, self.failures, self.fatal = runner, dict(failures or {}), fatal
        self.submitted: list[tuple[str, int]] = []
        self.cancelled: list = []

    def submit(self, cell, attempt, log):
        for dep in cell.depends_on:
            assert self.runner.done_id(dep), f"{cell.id} submitted before {dep} finished"
        self.submitted.append((cell.id, attempt))
        return Handle(cell, attempt, str(log))

    def wait(self, handles, timeout):
        cell, attempt, log = handles[0].cell, handles[0].attempt, handles[0].log
        if self.failures.get(cell.id, 0) > attempt:
            return [(handles[0], {"ok": False, "retriable": not self.fatal, "error": "worker died", "log": log})]
        self.runner.finished.add(cell.id)
        return [(handles[0], {"ok": True, "log": log})]

    def cancel(self, handles):
        self.cancelled += handles


PLAN = [Cell("eval-base-s0", "eval", "base", 0), Cell("train-a-s0", "train", "a", 0),
        Cell("eval-a-s0", "eval", "a", 0, ("train-a-s0",)), Cell("attack-a-s0", "attack", "a", 0, ("train-a-s0", "eval-a-s0"))]


def test_cells_run_after_their_dependencies_and_train_cells_check_the_match(tmp_path):
    runner = FakeRunner(tmp_path)
    pool = FakePool(runner)
    run_dag(PLAN, runner, pool, ExecutorConfig(poll_seconds=0.01), echo=lambda _: None)
    assert [c for c, _ in pool.submitted] == ["eval-base-s0", "train-a-s0", "eval-a-s0", "attack-a-s0"]
    assert runner.finished == {c.id for c in PLAN} and runner.checked == [0]


def test_a_failing_cell_is_retried_then_reported_with_its_log(tmp_path):
    runner = FakeRunner(tmp_path)
    pool = FakePool(runner, failures={"eval-a-s0": 1})
    run_dag(PLAN, runner, pool, ExecutorConfig(max_retries=2, poll_seconds=0.01), echo=lambda _: None)
    assert ("eval-a-s0", 1) in pool.submitted and "eval-a-s0" in runner.finished

    runner = FakeRunner(tmp_path)
    pool = FakePool(runner, failures={"train-a-s0": 99})
    with pytest.raises(CellFailedError, match=r"cell train-a-s0 failed after 3 attempts: worker died; log: .*train-a-s0\.attempt3\.log"):
        run_dag(PLAN, runner, pool, ExecutorConfig(max_retries=2, poll_seconds=0.01), echo=lambda _: None)
    assert [a for c, a in pool.submitted if c == "train-a-s0"] == [0, 1, 2]
    assert "eval-a-s0" not in {c for c, _ in pool.submitted}, "nothing depending on a failed cell starts"


def test_a_user_error_in_a_cell_is_not_retried(tmp_path):
    runner = FakeRunner(tmp_path)
    pool = FakePool(runner, failures={"eval-base-s0": 1}, fatal=True)
    with pytest.raises(CellFailedError, match="after 1 attempt:"):
        run_dag(PLAN, runner, pool, ExecutorConfig(max_retries=2, poll_seconds=0.01), echo=lambda _: None)


def test_finished_cells_are_never_resubmitted(tmp_path):
    runner = FakeRunner(tmp_path)
    runner.finished |= {"eval-base-s0", "train-a-s0"}
    pool = FakePool(runner)
    run_dag(PLAN, runner, pool, ExecutorConfig(poll_seconds=0.01), echo=lambda _: None)
    assert [c for c, _ in pool.submitted] == ["eval-a-s0", "attack-a-s0"]


def test_missing_dependency_outside_the_selection_is_one_line(tmp_path):
    runner = FakeRunner(tmp_path)
    with pytest.raises(ConfigError, match="cell eval-a-s0 needs train-a-s0 first"):
        run_dag([PLAN[2]], runner, FakePool(runner), ExecutorConfig(poll_seconds=0.01), echo=lambda _: None)


def test_registry_knows_the_builtins_and_takes_third_parties():
    assert {"local", "ray", "slurm"} <= set(known_executors())
    with pytest.raises(ConfigError, match="executor.name 'dask' is unknown; known executors: local, ray, slurm"):
        ExecutorConfig(name="dask")

    @register_executor
    class Inline:
        name = "inline-test"

        def __init__(self, config):
            self.config = config

    assert isinstance(get_executor(ExecutorConfig(name="inline-test")), Inline)


def test_executor_config_is_validated_in_the_study_yaml(tmp_path, capsys):
    text = MICRO.read_text() + "\nexecutor: {name: ray, max_retries: 99}\n"
    (tmp_path / "s.yaml").write_text(text)
    assert main(["plan", str(tmp_path / "s.yaml")]) == 2
    assert "executor.max_retries must be in 0..10" in capsys.readouterr().err
    (tmp_path / "s.yaml").write_text(MICRO.read_text() + "\nexecutor: {name: ray, gpu: 1}\n")
    assert main(["plan", str(tmp_path / "s.yaml")]) == 2
    assert "executor: unknown field 'gpu'" in capsys.readouterr().err


def hide_module(monkeypatch, name: str) -> None:
    real_import = builtins.__import__

    def fake_import(module, *args, **kwargs):
        if module == name or module.startswith(name + "."):
            raise ImportError(f"No module named {name!r}")
        return real_import(module, *args, **kwargs)

    monkeypatch.delitem(sys.modules, name, raising=False)
    monkeypatch.setattr(builtins, "__import__", fake_import)


@pytest.mark.parametrize("executor,package,fix", [("ray", "ray", "pip install 'ray[default]'"), ("slurm", "submitit", "pip install submitit")])
def test_missing_engine_package_is_one_line_and_writes_nothing(tmp_path, monkeypatch, capsys, executor, package, fix):
    hide_module(monkeypatch, package)
    run_dir = tmp_path / "run"
    assert main(["run", str(MICRO), "--run-dir", str(run_dir), "--executor", executor]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and fix in err
    assert not run_dir.exists()


def fake_slurm_bin(tmp_path, monkeypatch, partitions: str, sbatch: bool) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    tools = {"sinfo": f"#!/bin/sh\nprintf '{partitions}'\n"}
    if sbatch:
        tools["sbatch"] = "#!/bin/sh\necho 'sbatch: error: invalid partition specified' >&2\nexit 1\n"
    for name, body in tools.items():
        (bin_dir / name).write_text(body)
        (bin_dir / name).chmod(stat.S_IRWXU)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")


def test_slurm_partition_that_does_not_exist(tmp_path, monkeypatch, capsys):
    pytest.importorskip("submitit")
    fake_slurm_bin(tmp_path, monkeypatch, "debug*\\ngpu\\n", sbatch=True)
    run_dir = tmp_path / "run"
    assert main(["run", str(MICRO), "--run-dir", str(run_dir), "--executor", "slurm", "--slurm-partition", "a100-big"]) == 2
    err = capsys.readouterr().err.strip()
    assert err == ("error: Slurm partition 'a100-big' does not exist (sinfo lists debug, gpu); "
                   "set executor.slurm_partition (or --slurm-partition) to one of them")
    assert not run_dir.exists()


def test_slurm_without_sbatch_names_the_fix(tmp_path, monkeypatch, capsys):
    pytest.importorskip("submitit")
    monkeypatch.setenv("PATH", str(tmp_path))  # no sinfo, no sbatch
    run_dir = tmp_path / "run"
    assert main(["run", str(MICRO), "--run-dir", str(run_dir), "--executor", "slurm"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "sbatch is not on PATH" in err and "slurm_cluster: local" in err
    assert not run_dir.exists()
