import numpy as np
import pandas as pd
import pytest

from study.stats import TABLES, StatsInputError, analyse, power_table


def test_writes_every_table(analysed, run_dir):
    for name in TABLES:
        assert (run_dir / "stats" / f"{name}.csv").exists(), name
    assert not list((run_dir / "stats").glob(".*tmp"))


def test_same_seed_same_numbers(run_dir, analysed, tmp_path):
    again = analyse(run_dir, rng_seed=0, n_boot=300, write=False)
    other = analyse(run_dir, rng_seed=1, n_boot=300, write=False)
    for name in ("contrasts", "aggregates", "persistence_diff", "erosion_auc", "asr", "nonrefusal"):
        pd.testing.assert_frame_equal(analysed.tables[name], again.tables[name])
    assert not np.allclose(analysed.persistence_diff["ci_low"], other.persistence_diff["ci_low"])
    pd.testing.assert_series_equal(analysed.contrasts["se_proc"], other.contrasts["se_proc"])  # closed form


def test_summary_means_match_table(analysed, run_dir):
    items = pd.read_parquet(run_dir / "items.parquet")
    s = analysed.summary.set_index(["benchmark", "condition", "arm"])
    clean = items[items["condition"] == "clean"]
    by_item = clean.groupby(["benchmark", "arm", "seed", "item"])["score"].mean().groupby(["benchmark", "arm"]).mean()
    for (b, a), v in by_item.items():
        assert s.loc[(b, "clean", a), "mean"] == pytest.approx(v)
    assert s["ci_low"].le(s["mean"]).all() and s["ci_high"].ge(s["mean"]).all()


def test_contrasts_cover_every_benchmark_and_pair(analysed, run_dir):
    c = analysed.contrasts
    clean = c[c["condition"] == "clean"]
    assert clean.groupby("contrast")["benchmark"].nunique().eq(7).all()
    assert set(clean["contrast"]) == {"trait-rl - constitution", "trait-rl - control", "constitution - control",
                                      "trait-rl - base", "constitution - base"}
    assert clean["p_bh"].ge(clean["p"] - 1e-12).all()
    assert clean["primary"].sum() == 1 and clean["p_holm"].notna().sum() == 1
    # base has one checkpoint, the others three: procedure-level exists for every contrast
    assert clean["p_source"].eq("procedure").all()


def test_underpowered_never_claims_no_difference(analysed):
    c = analysed.contrasts
    under = c[c["underpowered"] & (c["p_bh"] >= 0.05)]
    assert len(under) and under["verdict"].eq("inconclusive (underpowered)").all()
    assert not c.loc[c["underpowered"], "verdict"].eq("no difference >= delta detected").any()


def test_aggregates_x_of_y(analysed):
    a = analysed.aggregates
    row = a[(a["contrast"] == "trait-rl - base") & (a["group_kind"] == "all")].iloc[0]
    assert row["n_benchmarks"] == 6            # steer-* left out
    assert 0 <= row["improved_ci_low"] <= row["improved"] <= 6 and row["improved_ci_high"] <= 6
    assert set(a["group_kind"]) == {"all", "category", "distribution"}
    assert row["macro_ci_low"] < row["macro_diff"] < row["macro_ci_high"]


def test_persistence_and_attacks(analysed):
    p = analysed.persistence
    ret = p[p["kind"] == "retention"].set_index("arm")["retention"]
    assert ret["trait-rl"] > ret["base"]               # planted: 0.75 vs 0.35 persistence
    assert set(p["kind"]) == {"retention", "steerability"}
    e = analysed.erosion
    assert sorted(e["k"].unique()) == [0, 10, 50]
    assert {"trait-rl - base"} <= set(analysed.erosion_auc["arm"])
    assert analysed.asr["query"].max() == 5 and analysed.asr["asr"].between(0, 1).all()
    d = analysed.dose
    assert d["dose"].tolist() == [0.10, 0.25]


def test_nonrefusal_keeps_fewer_pairs(analysed):
    n = analysed.nonrefusal
    assert (n["n_pairs"] <= n["n_items"]).all() and (n["n_pairs"] < n["n_items"]).any()


def test_power_table_from_csv(analysed, run_dir):
    c = pd.read_csv(run_dir / "stats" / "contrasts.csv")
    t = power_table(c, delta=0.3)
    assert len(t) == len(c[c["condition"] == "clean"])
    assert (t["mde"] > 0).all()
    loose = power_table(c, delta=10.0)
    assert not loose["underpowered"].any()


def test_too_few_replicates(run_dir):
    with pytest.raises(StatsInputError, match="n_boot=10"):
        analyse(run_dir, n_boot=10)


def test_missing_run_dir(tmp_path):
    with pytest.raises(StatsInputError, match="items.parquet"):
        tmp = tmp_path / "empty"
        tmp.mkdir()
        analyse(tmp)


def test_finetune_zero_is_the_curve_start(tmp_path):
    from tests.fixtures.synthetic_run import SyntheticSpec, write_run
    run = write_run(tmp_path / "r", SyntheticSpec(n_benchmarks=2, n_items=16, finetune_k=(0, 20), helpful_personas=()),
                    redteam=False)
    e = analyse(run, n_boot=100, write=False).erosion
    assert sorted(e["k"].unique()) == [0, 20]
    assert set(e.loc[e["k"] == 0, "condition"]) == {"finetune:0"}


def test_one_cluster_one_seed_gives_no_uncertainty_not_zero(tmp_path):
    """A benchmark whose items share one cluster must not yield SE 0 and p = 0 (nothing to resample between)."""
    from study.report.limitations import limitations
    from study.report.load import load_report_data
    from study.stats import analyse
    from tests.fixtures.synthetic_run import SyntheticSpec, write_run

    spec = SyntheticSpec(n_benchmarks=3, n_seeds=1, n_items=4, cluster_size=4)  # every benchmark is one cluster
    run = write_run(tmp_path / "r", spec)
    result = analyse(run, rng_seed=0, n_boot=200)
    assert {"bench-00", "bench-01", "bench-02"} <= set(result.settings["item_level_clusters"].split(",")), "every benchmark flagged"
    agg = result.aggregates
    assert ((agg["macro_diff"].abs() < 1e-12) | (agg["macro_se"] > 0)).all(), "items fall back to independent clusters instead of a zero SE"
    text = " ".join(limitations(load_report_data(run)))
    assert "Single-cluster benchmarks" in text
