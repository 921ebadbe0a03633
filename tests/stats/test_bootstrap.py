import numpy as np
import pytest

from study.stats.bootstrap import draw_counts, replicate_means


def test_draw_counts_n_minus_one_and_deterministic():
    c1 = draw_counts(np.random.default_rng(3), 500, 5)
    c2 = draw_counts(np.random.default_rng(3), 500, 5)
    assert np.array_equal(c1, c2)
    assert np.all(c1.sum(axis=1) == 4)
    assert np.all(draw_counts(np.random.default_rng(0), 7, 1) == 1)


def test_replicate_means_equal_brute_force():
    rng = np.random.default_rng(0)
    scores = rng.random((3, 6))
    clusters = np.array([0, 0, 1, 2, 2, 2])
    onehot = np.eye(3)[clusters]
    sc = draw_counts(rng, 50, 3)
    kc = draw_counts(rng, 50, 3)
    sizes = np.bincount(clusters).astype(float)
    got = replicate_means(scores @ onehot, sc, kc, sizes)
    for b in range(50):
        w = np.outer(sc[b], kc[b][clusters])
        assert got[b] == pytest.approx((w * scores).sum() / w.sum())


def test_n_minus_one_bootstrap_variance_is_unbiased():
    """Resampling 5 seed means: bootstrap variance of the mean ~= s^2 / n (not s^2 (n-1) / n^2)."""
    seeds = np.array([[0.1], [0.5], [0.2], [0.9], [0.4]])
    rng = np.random.default_rng(1)
    boot = replicate_means(seeds, draw_counts(rng, 200_000, 5), np.ones((200_000, 1)), np.ones(1))
    assert np.var(boot) == pytest.approx(np.var(seeds, ddof=1) / 5, rel=0.02)


def test_undefined_replicates_are_dropped_not_propagated():
    """A replicate that drew no item of a subset cell is NaN; intervals and p-values use the defined ones."""
    import numpy as np

    from study.stats.primitives import bootstrap_p as _boot_p
    from study.stats.primitives import percentile_interval as _ci

    x = np.array([np.nan, 0.1, 0.2, 0.3, np.nan, 0.4])
    lo, hi = _ci(x)
    assert np.isfinite(lo) and np.isfinite(hi) and 0.1 <= lo <= hi <= 0.4
    assert _boot_p(x) == 0.0
    assert np.isnan(_ci(np.array([np.nan]))[0]) and np.isnan(_boot_p(np.array([np.nan])))
