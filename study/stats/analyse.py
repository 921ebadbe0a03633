"""The whole analysis of one run directory, written to ``stats/*.csv``."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from study.stats.bootstrap import run_bootstrap
from study.stats.contrasts import contrast_pairs
from study.stats.io import StatsInputError, load_run, write_csv
from study.stats.panel import build_panel
from study.stats.registry import AnalysisContext, statistics
from study.stats.validate import validate_items

# The built-in tables (every registered statistic adds its own; the report reads every stats/*.csv).
TABLES = ("summary", "contrasts", "aggregates", "nonrefusal", "refusal", "power", "persistence",
          "persistence_diff", "erosion", "erosion_auc", "asr", "dose")


@dataclass
class AnalysisResult:
    """All statistics tables of a run; ``tables[name]`` is written to ``stats/<name>.csv``."""

    run_dir: Path
    tables: dict[str, pd.DataFrame]
    settings: dict = field(default_factory=dict)

    def __getattr__(self, name: str) -> pd.DataFrame:
        tables = self.__dict__.get("tables", {})
        if name in tables:
            return tables[name]
        raise AttributeError(name)

    def write(self) -> list[Path]:
        out = []
        for name, df in self.tables.items():
            path = self.run_dir / "stats" / f"{name}.csv"
            write_csv(path, df)
            out.append(path)
        settings = pd.DataFrame([{"key": k, "value": str(v)} for k, v in self.settings.items()])
        write_csv(self.run_dir / "stats" / "settings.csv", settings)
        return out


def analyse(run_dir: Path, rng_seed: int = 0, n_boot: int = 10000, min_effect: float = 0.05,
            alpha: float = 0.05, power: float = 0.8, write: bool = True) -> AnalysisResult:
    """Validate the run's per-item table and compute every statistic the report shows.

    ``rng_seed`` seeds the one ``numpy.random.Generator`` every resampling step
    draws from (same seed, same numbers); ``n_boot`` is the number of bootstrap
    replicates and of sign-flip permutations; ``min_effect`` is the smallest
    difference worth detecting (power flags and verdicts use it).
    """
    if n_boot < 100:
        raise StatsInputError(f"n_boot={n_boot} is too few bootstrap replicates; use at least 100 (10000 for a report)")
    t0 = time.perf_counter()
    run = load_run(Path(run_dir))
    df = validate_items(run.items, run.manifest, str(run.run_dir / "items.parquet"))
    panel = build_panel(df)
    rng = np.random.default_rng(rng_seed)
    pairs = contrast_pairs(run.manifest, set(panel.seeds))
    ctx = AnalysisContext(run, df, panel, run_bootstrap(panel, rng, n_boot), pairs, rng, n_boot, min_effect, alpha, power)
    for stat in statistics():
        if stat.compute is None:
            continue
        new = stat.compute(ctx)
        if clash := set(new) & (set(ctx.tables) | {"settings"}):
            raise StatsInputError(f"statistic {stat.name!r} writes table(s) {sorted(clash)} that another statistic already wrote")
        ctx.tables.update(new)
    tables = ctx.tables
    settings = {"rng_seed": rng_seed, "n_boot": n_boot, "min_effect": min_effect, "alpha": alpha, "power": power,
                "item_level_clusters": ",".join(panel.item_level_clusters), "seconds": round(time.perf_counter() - t0, 3)}
    result = AnalysisResult(run.run_dir, tables, settings)
    if write:
        result.write()
    return result
