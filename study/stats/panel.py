"""Dense arrays per (benchmark, condition) cell, built once from the validated table.

Repeated samples of the same item are averaged first; after that a cell holds,
for each arm, a ``(n_seeds, n_items)`` matrix whose columns line up across arms
(validation guarantees the pairing).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd


@dataclass
class Cell:
    benchmark: str
    condition: str
    items: np.ndarray            # item ids, sorted
    cluster_ids: np.ndarray      # cluster name per item
    clusters: np.ndarray         # int code per item, 0..n_clusters-1
    n_clusters: int
    scores: dict[str, np.ndarray]   # arm -> (n_seeds, n_items), sample-averaged
    refused: dict[str, np.ndarray]  # arm -> (n_seeds, n_items) share of refused samples, NaN if unknown
    binary: bool                 # every raw score was 0 or 1

    @property
    def n_items(self) -> int:
        return len(self.items)

    @property
    def singleton_clusters(self) -> bool:
        return self.n_clusters == self.n_items


@dataclass
class Panel:
    cells: dict[tuple[str, str], Cell]
    seeds: dict[str, list[int]]          # arm -> sorted seeds
    meta: pd.DataFrame                   # index benchmark; category, trait, domain, distribution
    benchmarks: list[str] = field(default_factory=list)
    conditions: list[str] = field(default_factory=list)
    item_level_clusters: list[str] = field(default_factory=list)  # single-cluster benchmarks, see build_panel

    def cell(self, benchmark: str, condition: str = "clean") -> Cell | None:
        return self.cells.get((benchmark, condition))


def build_panel(df: pd.DataFrame) -> Panel:
    """Average samples, then reshape every cell to (arm, seed) x item matrices.

    Validation guarantees every (arm, seed) of a cell has the same items, so
    after sorting by (benchmark, condition, arm, seed, item) each arm's block
    is a contiguous (n_seeds * n_items) run of rows.
    """
    is_bin = df["score"].isin([0.0, 1.0])
    ref = df["refused"].astype("Float64").astype(float)
    agg = (df.assign(_bin=is_bin, _ref=ref)
             .groupby(["benchmark", "condition", "arm", "seed", "item"], sort=True, observed=True)
             .agg(score=("score", "mean"), refused=("_ref", "mean"), binary=("_bin", "all"))
             .reset_index())
    clusters = df.drop_duplicates(["benchmark", "item"]).set_index(["benchmark", "item"])["cluster"]
    # A benchmark whose scored items all come from one cluster has no between-cluster variation to estimate
    # its uncertainty from (it would come out as zero). Its items are treated as independent clusters instead,
    # which is optimistic; the benchmarks are listed so the report can say so.
    per_bench = clusters.groupby(level="benchmark")
    single = sorted(b for b, g in per_bench if g.nunique() == 1 and len(g) > 1)
    if single:
        clusters = clusters.copy()
        mask = clusters.index.get_level_values("benchmark").isin(single)
        clusters[mask] = ["item:" + str(i) for i in clusters.index.get_level_values("item")[mask]]
    seeds = {a: sorted(int(s) for s in g.unique()) for a, g in df.groupby("arm")["seed"]}
    meta = df.drop_duplicates("benchmark").set_index("benchmark")[["category", "trait", "domain", "distribution"]].sort_index()
    cells: dict[tuple[str, str], Cell] = {}
    score, refusal = agg["score"].to_numpy(), agg["refused"].to_numpy()
    arm_all, seed_all = agg["arm"].to_numpy(dtype=object), agg["seed"].to_numpy()
    item_all, bin_all = agg["item"].to_numpy(dtype=object), agg["binary"].to_numpy()
    cluster_of = dict(zip(zip(clusters.index.get_level_values(0), clusters.index.get_level_values(1)), clusters.to_numpy(dtype=object)))
    for (bench, cond), idx in agg.groupby(["benchmark", "condition"], sort=True).indices.items():
        arms_col = arm_all[idx]
        first_block = (arms_col == arms_col[0]) & (seed_all[idx] == seed_all[idx[0]])
        items = item_all[idx][first_block]
        cl = np.array([cluster_of[(bench, i)] for i in items], dtype=object)
        _, codes = np.unique(cl.astype(str), return_inverse=True)
        scores, refused = {}, {}
        for arm in np.unique(arms_col):
            rows = idx[arms_col == arm]
            scores[arm] = score[rows].reshape(-1, len(items))
            refused[arm] = refusal[rows].reshape(-1, len(items))
        binary = bool(bin_all[idx].all())
        cells[(bench, cond)] = Cell(bench, cond, items, cl.astype(str), codes.astype(np.int64), int(codes.max()) + 1,
                                    scores, refused, binary)
    return Panel(cells, seeds, meta, sorted(meta.index), sorted(df["condition"].unique()), single)
