import numpy as np
import pandas as pd
import pytest

from study.errors import StudyError
from study.stats.io import StatsInputError
from study.stats.validate import validate_items
from tests.fixtures.synthetic_run import SyntheticSpec, make_items, make_manifest

SPEC = SyntheticSpec(n_benchmarks=2, n_items=8, n_seeds=2, harmful_personas=(), helpful_personas=(), finetune_k=())


@pytest.fixture()
def table():
    return make_items(SPEC), make_manifest(SPEC)


def test_valid_table_passes(table):
    df, man = table
    out = validate_items(df, man)
    assert len(out) == len(df)


def test_error_is_study_error():
    assert issubclass(StatsInputError, StudyError)


def test_missing_column(table):
    df, man = table
    with pytest.raises(StatsInputError, match="missing column.*cluster"):
        validate_items(df.drop(columns=["cluster"]), man)


def test_nan_score(table):
    df, man = table
    df.loc[5, "score"] = np.nan
    with pytest.raises(StatsInputError, match="1 NaN score"):
        validate_items(df, man)


def test_score_out_of_range(table):
    df, man = table
    df.loc[3, "score"] = 1.5
    with pytest.raises(StatsInputError, match=r"outside \[0, 1\]"):
        validate_items(df, man)


def test_arm_missing_benchmark(table):
    df, man = table
    df = df[~((df["arm"] == "control") & (df["benchmark"] == "bench-01"))]
    with pytest.raises(StatsInputError, match="arm 'control' has no clean rows for benchmark 'bench-01'"):
        validate_items(df, man)


def test_unpaired_items(table):
    df, man = table
    drop = (df["arm"] == "trait-rl") & (df["seed"] == 2) & (df["item"] == "bench-00-i0003")
    with pytest.raises(StatsInputError, match="unpaired items.*arm='trait-rl' seed=2.*bench-00-i0003"):
        validate_items(df[~drop], man)


def test_duplicate_row(table):
    df, man = table
    with pytest.raises(StatsInputError, match="duplicate row"):
        validate_items(pd.concat([df, df.iloc[[0]]]), man)


def test_inconsistent_cluster(table):
    df, man = table
    df.loc[df.index[0], "cluster"] = "elsewhere"
    with pytest.raises(StatsInputError, match="'cluster' differs"):
        validate_items(df, man)


def test_bad_condition(table):
    df, man = table
    df.loc[df.index[0], "condition"] = "weird"
    with pytest.raises(StatsInputError, match="unknown condition 'weird'"):
        validate_items(df, man)


def test_seed_sets_differ(table):
    df, man = table
    df = df[~((df["arm"] == "control") & (df["seed"] == 2) & (df["benchmark"] == "bench-01"))]
    with pytest.raises(StatsInputError, match="arm 'control' has seeds"):
        validate_items(df, man)


def test_manifest_arm_without_rows(table):
    df, man = table
    man["arms"].append({"name": "ghost", "method": "x", "params": {}})
    with pytest.raises(StatsInputError, match="arm 'ghost' is in manifest.json"):
        validate_items(df, man)


def test_contrast_unknown_arm(table):
    df, man = table
    man["contrasts"].append(["trait-rl", "ghost"])
    with pytest.raises(StatsInputError, match="names arm 'ghost'"):
        validate_items(df, man)


def test_condition_item_without_clean_row():
    spec = SyntheticSpec(n_benchmarks=1, n_items=8, n_seeds=2, harmful_personas=("bad",), helpful_personas=(), finetune_k=(),
                         attacked_benchmarks=1)
    df, man = make_items(spec), make_manifest(spec)
    df = df[~((df["condition"] == "clean") & (df["item"] == "bench-00-i0002"))]
    with pytest.raises(StatsInputError, match="'bench-00-i0002'.*not under 'clean'"):
        validate_items(df, man)
