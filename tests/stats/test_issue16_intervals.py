"""Regression tests of the statistics findings of issue 16 (tiny groups, X of Y, custom arm names)."""

import json

import numpy as np
import pytest

from study.stats import StatsInputError, analyse
from study.stats.primitives import MIN_UNITS, NO_VARIATION, TOO_SMALL, bounded_t_interval
from tests.fixtures.synthetic_run import SyntheticSpec, write_run

TINY = SyntheticSpec(n_benchmarks=8, n_items=2, cluster_size=1, n_seeds=1, helpful_personas=(), harmful_personas=(),
                     finetune_k=(), attacked_benchmarks=0, binary_every=1, rng_seed=4)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    run = write_run(tmp_path_factory.mktemp("tiny") / "r", TINY, redteam=False)
    return analyse(run, n_boot=300, write=False)


def test_bounded_interval_clips_and_refuses_tiny_groups():
    assert np.isnan(bounded_t_interval(0.5, 0.5, 1, 2)[0])                 # the "+0.500 [-5.854, +6.854]" case
    lo, hi = bounded_t_interval(0.5, 0.5, 2, MIN_UNITS)
    assert (lo, hi) == (-1.0, 1.0)
    lo, hi = bounded_t_interval(0.5, 0.5, 2, MIN_UNITS, (0.0, 1.0))
    assert (lo, hi) == (0.0, 1.0)


def test_every_interval_respects_the_score_range(tiny):
    c, a, s = tiny.contrasts, tiny.aggregates, tiny.summary
    for lo, hi in (("ci_ckpt_low", "ci_ckpt_high"), ("ci_proc_low", "ci_proc_high")):
        assert c[lo].dropna().ge(-1).all() and c[hi].dropna().le(1).all()
    assert a["macro_ci_low"].dropna().ge(-1).all() and a["macro_ci_high"].dropna().le(1).all()
    assert s["ci_low"].dropna().ge(0).all() and s["ci_high"].dropna().le(1).all()
    # two items per benchmark: no interval, and the table says why
    assert c["ci_ckpt_low"].isna().all() and c["ci_note"].eq(TOO_SMALL).all()
    small = a[a["n_clusters"] < MIN_UNITS]
    assert small["macro_ci_low"].isna().all() and small["ci_note"].eq(TOO_SMALL).all()
    big = a[(a["group_kind"] == "all")]
    varies = big["macro_se"] > 0
    assert big.loc[varies, "macro_ci_low"].notna().all() and big.loc[varies, "ci_note"].eq("").all()
    # zero observed variance (one benchmark differs, identically on both its items): no interval and no p of 0
    flat = big[~varies]
    assert len(flat) and flat["macro_ci_low"].isna().all() and flat["ci_note"].eq(NO_VARIATION).all()
    assert (flat["macro_p"] >= 0.25).all() and (flat["macro_test"] == "sign-flip").all()


def test_improved_x_of_y_interval_contains_its_point(tiny):
    a = tiny.aggregates
    assert (a["improved_ci_low"] <= a["improved"]).all() and (a["improved"] <= a["improved_ci_high"]).all()


def test_custom_arm_names_without_contrasts_get_default_pairs(tmp_path):
    spec = SyntheticSpec(arms=("alpha", "beta", "gamma"), n_benchmarks=3, helpful_personas=(), harmful_personas=(),
                         finetune_k=(), attacked_benchmarks=0, dose_arms={})
    run = write_run(tmp_path / "r", spec, redteam=False)
    m = json.loads((run / "manifest.json").read_text())
    assert m["contrasts"] == []                          # the case that raised KeyError: 'benchmark'
    res = analyse(run, n_boot=200, write=False)
    assert set(res.contrasts["contrast"]) == {"alpha - beta", "alpha - gamma", "beta - gamma"}


def test_one_arm_is_a_one_line_error(tmp_path):
    spec = SyntheticSpec(arms=("alpha",), n_benchmarks=2, helpful_personas=(), harmful_personas=(), finetune_k=(),
                         attacked_benchmarks=0)
    run = write_run(tmp_path / "r", spec, redteam=False)
    with pytest.raises(StatsInputError, match=r"only arm\(s\) alpha found; a contrast needs two arms") as e:
        analyse(run, n_boot=200, write=False)
    assert "\n" not in str(e.value)
