"""Fast calibration checks (few studies; bench/stats_calibration.py runs hundreds per regime)."""

import zlib

import numpy as np
import pytest

from study.stats.calibration import CHECKPOINT_DESIGNS, REGIMES, SimDesign, ratio_with_se, run_studies, simulate

N, P = 40, 200


@pytest.mark.parametrize("name", list(REGIMES))
def test_procedure_level_false_positives_and_coverage_near_nominal(name):
    """Issue 16: with binary scores the old test gave 0.6-3.5% false positives and 96-98% coverage."""
    r = run_studies(np.random.default_rng(zlib.crc32(name.encode())), REGIMES[name], N, P)
    fpr, fpr_se = ratio_with_se(r.false_pos, r.null_tests)
    cov, cov_se = ratio_with_se(r.covered, r.n_intervals)
    assert abs(fpr - 0.05) <= 3 * fpr_se + 0.015, (fpr, fpr_se)
    assert abs(cov - 0.95) <= 3 * cov_se + 0.015, (cov, cov_se)
    assert r.fdp.mean() <= 0.05 + 3 * r.fdp.std() / np.sqrt(N)


@pytest.mark.parametrize("name", list(CHECKPOINT_DESIGNS))
def test_checkpoint_tests_false_positives_near_alpha(name):
    r = run_studies(np.random.default_rng(5), CHECKPOINT_DESIGNS[name], 30, P)
    fpr, se = ratio_with_se(r.false_pos, r.null_tests)
    assert abs(fpr - 0.05) <= 3 * se + 0.015, (fpr, se)


def test_planted_effect_detected():
    r = run_studies(np.random.default_rng(3), SimDesign(n_seeds=5, seed_sd=0.03, n_true=10, delta=2.0), 5, P)
    assert r.fdp.max() == 0 and r.false_pos.sum() == 0


def test_quadrature_truth_matches_monte_carlo():
    d = SimDesign(n_seeds=3, seed_sd=0.25, n_true=10, delta=0.5, n_benchmarks=10, n_clusters=2000, cluster_size=1)
    panel, proc, _ = simulate(np.random.default_rng(0), d)
    observed = np.mean([c.scores["a"].mean() - c.scores["b"].mean() for c in panel.cells.values()])
    assert observed == pytest.approx(proc.mean(), abs=0.02)
