"""Reading a run directory and writing results atomically."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from study.errors import StudyError


class StatsInputError(StudyError):
    """The per-item table, manifest or a ledger cannot be analysed as it is."""


@dataclass(frozen=True)
class RunData:
    """Everything the analysis reads: the items table, manifest, ledgers, red-team table."""

    run_dir: Path
    items: pd.DataFrame
    manifest: dict
    ledgers: dict[str, dict]
    redteam: pd.DataFrame | None


def _typed_manifest(path: Path) -> dict:
    """The manifest, validated against :class:`study.manifest.Manifest` (what the analysis may rely on)."""
    from study.errors import StudyError
    from study.manifest import Manifest

    _read_json(path)  # missing file / bad JSON: this module's one-line errors
    try:
        return Manifest.load(path).model_dump(mode="json")
    except StudyError as exc:
        raise StatsInputError(str(exc)) from None


def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text())
    except FileNotFoundError:
        raise StatsInputError(f"{path}: file missing; the run directory needs it (see docs/contracts.md)") from None
    except json.JSONDecodeError as e:
        raise StatsInputError(f"{path}: invalid JSON at line {e.lineno}: {e.msg}") from None


def load_run(run_dir: Path) -> RunData:
    run_dir = Path(run_dir)
    if not run_dir.is_dir():
        raise StatsInputError(f"{run_dir}: run directory not found")
    items_path = run_dir / "items.parquet"
    if not items_path.exists():
        raise StatsInputError(f"{items_path}: per-item table missing; run the evaluation first")
    items = pd.read_parquet(items_path)
    manifest = _typed_manifest(run_dir / "manifest.json")
    ledgers = {p.stem: _read_json(p) for p in sorted((run_dir / "ledgers").glob("*.json"))}
    rt_path = run_dir / "redteam.parquet"
    redteam = pd.read_parquet(rt_path) if rt_path.exists() else None
    return RunData(run_dir, items, manifest, ledgers, redteam)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    from study.atomic import write_bytes

    write_bytes(path, data)


def atomic_write_text(path: Path, text: str) -> None:
    from study.atomic import write_text

    write_text(path, text)


def write_csv(path: Path, df: pd.DataFrame) -> None:
    atomic_write_text(path, df.to_csv(index=False))
