"""Checks on the per-item table and manifest, done once at the edge.

Every failure is a one-line :class:`StatsInputError` naming what is wrong and
where, so no later step has to guard against NaN, missing arms or unpaired items.
"""

from __future__ import annotations

import re

import pandas as pd

from study.stats.io import StatsInputError

REQUIRED = {
    "run": "str", "arm": "str", "seed": "int", "benchmark": "str", "item": "str", "cluster": "str",
    "condition": "str", "sample": "int", "score": "float", "refused": "bool", "category": "str",
    "trait": "str", "domain": "str", "distribution": "str",
}
KEY = ["arm", "seed", "benchmark", "item", "condition", "sample"]
BENCH_META = ["category", "trait", "domain", "distribution"]
CONDITION_RE = re.compile(r"^(clean|(jailbreak|persona|finetune):[^:\s]+|redteam(:\S+)?)$")  # attacker specs may hold colons (local:tiny)
DISTRIBUTIONS = ("in_distribution", "held_out")


def _row(df: pd.DataFrame, mask) -> str:
    r = df.loc[mask].iloc[0]
    return f"benchmark={r['benchmark']!r} arm={r['arm']!r} seed={r['seed']} item={r['item']!r} condition={r['condition']!r}"


def validate_items(df: pd.DataFrame, manifest: dict, source: str = "items.parquet") -> pd.DataFrame:
    """Return a cleaned copy of the table or raise naming the first problem."""
    missing = [c for c in REQUIRED if c not in df.columns]
    if missing:
        raise StatsInputError(f"{source}: missing column(s) {', '.join(missing)}; see the per-item table in docs/contracts.md")
    if df.empty:
        raise StatsInputError(f"{source}: the table has no rows")
    df = df[list(REQUIRED) + [c for c in df.columns if c not in REQUIRED]].copy()
    for col in ("run", "arm", "benchmark", "item", "cluster", "condition", *BENCH_META):
        if df[col].isna().any():
            raise StatsInputError(f"{source}: column {col!r} has empty values, first at {_row(df, df[col].isna())}")
        df[col] = df[col].astype(str)
    for col in ("seed", "sample"):
        if df[col].isna().any() or not pd.api.types.is_integer_dtype(df[col]):
            raise StatsInputError(f"{source}: column {col!r} must hold integers without gaps")
    df["score"] = pd.to_numeric(df["score"], errors="coerce").astype(float)
    nan = df["score"].isna()
    if nan.any():
        raise StatsInputError(f"{source}: {int(nan.sum())} NaN score(s), first at {_row(df, nan)}; rescore or drop the item in every arm")
    bad = (df["score"] < 0) | (df["score"] > 1)
    if bad.any():
        raise StatsInputError(f"{source}: score outside [0, 1] at {_row(df, bad)}; scores must be in [0, 1], higher is better")
    badc = ~df["condition"].str.match(CONDITION_RE)
    if badc.any():
        raise StatsInputError(f"{source}: unknown condition {df.loc[badc, 'condition'].iloc[0]!r}; use clean or <kind>:<name> with kind jailbreak|persona|redteam|finetune")
    badd = ~df["distribution"].isin(DISTRIBUTIONS)
    if badd.any():
        raise StatsInputError(f"{source}: distribution {df.loc[badd, 'distribution'].iloc[0]!r} at {_row(df, badd)}; use in_distribution or held_out")
    dup = df.duplicated(KEY)
    if dup.any():
        raise StatsInputError(f"{source}: duplicate row for {_row(df, dup)} sample={df.loc[dup, 'sample'].iloc[0]}; each (arm, seed, benchmark, item, condition, sample) must appear once")
    if df["run"].nunique() > 1:
        raise StatsInputError(f"{source}: several run ids {sorted(df['run'].unique())[:3]}; analyse one run at a time")
    df["refused"] = df["refused"].astype("boolean")
    _check_consistent(df, ["benchmark", "item"], "cluster", source)
    for col in BENCH_META:
        _check_consistent(df, ["benchmark"], col, source)
    _check_arms(df, manifest, source)
    _check_pairing(df, source)
    _check_conditions_subset_of_clean(df, source)
    return df


def _check_consistent(df: pd.DataFrame, by: list[str], col: str, source: str) -> None:
    n = df.groupby(by, sort=False)[col].nunique()
    if (n > 1).any():
        key = n[n > 1].index[0]
        raise StatsInputError(f"{source}: {col!r} differs between rows of {dict(zip(by, key if isinstance(key, tuple) else (key,)))}; it must be fixed per {'/'.join(by)}")


def _check_arms(df: pd.DataFrame, manifest: dict, source: str) -> None:
    arms = set(df["arm"].unique())
    declared = [a["name"] for a in manifest.get("arms", [])]
    for name in declared:
        if name not in arms:
            raise StatsInputError(f"{source}: arm {name!r} is in manifest.json but has no rows; evaluate it or remove it from the manifest")
    clean = df[df["condition"] == "clean"]
    if clean.empty:
        raise StatsInputError(f"{source}: no rows with condition 'clean'; every analysis is anchored on the clean condition")
    benches = set(df["benchmark"].unique())
    have = clean.groupby("arm")["benchmark"].unique()
    for arm in sorted(arms):
        lacking = sorted(benches - set(have.get(arm, [])))
        if lacking:
            raise StatsInputError(f"{source}: arm {arm!r} has no clean rows for benchmark {lacking[0]!r} ({len(lacking)} missing); every arm must be scored on every benchmark")
    seeds = df.groupby(["arm", "benchmark", "condition"])["seed"].unique().map(lambda s: tuple(sorted(s)))
    for arm in sorted(arms):
        sets = seeds.loc[arm]
        if sets.nunique() > 1:
            ref, other = sets.iloc[0], sets[sets != sets.iloc[0]]
            raise StatsInputError(f"{source}: arm {arm!r} has seeds {list(ref)} on {sets.index[0]} but {list(other.iloc[0])} on {other.index[0]}; score every checkpoint on every benchmark")
    for pair in manifest.get("contrasts", []):
        for a in pair:
            if a not in arms:
                raise StatsInputError(f"manifest.json: contrast {pair} names arm {a!r} which has no rows; known arms: {', '.join(sorted(arms))}")
    for h in manifest.get("primary_hypotheses", []):
        if h.get("benchmark") not in benches or any(a not in arms for a in h.get("contrast", [])):
            raise StatsInputError(f"manifest.json: primary hypothesis {h} names an unknown benchmark or arm")


def _check_pairing(df: pd.DataFrame, source: str) -> None:
    """Every (arm, seed) in a (benchmark, condition) cell must have the same items and samples."""
    per = df.groupby(["benchmark", "condition", "arm", "seed"], sort=True).agg(
        n=("item", "nunique"), rows=("item", "size"))
    cell_items = df.groupby(["benchmark", "condition"])["item"].nunique()
    joined = per.join(cell_items.rename("cell_n"), on=["benchmark", "condition"])
    short = joined[joined["n"] < joined["cell_n"]]
    if not short.empty:
        b, c, a, s = short.index[0]
        cell = df[(df["benchmark"] == b) & (df["condition"] == c)]
        mine = set(cell.loc[(cell["arm"] == a) & (cell["seed"] == s), "item"])
        gone = sorted(set(cell["item"]) - mine)
        raise StatsInputError(f"{source}: unpaired items in benchmark={b!r} condition={c!r}: arm={a!r} seed={s} lacks {len(gone)} "
                              f"item(s) others have, e.g. {gone[0]!r}; score the same items in every arm and seed")


def _check_conditions_subset_of_clean(df: pd.DataFrame, source: str) -> None:
    """An item scored under an attack or persona must also be scored clean, or it cannot be paired."""
    pairs = df[["benchmark", "condition", "item"]].drop_duplicates()
    clean = set(map(tuple, pairs.loc[pairs["condition"] == "clean", ["benchmark", "item"]].to_numpy()))
    other = pairs[pairs["condition"] != "clean"]
    keys = list(map(tuple, other[["benchmark", "item"]].to_numpy()))
    orphan = [i for i, k in enumerate(keys) if k not in clean]
    if orphan:
        r = other.iloc[orphan[0]]
        raise StatsInputError(f"{source}: item {r['item']!r} of benchmark {r['benchmark']!r} is scored under {r['condition']!r} "
                              "but not under 'clean'; score it clean too so the conditions can be paired")
