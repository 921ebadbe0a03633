import numpy as np
import pandas as pd
import pytest

from study.stats.multiple import adjust_pvalues
from study.stats.power import (
    PowerInputError,
    minimum_detectable_effect,
    required_sample_size,
)


def _df(p_ckpt, p_proc, cond="clean"):
    n = len(p_ckpt)
    return pd.DataFrame({"benchmark": [f"b{i}" for i in range(n)], "condition": cond, "arm_a": "x", "arm_b": "y",
                         "p_ckpt": p_ckpt, "p_proc": p_proc})


def test_bh_by_holm_hand_computed():
    df = adjust_pvalues(_df([0.01, 0.02, 0.03, 0.5], [np.nan] * 4),
                        [{"benchmark": "b0", "contrast": ["x", "y"]}, {"benchmark": "b2", "contrast": ["x", "y"]}])
    assert df["p_bh"].tolist() == pytest.approx([0.04, 0.04, 0.04, 0.5])
    c = 1 + 1 / 2 + 1 / 3 + 1 / 4
    assert df["p_by"].tolist() == pytest.approx([0.04 * c, 0.04 * c, 0.04 * c, min(1, 0.5 * c)])
    assert df["p_source"].eq("checkpoint").all()
    assert df["primary"].tolist() == [True, False, True, False]
    assert df.loc[df["primary"], "p_holm"].tolist() == pytest.approx([0.02, 0.03])   # Holm: 2*0.01, max(0.02, 1*0.03)


def test_procedure_p_preferred_and_families_per_condition():
    a = _df([0.01, 0.2], [0.04, np.nan])
    b = _df([0.01], [np.nan], cond="persona:x")
    df = adjust_pvalues(pd.concat([a, b], ignore_index=True), [])
    assert df["p"].tolist() == [0.04, 0.2, 0.01]
    assert df["p_source"].tolist() == ["procedure", "checkpoint", "checkpoint"]
    assert df["p_bh"].iloc[2] == pytest.approx(0.01)    # its own family of one


def test_required_sample_size_hand_computed():
    z = 1.959963984540054 + 0.8416212335729143
    r = required_sample_size(0.1, sd_diff=0.5)
    assert r.n_items == int(np.ceil(0.25 * z**2 / 0.01)) == 197 and r.min_seeds == 1
    r = required_sample_size(0.1, sd_diff=0.5, design_effect=2.0)
    assert r.n_items == int(np.ceil(0.5 * z**2 / 0.01))
    # seed variance 0.001 per arm: seeds alone need 0.002 / n_seeds < (0.1 / z)^2 = 0.001274 -> n_seeds >= 2
    r = required_sample_size(0.1, sd_diff=0.5, seed_var_a=0.001, seed_var_b=0.001, n_seeds=1)
    assert r.n_items is None and r.min_seeds == 2
    r = required_sample_size(0.1, sd_diff=0.5, seed_var_a=0.001, seed_var_b=0.001, n_seeds=4)
    assert r.n_items == int(np.ceil(0.25 / ((0.1 / z) ** 2 - 0.0005)))
    assert "items" in str(r)


def test_mde_and_bad_input():
    assert minimum_detectable_effect(0.01) == pytest.approx(0.028016, abs=1e-5)
    with pytest.raises(PowerInputError, match="delta"):
        required_sample_size(0.0, sd_diff=0.5)
    with pytest.raises(PowerInputError, match="alpha"):
        required_sample_size(0.1, sd_diff=0.5, alpha=1.5)


def test_zero_observed_variance_is_still_underpowered_with_few_items():
    """Two checkpoints answering 2 items identically have SE 0; that must not make a 0.1 effect 'detectable'."""
    import pandas as pd

    from study.stats.power import add_power

    rows = pd.DataFrame([
        {"diff": 0.0, "se_ckpt": 0.0, "se_proc": float("nan"), "p_source": "checkpoint", "p_bh": 1.0, "n_clusters": 2},
        {"diff": 0.0, "se_ckpt": 0.0, "se_proc": float("nan"), "p_source": "checkpoint", "p_bh": 1.0, "n_clusters": 5000},
    ])
    out = add_power(rows, delta=0.1)
    assert out.loc[0, "underpowered"] and out.loc[0, "verdict"] == "inconclusive (underpowered)"
    assert not out.loc[1, "underpowered"] and out.loc[1, "verdict"] == "no difference >= delta detected"


def test_power_table_uses_the_same_floor_as_the_verdicts():
    """The Power section and the verdicts must agree: SE 0 on 2 items is underpowered in both."""
    import pandas as pd

    from study.stats.power import add_power, power_table, sd_floor

    base = {"condition": "clean", "contrast": "x - y", "n_seeds_a": 1, "n_seeds_b": 1, "seed_var_a": 0.0, "seed_var_b": 0.0,
            "design_effect": 1.0, "se_proc": float("nan"), "p_source": "checkpoint", "p_bh": 1.0, "diff": 0.0}
    rows = pd.DataFrame([{**base, "benchmark": "tiny", "n_items": 2, "n_clusters": 2, "sd_diff": 0.0, "se_ckpt": 0.0},
                         {**base, "benchmark": "large", "n_items": 5000, "n_clusters": 5000, "sd_diff": 0.1, "se_ckpt": 0.1 / 5000**0.5}])
    table = power_table(rows, delta=0.1).set_index("benchmark")
    verdicts = add_power(rows, delta=0.1).set_index("benchmark")
    assert table["underpowered"].to_dict() == verdicts["underpowered"].to_dict() == {"tiny": True, "large": False}
    assert table.loc["tiny", "se_observed"] == 0.0 and table.loc["tiny", "se"] == pytest.approx(sd_floor(0.1) / 2**0.5)
    z = 1.959963984540054 + 0.8416212335729143
    assert table.loc["tiny", "items_needed"] == int(np.ceil(0.09 * z**2 / 0.01)) == 71


def test_one_seed_power_table_says_seed_variance_unknown_not_one_seed():
    """Issue 16: with one seed the power table said 'seeds needed: 1' although seed variance cannot be estimated."""
    import pandas as pd

    from study.stats.power import SEED_VARIANCE_UNKNOWN, power_table

    base = {"condition": "clean", "contrast": "x - y", "seed_var_a": 0.0, "seed_var_b": 0.0, "design_effect": 1.0,
            "se_proc": float("nan"), "p_source": "checkpoint", "p_bh": 1.0, "diff": 0.0, "n_items": 50, "n_clusters": 50,
            "sd_diff": 0.5, "se_ckpt": 0.07}
    rows = pd.DataFrame([{**base, "benchmark": "one", "n_seeds_a": 1, "n_seeds_b": 1},
                         {**base, "benchmark": "three", "n_seeds_a": 3, "n_seeds_b": 3, "seed_var_a": 0.01,
                          "seed_var_b": 0.01, "se_proc": 0.1, "p_source": "procedure"}])
    table = power_table(rows, delta=0.1).set_index("benchmark")
    assert np.isnan(table.loc["one", "seeds_needed"]) and table.loc["one", "seed_variance"] == SEED_VARIANCE_UNKNOWN
    assert table.loc["three", "seeds_needed"] >= 2 and table.loc["three", "seed_variance"] == "estimated"
