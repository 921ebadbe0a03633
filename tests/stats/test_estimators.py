import math

import numpy as np
import pytest
from statsmodels.stats.contingency_tables import mcnemar
from statsmodels.stats.proportion import proportion_confint

from study.stats import estimators as est


def test_clustered_se_hand_computed():
    # mean 2.5; residuals -1.5 -0.5 | 0.5 1.5; cluster sums -2, 2; se^2 = 2/1 * 8 / 16 = 1
    assert est.clustered_se(np.array([1.0, 2, 3, 4]), np.array([0, 0, 1, 1])) == pytest.approx(1.0)


def test_clustered_se_singletons_equals_ordinary_se():
    x = np.array([0.1, 0.5, 0.9, 0.3, 0.7])
    assert est.clustered_se(x, np.arange(5)) == pytest.approx(np.std(x, ddof=1) / math.sqrt(5))


def test_clustered_se_single_cluster_is_nan():
    assert math.isnan(est.clustered_se(np.array([1.0, 2.0]), np.array([0, 0])))


def test_wilson_matches_statsmodels():
    lo, hi = est.wilson_interval(7 / 20, 20)
    assert (lo, hi) == pytest.approx(proportion_confint(7, 20, method="wilson"), abs=1e-9)


def test_mcnemar_exact_matches_statsmodels():
    a = np.array([1] * 9 + [0] * 2 + [1] * 10 + [0] * 5)
    b = np.array([0] * 9 + [1] * 2 + [1] * 10 + [0] * 5)
    table = [[10, 9], [2, 5]]
    assert est.mcnemar_exact(a, b) == pytest.approx(mcnemar(table, exact=True).pvalue)
    # mid-p = exact - P(X = 2 | n = 11): 2*cdf(2) - pmf(2)
    assert est.mcnemar_midp(a, b) == pytest.approx(2 * (1 + 11 + 55) / 2048 - 55 / 2048)


def test_mcnemar_no_discordant_pairs():
    x = np.array([1.0, 0.0, 1.0])
    assert est.mcnemar_exact(x, x) == 1.0 and est.mcnemar_midp(x, x) == 1.0


def test_sign_flip_exact_enumeration():
    # sums 1, 2, 3: |T| over the 8 sign patterns is 6,4,2,0,0,2,4,6 -> 2 of 8 reach 6
    assert est.sign_flip_pvalues(np.array([1.0, 2.0, 3.0])[:, None], None)[0] == pytest.approx(0.25)


def test_sign_flip_random_is_valid_and_deterministic():
    d = np.random.default_rng(0).normal(0, 1, (40, 3))
    s1 = est.draw_signs(np.random.default_rng(5), 2000, 40)
    s2 = est.draw_signs(np.random.default_rng(5), 2000, 40)
    assert np.array_equal(s1, s2) and set(np.unique(s1)) == {-1.0, 1.0}
    p = est.sign_flip_pvalues(d, s1)
    assert np.all(p >= 1 / 2001) and np.all(p <= 1)
    assert est.draw_signs(np.random.default_rng(0), 10000, 10) is None  # 2^10 <= 10000: exact


def test_effect_sizes_hand_computed():
    assert est.cohens_h(0.75, 0.5) == pytest.approx(math.pi / 6)
    # |d| ranks 1,2,3; positive ranks 1+3, negative 2 -> (4-2)/6
    assert est.rank_biserial(np.array([1.0, -2.0, 3.0, 0.0])) == pytest.approx(1 / 3)


def test_satterthwaite_and_t():
    assert est.satterthwaite_df([(1.0, 10), (0.0, 4)]) == pytest.approx(10)
    assert est.satterthwaite_df([(1.0, 4), (1.0, 4)]) == pytest.approx(8)
    assert est.t_pvalue(0.0, 0.0, 5) == 1.0
    lo, hi = est.t_interval(1.0, 0.5, 1000)
    assert (lo, hi) == pytest.approx((1 - 1.9623 * 0.5, 1 + 1.9623 * 0.5), abs=1e-3)
