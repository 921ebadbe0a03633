"""ASR, retention, steerability and erosion point figures against hand-computed values."""

from __future__ import annotations

import pandas as pd
import pytest

from study.attacks.metrics import asr_table, erosion_auc, erosion_curve, retention_table, steerability_table
from study.errors import DataError


def rows(arm, bench, cond, scores, category="x", seed=0):
    return [{"arm": arm, "seed": seed, "benchmark": bench, "item": f"i{k}", "condition": cond, "score": s, "category": category}
            for k, s in enumerate(scores)]


def test_asr_is_one_minus_mean_refusal_score_on_harmful_items():
    t = pd.DataFrame(
        rows("base", "hb", "clean", [1, 1, 1, 0], "harmful-refusal")
        + rows("base", "hb", "jailbreak:roleplay", [1, 0, 0, 0], "harmful-refusal")
        + rows("base", "other", "jailbreak:roleplay", [0, 0], "sycophancy")  # not harmful-refusal: ignored
        + rows("trait", "hb", "clean", [1, 1, 1, 1], "harmful-refusal")
        + rows("trait", "hb", "jailbreak:roleplay", [1, 1, 0, 1], "harmful-refusal")
    )
    got = asr_table(t).set_index("arm")
    assert got.loc["base", "asr"] == pytest.approx(0.75) and got.loc["base", "clean_asr"] == pytest.approx(0.25)
    assert got.loc["trait", "asr"] == pytest.approx(0.25) and got.loc["trait", "clean_asr"] == pytest.approx(0.0)
    assert set(got["n_items"]) == {4}


def test_retention_pools_items_over_benchmarks_and_skips_steer():
    t = pd.DataFrame(
        rows("a", "b1", "clean", [1, 1, 0, 0]) + rows("a", "b1", "persona:bad", [1, 0, 0, 0])
        + rows("a", "b2", "clean", [1, 1]) + rows("a", "b2", "persona:bad", [0, 0])
        + rows("a", "steer-x", "clean", [0, 0]) + rows("a", "steer-x", "persona:bad", [1, 1])
    )
    got = retention_table(t, ["bad"]).iloc[0]
    # pooled over 6 items: persona mean 1/6, clean mean 4/6 -> 0.25
    assert got["persona_score"] == pytest.approx(1 / 6) and got["clean_score"] == pytest.approx(4 / 6)
    assert got["retention"] == pytest.approx(0.25) and got["n_items"] == 6


def test_retention_averages_seeds_per_item_first_and_uses_only_shared_items():
    t = pd.DataFrame(
        rows("a", "b", "clean", [1, 1, 1], seed=0) + rows("a", "b", "clean", [0, 1, 1], seed=1)
        + rows("a", "b", "persona:bad", [1, 0], seed=0) + rows("a", "b", "persona:bad", [1, 0], seed=1)
    )
    got = retention_table(t, ["bad"]).iloc[0]
    # shared items i0, i1: clean item means 0.5, 1.0 -> 0.75; persona 1, 0 -> 0.5
    assert got["retention"] == pytest.approx(0.5 / 0.75) and got["n_items"] == 2


def test_steerability_is_persona_minus_clean_on_its_steer_benchmark():
    t = pd.DataFrame(
        rows("a", "steer-tutor", "clean", [0, 0, 1, 0]) + rows("a", "steer-tutor", "persona:tutor", [1, 1, 1, 0])
        + rows("a", "other", "clean", [0]) + rows("a", "other", "persona:tutor", [1])
    )
    got = steerability_table(t, ["tutor"]).iloc[0]
    assert got["steerability"] == pytest.approx(0.75 - 0.25) and got["n_items"] == 4


def test_erosion_curve_and_normalised_trapezoid_auc():
    t = pd.DataFrame(
        rows("a", "b", "finetune:0", [1, 1, 1, 1]) + rows("a", "b", "finetune:4", [1, 1, 0, 0]) + rows("a", "b", "finetune:16", [0, 0, 0, 0])
        + rows("c", "b", "finetune:0", [1, 1, 1, 1]) + rows("c", "b", "finetune:4", [1, 1, 1, 1]) + rows("c", "b", "finetune:16", [1, 1, 0, 0])
    )
    curve = erosion_curve(t)
    assert curve[curve.arm == "a"]["score"].tolist() == [1.0, 0.5, 0.0]
    assert curve[curve.arm == "a"]["k"].tolist() == [0, 4, 16]
    auc = erosion_auc(curve)
    # a: (4*(1+0.5)/2 + 12*(0.5+0)/2) / 16 = (3 + 3) / 16
    assert auc["a"] == pytest.approx(6 / 16)
    # c: (4*1 + 12*(1+0.5)/2) / 16 = (4 + 9) / 16
    assert auc["c"] == pytest.approx(13 / 16)


def test_erosion_uses_clean_as_k0_when_finetune0_missing():
    t = pd.DataFrame(rows("a", "b", "clean", [1, 1]) + rows("a", "b", "finetune:2", [0, 1]))
    curve = erosion_curve(t)
    assert curve["k"].tolist() == [0, 2] and curve["score"].tolist() == [1.0, 0.5]
    assert erosion_auc(curve)["a"] == pytest.approx(0.75)


def test_bad_tables_refused():
    with pytest.raises(DataError, match="lacks column"):
        asr_table(pd.DataFrame({"arm": ["a"]}))
    t = pd.DataFrame(rows("a", "b", "clean", [1.0]))
    t.loc[0, "score"] = None
    with pytest.raises(DataError, match="empty scores"):
        retention_table(t, ["bad"])
    with pytest.raises(DataError, match="finetune step must be an integer"):
        erosion_curve(pd.DataFrame(rows("a", "b", "finetune:x", [1.0])))
