"""Report findings of issue 16: the opening answer, the one-seed warning, bounded intervals and axes, compact Markdown."""

import numpy as np
import pandas as pd
import pytest

from study.report import build_report
from study.report.figures import _ci_cols, _forest_limits
from study.stats import analyse
from tests.fixtures.synthetic_run import SyntheticSpec, write_run

QUICK_LIKE = SyntheticSpec(n_benchmarks=57, n_items=2, cluster_size=1, n_seeds=1, helpful_personas=(), harmful_personas=(),
                           finetune_k=(), attacked_benchmarks=0, binary_every=1, rng_seed=3, seed_sd=0.0,
                           effects={"base": 0.0, "control": 0.0, "constitution": 0.0, "trait-rl": 0.0})


@pytest.fixture(scope="module")
def quick_like(tmp_path_factory):
    run = write_run(tmp_path_factory.mktemp("q") / "run", QUICK_LIKE, redteam=False)
    analyse(run, n_boot=200)
    _, md = build_report(run)
    return run, md.read_text()


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    spec = SyntheticSpec(n_benchmarks=8, n_items=60, n_seeds=3, helpful_personas=(), harmful_personas=(), finetune_k=(),
                         attacked_benchmarks=0, effects={"base": 0.0, "control": 0.0, "constitution": 0.0, "trait-rl": 0.25})
    run = write_run(tmp_path_factory.mktemp("s") / "run", spec, redteam=False)
    analyse(run, n_boot=200)
    _, md = build_report(run)
    return run, md.read_text()


def _first_section(md: str) -> str:
    return md.split("\n## ", 2)[1]


def test_report_opens_with_the_answer(quick_like, seeded):
    first = _first_section(quick_like[1])
    assert first.startswith("Answer")
    assert "No difference between trait-rl and constitution is detectable at this size" in first
    assert "minimum detectable effect" in first
    first = _first_section(seeded[1])
    assert first.startswith("Answer") and "**trait-rl is better than constitution**" in first
    assert "procedure level" in first and "One training seed" not in first


def test_one_seed_report_says_p_values_are_about_checkpoints(quick_like):
    first = _first_section(quick_like[1])
    assert "**One training seed per arm:**" in first
    assert "about these particular checkpoints of trait-rl and constitution, not about the methods" in first


def test_no_interval_outside_the_score_range_and_tiny_groups_say_so(quick_like):
    run, md = quick_like
    nums = [float(x) for x in __import__("re").findall(r"\[([+-]\d\.\d{3}), ", md)]
    nums += [float(x) for x in __import__("re").findall(r", ([+-]\d\.\d{3})\]", md)]
    assert nums and all(-1 <= x <= 1 for x in nums)
    assert "(n too small)" in md


def test_improved_x_of_y_interval_contains_x(quick_like):
    run, md = quick_like
    import re
    for x, lo, hi in re.findall(r"(\d+) of \d+ \[(\d+), (\d+)\]", md):
        assert int(lo) <= int(x) <= int(hi)


def test_power_table_does_not_claim_one_seed_suffices(quick_like):
    run, md = quick_like
    power = md.split("## Power", 1)[1].split("\n## ", 1)[0]
    assert "not estimable (one seed per arm)" in power
    rows = [r for r in power.splitlines() if r.startswith("| bench-")]
    assert rows and all(r.rstrip().endswith("| not estimable (one seed per arm) |") for r in rows)


def test_markdown_is_compact_with_full_tables_linked(quick_like):
    run, md = quick_like
    assert len(md.encode()) < 40_000, len(md.encode())
    appendix = md.split("## Appendix: full tables", 1)[1]
    assert "[stats/contrasts.csv](stats/contrasts.csv)" in appendix and "[stats/power.csv](stats/power.csv)" in appendix
    per = md.split("## Per-benchmark contrasts", 1)[1].split("\n## ", 1)[0]
    assert per.count("\n| ") <= 15 + 1


def test_forest_axis_is_not_squashed_by_huge_intervals():
    d = pd.DataFrame({"ci_proc_low": [np.nan] * 3, "ci_proc_high": [np.nan] * 3, "ci_ckpt_low": [-5.854, -0.1, -0.2],
                      "ci_ckpt_high": [6.854, 0.1, 0.3], "n_clusters": [2, 50, 50], "diff": [0.5, 0.0, 0.05]})
    lo, hi = _ci_cols(d)
    assert np.isnan(lo[0]) and np.isnan(hi[0])                  # 2 clusters: no interval drawn
    left, right = _forest_limits(d["diff"].to_numpy(), lo, hi)
    assert -0.3 < left < -0.2 and 0.5 < right < 0.6
    left, right = _forest_limits(np.array([0.0]), np.array([-3.0]), np.array([3.0]))
    assert left >= -1.2 and right <= 1.2
