import numpy as np
import pandas as pd
import pytest

from study.stats.contrasts import contrast_table
from study.stats.panel import Cell, Panel


def _panel(sa, sb, clusters, binary):
    items = np.array([f"i{j}" for j in range(sa.shape[1])], dtype=object)
    cell = Cell("bx", "clean", items, clusters.astype(str), clusters, int(clusters.max()) + 1,
                {"a": sa, "b": sb}, {"a": np.full_like(sa, np.nan), "b": np.full_like(sb, np.nan)}, binary)
    meta = pd.DataFrame({"category": ["c"], "trait": ["t"], "domain": ["general"], "distribution": ["held_out"]},
                        index=pd.Index(["bx"], name="benchmark"))
    return Panel({("bx", "clean"): cell}, {"a": list(range(sa.shape[0])), "b": list(range(sb.shape[0]))},
                 meta, ["bx"], ["clean"])


def _run(panel, seed=0, n=500):
    rng = np.random.default_rng(seed)
    return contrast_table(panel, [("a", "b")], rng, n).iloc[0]


def test_paired_difference_and_clustered_se_hand_computed():
    sa = np.array([[1.0, 2, 3, 4]])
    sb = np.zeros((1, 4))
    r = _run(_panel(sa, sb, np.array([0, 0, 1, 1]), False))
    assert r["diff"] == pytest.approx(2.5)
    assert r["se_ckpt"] == pytest.approx(1.0)
    assert r["test_ckpt"] == "sign-flip"
    assert r["p_ckpt"] == pytest.approx(0.5)         # exact: 2 clusters, sums 3 and 7: 2 of 4 patterns reach 10
    assert np.isnan(r["p_proc"])                     # one checkpoint per arm: no procedure-level claim


def test_binary_single_checkpoints_use_mcnemar():
    sa = np.array([[1.0] * 9 + [0] * 2 + [1] * 10 + [0] * 5])
    sb = np.array([[0.0] * 9 + [1] * 2 + [1] * 10 + [0] * 5])
    r = _run(_panel(sa, sb, np.arange(26), True))
    assert r["test_ckpt"] == "mcnemar-midp"
    assert r["p_mcnemar_exact"] == pytest.approx(2 * (1 + 11 + 55) / 2048)
    assert r["effect_kind"] == "cohens_h"
    assert r["diff"] == pytest.approx(7 / 26)


def test_seed_averaging_and_procedure_level():
    rng = np.random.default_rng(2)
    sa = rng.random((4, 30)) + np.array([[0.2], [0.0], [0.1], [0.3]])
    sb = rng.random((4, 30))
    r = _run(_panel(sa, sb, np.arange(30) // 3, False))
    assert r["diff"] == pytest.approx(sa.mean() - sb.mean())
    assert r["seed_var_a"] == pytest.approx(np.var(sa.mean(axis=1), ddof=1))
    assert np.isfinite(r["p_proc"]) and r["se_proc"] > r["se_ckpt"] * 0.5
    assert r["ci_proc_low"] < r["diff"] < r["ci_proc_high"]


def test_same_seed_same_numbers_different_seed_different():
    rng = np.random.default_rng(0)
    p = _panel(rng.random((3, 40)), rng.random((3, 40)), np.arange(40) // 4, False)
    r1, r2, r3 = _run(p, 7), _run(p, 7), _run(p, 8)
    assert r1["se_proc"] == r2["se_proc"] == r3["se_proc"]     # closed form: no resampling
    assert r1["p_ckpt"] == r2["p_ckpt"] and r1["p_ckpt"] != r3["p_ckpt"]   # sign flips drawn from the rng


def test_pigeonhole_excess_zero_without_interaction_positive_with():
    from study.stats.contrasts import pigeonhole_excess
    clusters = np.arange(12) // 2
    additive = np.array([[0.1], [0.3], [0.2]]) + np.linspace(0, 1, 12)[None, :]
    p = _panel(additive, additive.copy(), clusters, False)
    assert pigeonhole_excess(p.cells[("bx", "clean")], "a") == pytest.approx(0.0, abs=1e-15)
    noisy = additive + np.random.default_rng(0).normal(0, 0.1, additive.shape)
    p = _panel(noisy, additive, clusters, False)
    assert pigeonhole_excess(p.cells[("bx", "clean")], "a") > 0
