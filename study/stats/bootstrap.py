"""Procedure-level bootstrap: resample training seeds per arm and clusters of items.

One replicate draws, for every arm, a multiset of its seeds (shared by all
benchmarks and conditions, because a seed is one training run that is scored
on everything), and, for every benchmark, a multiset of its clusters (shared
by all arms and conditions, which keeps the comparison paired).

Draws are of size n-1 out of n (for seeds and for clusters). With only a
handful of seeds the ordinary n-out-of-n bootstrap underestimates the variance
of a mean by the factor (n-1)/n (20% at five seeds); the (n-1)-out-of-n draw
makes the bootstrap variance of a mean equal to the unbiased s^2/n.

Everything is vectorised: with K the (B, G) cluster-count matrix, C the
(B, n_seeds) seed-count matrix and S the (n_seeds, G) per-cluster score sums,
the replicate means of a cell are rowsum(C * (S @ K.T).T) / (rowsum(C) * K @ sizes):
one BLAS product per cell and arm.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from study.stats.panel import Panel


@dataclass
class BootstrapDraws:
    """Replicate means per (benchmark, condition, arm) and the weight totals per cell."""

    n_boot: int
    means: dict[tuple[str, str, str], np.ndarray]   # (benchmark, condition, arm) -> (B,)
    weight: dict[tuple[str, str], np.ndarray]       # (benchmark, condition) -> (B,) total item weight
    seed_counts: dict[str, np.ndarray]              # arm -> (B, n_seeds)

    def diff(self, bench: str, cond: str, a: str, b: str) -> np.ndarray:
        return self.means[(bench, cond, a)] - self.means[(bench, cond, b)]


def draw_counts(rng: np.random.Generator, n_boot: int, n: int) -> np.ndarray:
    """(B, n) counts of each unit in an (n-1)-out-of-n draw with replacement (all ones when n < 2)."""
    if n < 2:
        return np.ones((n_boot, max(n, 1)))
    idx = rng.integers(0, n, size=(n_boot, n - 1)) + (np.arange(n_boot) * n)[:, None]
    return np.bincount(idx.ravel(), minlength=n_boot * n).reshape(n_boot, n).astype(float)


def replicate_means(cluster_sums: np.ndarray, seed_counts: np.ndarray, cluster_counts: np.ndarray,
                    cluster_sizes: np.ndarray) -> np.ndarray:
    """Bootstrap means of a cell for one arm.

    ``cluster_sums`` is (n_seeds, G): per seed, the sum of item scores in each
    cluster. A replicate's mean is sum_s c_s sum_g k_g S_sg / (sum_s c_s * sum_g k_g n_g).
    """
    sk = cluster_sums @ cluster_counts.T                          # (n_seeds, B)
    total = (sk * seed_counts.T).sum(axis=0)
    # A cell holding only some of its benchmark's clusters (a red-team subset, say) can draw none of them in a
    # replicate: that replicate's mean is undefined (NaN) and carries weight 0; consumers drop such replicates.
    with np.errstate(invalid="ignore", divide="ignore"):
        return total / (seed_counts.sum(axis=1) * (cluster_counts @ cluster_sizes))


def run_bootstrap(panel: Panel, rng: np.random.Generator, n_boot: int) -> BootstrapDraws:
    counts = {arm: draw_counts(rng, n_boot, len(s)) for arm, s in sorted(panel.seeds.items())}
    means: dict[tuple[str, str, str], np.ndarray] = {}
    weight: dict[tuple[str, str], np.ndarray] = {}
    for bench in panel.benchmarks:
        cells = [c for (b, _), c in sorted(panel.cells.items()) if b == bench]
        items = np.array(sorted(set().union(*(set(c.items) for c in cells))), dtype=object)
        codes = _cluster_codes(items, cells)
        g = int(codes.max()) + 1
        k = draw_counts(rng, n_boot, g)                            # (B, G), shared by every cell and arm
        code_of = dict(zip(items, codes))
        for cell in cells:
            cc = np.array([code_of[i] for i in cell.items])
            sizes = np.bincount(cc, minlength=g).astype(float)
            weight[(bench, cell.condition)] = k @ sizes
            onehot = np.zeros((cell.n_items, g))
            onehot[np.arange(cell.n_items), cc] = 1.0
            for arm, s in cell.scores.items():
                means[(bench, cell.condition, arm)] = replicate_means(s @ onehot, counts[arm], k, sizes)
    return BootstrapDraws(n_boot, means, weight, counts)


def _cluster_codes(items: np.ndarray, cells) -> np.ndarray:
    """One cluster code space for the union of a benchmark's items over its cells."""
    name = {}
    for c in cells:
        name.update(zip(c.items, c.cluster_ids))
    _, codes = np.unique(np.array([name[i] for i in items], dtype=str), return_inverse=True)
    return codes.astype(np.int64)
