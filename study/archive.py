"""Carry a long study's finished cells across machines and sessions without checkpoints or response text.

A study that takes CPU-hours outlives one session, and its run directory (checkpoints, generated responses)
is neither small enough nor safe enough to commit. ``archive_cells`` writes a committable copy of the
finished cells: every cell's JSON records (done.json, ledgers, diagnostics, train stats) and its parquet
tables with the text columns dropped (responses to harmful prompts are never carried). ``restore_cells``
seeds a run directory from such an archive, so ``study run CONFIG --run-dir DIR --resume-from ARCHIVE``
skips what is already done.

A training cell is archived only once every cell that loads its checkpoint is done too: a restored training
cell has no weights, so nothing after restore may need them.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd

from study.atomic import atomic_dir, atomic_path
from study.errors import ConfigError
from study.plan import Cell

TEXT_COLUMNS = frozenset({"response", "prompt", "completion", "attack", "transcript", "text", "messages"})
MODEL_FILES = ("*.safetensors", "*.bin", "*.pt", "*.gguf")
ARCHIVE_NOTE = "ARCHIVE.json"


def archivable(plan: list[Cell], done: set[str]) -> list[Cell]:
    """The finished cells an archive may hold: eval/attack cells that are done, and training cells whose dependants are all done."""
    dependants: dict[str, list[str]] = {}
    for cell in plan:
        for dep in cell.depends_on:
            dependants.setdefault(dep, []).append(cell.id)
    return [c for c in plan if c.id in done and (c.kind != "train" or all(d in done for d in dependants.get(c.id, [])))]


def _records(cell_dir: Path) -> list[Path]:
    """The cell's JSON records and parquet tables, outside model directories (weights, tokenizer files)."""
    model_dirs = {p.parent for pattern in MODEL_FILES for p in cell_dir.rglob(pattern)}
    out = []
    for path in sorted(cell_dir.rglob("*")):
        if not path.is_file() or path.suffix not in (".json", ".parquet"):
            continue
        if any(parent in model_dirs for parent in path.parents):
            continue
        out.append(path)
    return out


def _copy_record(src: Path, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    if src.suffix == ".parquet":
        table = pd.read_parquet(src)
        table = table.drop(columns=[c for c in table.columns if c in TEXT_COLUMNS])
        with atomic_path(dest) as tmp:
            table.to_parquet(tmp, index=False)
    else:
        shutil.copyfile(src, dest)


def archive_cells(run_dir: Path, plan: list[Cell], out: Path, config_hash: str) -> list[str]:
    """Write the archivable cells of ``run_dir`` to ``out`` (replacing it atomically); returns the archived cell ids."""
    run_dir, out = Path(run_dir), Path(out)
    manifest = run_dir / "manifest.json"
    if not manifest.exists():
        raise ConfigError(f"{run_dir} is not a study run (no manifest.json); pass the --run-dir of `study run`")
    theirs = json.loads(manifest.read_text()).get("config_hash")
    if theirs != config_hash:
        raise ConfigError(f"{run_dir} was run with another config (hash {str(theirs)[:8]}, this config {config_hash[:8]}); "
                          "pass the run's config and its --set overrides")
    cells_dir = run_dir / "cells"
    done = {c.id for c in plan if (cells_dir / c.id / "done.json").exists()}
    chosen = archivable(plan, done)
    if not chosen:
        raise ConfigError(f"{run_dir} has no finished cells to archive yet; run `study run` first")
    with atomic_dir(out) as staging:
        shutil.copyfile(manifest, staging / "manifest.json")
        for cell in chosen:
            src = cells_dir / cell.id
            for path in _records(src):
                _copy_record(path, staging / "cells" / cell.id / path.relative_to(src))
        note = {"config_hash": config_hash, "cells": [c.id for c in chosen],
                "pending": [c.id for c in plan if c not in chosen], "text_columns_dropped": sorted(TEXT_COLUMNS)}
        (staging / ARCHIVE_NOTE).write_text(json.dumps(note, indent=2) + "\n")
        if (out / "README.md").exists():  # a hand-written note about the run survives re-archiving
            shutil.copyfile(out / "README.md", staging / "README.md")
        shutil.rmtree(out, ignore_errors=True)
    return [c.id for c in chosen]


def restore_cells(archive: Path, run_dir: Path, config_hash: str) -> list[str]:
    """Copy the archive's cells that ``run_dir`` lacks into it; refuses an archive of another config. Returns the restored ids."""
    archive, run_dir = Path(archive), Path(run_dir)
    note_path = archive / ARCHIVE_NOTE
    if not note_path.exists():
        raise ConfigError(f"--resume-from {archive}: not a cell archive (no {ARCHIVE_NOTE}); write one with `study archive`")
    note = json.loads(note_path.read_text())
    if note.get("config_hash") != config_hash:
        raise ConfigError(f"--resume-from {archive}: archived from another config (hash {str(note.get('config_hash'))[:8]}, "
                          f"this config {config_hash[:8]}); pass the same config and --set overrides as the archived run")
    restored = []
    run_dir.mkdir(parents=True, exist_ok=True)
    if not (run_dir / "manifest.json").exists():
        shutil.copyfile(archive / "manifest.json", run_dir / "manifest.json")
    for cell_id in note["cells"]:
        dest = run_dir / "cells" / cell_id
        if (dest / "done.json").exists():
            continue
        shutil.rmtree(dest, ignore_errors=True)
        with atomic_dir(dest) as staging:
            shutil.copytree(archive / "cells" / cell_id, staging, dirs_exist_ok=True)
        restored.append(cell_id)
    return restored
