"""``study attack finetune|redteam`` run end to end on the tiny model and write their tables."""

from __future__ import annotations

import argparse

import pandas as pd
import pytest

from study.commands import attack
from study.errors import ConfigError


def _parse(argv):
    parser = argparse.ArgumentParser(prog="study")
    attack.register(parser.add_subparsers(dest="command", required=True))
    return parser.parse_args(argv)


def test_redteam_command(tmp_path, capsys):
    out = tmp_path / "rt"
    args = _parse(["attack", "redteam", "--model", "tiny", "--attacker", "local:tiny", "--behaviours", "2", "--queries", "2",
                   "--max-new-tokens", "4", "--out", str(out)])
    assert args.func(args) == 0
    curves = pd.read_parquet(out / "redteam.parquet")
    assert list(curves.columns) == ["arm", "seed", "behaviour", "query", "success"] and len(curves) == 4
    items = pd.read_parquet(out / "items.parquet")
    assert set(items["condition"]) == {"redteam:local:tiny"} and len(items) == 2
    assert (out / "redteam_transcripts.jsonl").exists()
    printed = capsys.readouterr().out
    assert "attack success rate after each query" in printed
    transcript_text = (out / "redteam_transcripts.jsonl").read_text()
    assert all(line[:40] not in printed for line in transcript_text.splitlines()), "no attack text on stdout"
    with pytest.raises(ConfigError, match="already holds results"):
        args.func(args)


def test_finetune_command(tmp_path, capsys):
    out = tmp_path / "ft"
    args = _parse(["attack", "finetune", "--model", "tiny", "--steps", "0,2", "--items", "2", "--benchmarks",
                   "sycophancy-pushback-mc,medical-misinformation-mc", "--batch-size", "2", "--out", str(out)])
    assert args.func(args) == 0
    items = pd.read_parquet(out / "items.parquet")
    assert sorted(items["condition"].unique()) == ["finetune:0", "finetune:2"]
    assert items.groupby("condition")["item"].apply(sorted).map(tuple).nunique() == 1, "the same items at every k"
    assert "erosion AUC" in capsys.readouterr().out
    assert (out / "attack_ledger.json").exists(), "one ledger holds the attack and its evaluations, as in the study cell"


def test_bad_steps_flag(tmp_path):
    args = _parse(["attack", "finetune", "--model", "tiny", "--steps", "0,x", "--out", str(tmp_path / "x")])
    with pytest.raises(ConfigError, match="comma-separated integers"):
        args.func(args)
