"""Fast calibration checks (few studies; bench/stats_calibration.py runs >= 1,000)."""

import numpy as np

from study.stats.calibration import (
    DESIGNS,
    SimDesign,
    coverage,
    false_discovery_rate,
    false_positive_rate,
)

N, B = 80, 150
# Monte Carlo tolerance at 80 studies: ~2.5 standard errors of 0.05 (rates are deterministic given the seeds)
TOL = 0.06


def test_false_positive_rates_near_alpha():
    rng = np.random.default_rng(11)
    for name, (design, col) in DESIGNS.items():
        rate = false_positive_rate(rng, design, N, B, col)
        assert abs(rate - 0.05) <= TOL, (name, rate)


def test_planted_effect_detected_and_covered():
    rng = np.random.default_rng(12)
    d = SimDesign(n_seeds=5, seed_sd=0.15, delta=0.2)
    assert abs(coverage(rng, d, N, B, "proc") - 0.95) <= TOL
    assert abs(coverage(rng, d, N, B, "ckpt") - 0.95) <= TOL
    assert false_positive_rate(rng, SimDesign(delta=0.3), 20, B, "p_ckpt") > 0.9   # power, not size


def test_bh_controls_fdr():
    fdr = false_discovery_rate(np.random.default_rng(13), SimDesign(n_benchmarks=20), 40, B, n_true=5, effect=0.3)
    assert fdr["bh"] <= 0.05 + 0.03 and fdr["by"] <= fdr["bh"] + 1e-12
