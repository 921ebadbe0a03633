"""``study launch ACCEL STUDY --cell train-...``: validate an accelerate config, then run one training cell under it.

Everything is checked before any process starts (the accelerate file against
this machine, the study config with its ``--set`` overrides, that the cell is
a training cell, that the launcher's mixed precision matches the arm's
``training.dtype``); then the command hands over to ``accelerate launch``, which
starts ``num_processes`` copies of ``study run STUDY --cell ...``.
"""

from __future__ import annotations

import dataclasses
import os
import sys
from pathlib import Path

from study.errors import ConfigError


def register(sub) -> None:
    p = sub.add_parser("launch", help="run one training cell under accelerate launch (DDP, DeepSpeed, FSDP), validated first")
    p.add_argument("accelerate_config", help="accelerate config file or shipped name (ddp, zero2, zero3, fsdp, cpu-ddp)")
    p.add_argument("config", help="study config: YAML path or shipped name")
    p.add_argument("--cell", required=True, help="the train cell to run (see `study plan`)")
    p.add_argument("--run-dir", type=Path, default=None)
    p.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY.PATH=VALUE")
    p.add_argument("--dry-run", action="store_true", help="validate and print the accelerate command without running it")
    p.set_defaults(func=launch)


def training_dtypes(method_config) -> set[str]:
    """Every ``training.dtype`` inside a method config (SFT/RL phases have one each)."""
    from study.training import TrainingSettings

    found = set()
    for f in dataclasses.fields(method_config):
        value = getattr(method_config, f.name)
        if isinstance(value, TrainingSettings):
            found.add(value.dtype)
    return found


def launch_command(args) -> list[str]:
    from methods import method_and_config
    from study.accelerate_config import load_accelerate_config, resolve_accelerate_config
    from study.commands.study_cmds import resolve_config
    from study.overrides import load_config
    from study.plan import build_plan

    config_path = resolve_config(args.config)
    config, _ = load_config(config_path, args.overrides)
    cells = {c.id: c for c in build_plan(config)}
    cell = cells.get(args.cell)
    if cell is None:
        raise ConfigError(f"--cell {args.cell!r} is not in the plan; run `study plan {args.config}` to list cell ids")
    if cell.kind != "train":
        raise ConfigError(f"--cell {args.cell} is not a train cell ({cell.kind}); only train cells run under accelerate (run it with `study run`)")
    arm = config.arm(cell.arm)
    _, method_config = method_and_config(arm.method, arm.config, f"arms[{config.arms.index(arm)}].config", config.judge)
    accel = load_accelerate_config(resolve_accelerate_config(args.accelerate_config), dtypes=training_dtypes(method_config))
    cmd = accelerate_launch_args(accel) + ["-m", "study.cli", "run", str(config_path), "--cell", args.cell]
    if args.run_dir is not None:
        cmd += ["--run-dir", str(args.run_dir)]
    for override in args.overrides:
        cmd += ["--set", override]
    return cmd


def accelerate_launch_args(accel) -> list[str]:
    """``accelerate launch`` with the validated file, or, for several CPU processes on this machine, its flags.

    Accelerate's launcher starts a ``MULTI_CPU`` config as one process per machine (several machines
    go through mpirun), so N local CPU processes are started with its torchrun-based launcher
    (``--multi_gpu``) instead; the trainer's ``use_cpu`` then puts them on the CPU with gloo.
    """
    launcher = [sys.executable, "-m", "accelerate.commands.launch"]
    if accel.distributed_type == "MULTI_CPU" and accel.num_processes > 1:
        return launcher + ["--multi_gpu", "--num_machines", "1", "--num_processes", str(accel.num_processes),
                           "--mixed_precision", accel.mixed_precision, "--dynamo_backend", "no", "--main_process_ip", "127.0.0.1"]
    return launcher + ["--config_file", str(accel.path)]


def launch(args) -> int:
    cmd = launch_command(args)
    print(" ".join(cmd))
    if args.dry_run:
        return 0
    sys.stdout.flush()
    os.execv(cmd[0], cmd)
    return 0  # pragma: no cover - execv does not return
