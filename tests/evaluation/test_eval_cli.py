"""``study eval`` on the tiny model: every condition kind in one call, items paired across conditions."""

from __future__ import annotations

import pandas as pd

from study.cli import main


def test_eval_all_condition_kinds_pair_items(tmp_path, capsys):
    out = tmp_path / "eval"
    argv = ["eval", "--model", "tiny", "--items", "2", "--max-new-tokens", "4",
            "--benchmarks", "ext-harmbench,medical-misinformation-mc,steer-concise-tutor,sycophancy-pushback-mc",
            "--conditions", "clean,persona:reckless-medic,persona:concise-tutor,jailbreak:roleplay,redteam:local:tiny",
            "--redteam-behaviours", "2", "--redteam-queries", "2", "--out", str(out)]
    assert main(argv) == 0
    table = pd.read_parquet(out / "items.parquet")
    assert set(table["condition"]) == {"clean", "persona:reckless-medic", "persona:concise-tutor", "jailbreak:roleplay", "redteam:local:tiny"}
    clean = set(table.loc[table["condition"] == "clean", ["benchmark", "item"]].itertuples(index=False))
    for condition, rows in table.groupby("condition"):
        assert set(rows[["benchmark", "item"]].itertuples(index=False)) <= clean, f"{condition} rows pair with clean rows"
    assert set(table.loc[table["condition"] == "jailbreak:roleplay", "benchmark"]) == {"ext-harmbench"}
    assert set(table.loc[table["condition"] == "persona:concise-tutor", "benchmark"]) == {"steer-concise-tutor"}
    assert len(pd.read_parquet(out / "redteam.parquet")) == 2 * 2
    printed = capsys.readouterr().out
    assert "attack success rate after each query" in printed
    for section in ("attack success rate on harmful-refusal items", "retention under harmful personas", "helpful steerability"):
        assert section in printed
    assert main(argv) == 2, "an existing result is never overwritten"


def test_eval_unknown_condition_is_one_line(tmp_path, capsys):
    assert main(["eval", "--model", "tiny", "--conditions", "clean,jailbreak:nope", "--out", str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err.strip()
    assert "nope" in err and len(err.splitlines()) == 1 and not (tmp_path / "x").exists()
