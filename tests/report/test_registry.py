"""A statistic with its report section, added from a separate (fake) distribution by entry point."""

import pytest

from study.report import build_report
from study.stats import analyse
from study.stats.registry import ENTRY_POINT_GROUP, RegistryError, Statistic, register, statistics, unregister
from tests.fixtures.plugin_dist import forget, install_fake_distribution
from tests.fixtures.synthetic_run import SyntheticSpec, write_run

PLUGIN = '''
import pandas as pd

from study.report.sections import Block, Section, table_block
from study.stats.registry import Statistic


def compute(ctx):
    c = ctx.tables["contrasts"]
    counts = c[c["condition"] == "clean"].groupby("contrast")["diff"].apply(lambda d: int((d > 0).sum()))
    return {"fake_sign_count": counts.rename("positive").reset_index()}


def section(data, figures):
    t = data.t("fake_sign_count")
    return Section("Fake sign count", [Block("text", text="From the fake_stat distribution."),
                                       table_block(t, "positive differences", csv="stats/fake_sign_count.csv")])


STATISTIC = Statistic("fake-sign-count", compute, section="fake_stat_mod:section", order=86)
'''


@pytest.fixture
def fake_distribution(tmp_path, monkeypatch):
    site = tmp_path / "site"
    install_fake_distribution(site, monkeypatch, name="fake-stat", module="fake_stat_mod", source=PLUGIN,
                              entry_points={ENTRY_POINT_GROUP: {"fake-sign-count": "fake_stat_mod:STATISTIC"}})
    yield site
    forget("fake_stat_mod")


def test_entry_point_statistic_writes_its_table_and_section(fake_distribution, tmp_path):
    assert "fake-sign-count" in [s.name for s in statistics()]
    run = write_run(tmp_path / "run", SyntheticSpec(n_benchmarks=3, helpful_personas=(), harmful_personas=(),
                                                    finetune_k=(), attacked_benchmarks=0), redteam=False)
    analyse(run, n_boot=100)
    assert (run / "stats" / "fake_sign_count.csv").exists()
    _, md = build_report(run)
    text = md.read_text()
    assert "## Fake sign count" in text and "From the fake_stat distribution." in text
    assert text.index("## Power") < text.index("## Fake sign count") < text.index("## Limitations")


def test_without_the_distribution_it_is_absent():
    assert "fake-sign-count" not in [s.name for s in statistics()]


def test_entry_point_of_wrong_type_is_a_one_line_error(tmp_path, monkeypatch):
    install_fake_distribution(tmp_path / "bad", monkeypatch, name="bad-stat", module="bad_stat_mod", source="VALUE = 3\n",
                              entry_points={ENTRY_POINT_GROUP: {"bad": "bad_stat_mod:VALUE"}})
    with pytest.raises(RegistryError, match=r"entry point 'bad' \(bad_stat_mod:VALUE\) must be a study.stats.registry.Statistic"):
        statistics()
    forget("bad_stat_mod")


def test_register_rejects_duplicates_and_report_only_sections_work(tmp_path):
    with pytest.raises(RegistryError, match="'contrasts' is already registered"):
        register(Statistic("contrasts"))
    register(Statistic("bad-section", section="no_such_module:section"))
    try:
        run = write_run(tmp_path / "run", SyntheticSpec(n_benchmarks=2, helpful_personas=(), harmful_personas=(),
                                                        finetune_k=(), attacked_benchmarks=0), redteam=False)
        analyse(run, n_boot=100)
        with pytest.raises(RegistryError, match="report section 'no_such_module:section' cannot be imported"):
            build_report(run)
    finally:
        unregister("bad-section")
