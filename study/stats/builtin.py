"""The project's own statistics and report sections (see study/stats/registry.py).

Listed in run order (a statistic may read the tables of those above it);
``order`` places the section in the report. A new project-level section is one
line in the list below, e.g. ``Statistic("validity", section="study.report.validity:section", order=75)``.
"""

from __future__ import annotations

from study.stats.aggregate import aggregate_table
from study.stats.attacks import dose_table, erosion_tables, redteam_asr_table
from study.stats.contrasts import contrast_table
from study.stats.multiple import adjust_pvalues
from study.stats.persistence import persistence_tables
from study.stats.power import add_power, power_table
from study.stats.refusal import nonrefusal_table, refusal_rates
from study.stats.registry import BUILTIN, AnalysisContext, Statistic
from study.stats.summary import summarise

S = "study.report.sections:"


def _summary(ctx: AnalysisContext):
    return {"summary": summarise(ctx.panel)}


def _contrasts(ctx: AnalysisContext):
    c = contrast_table(ctx.panel, ctx.pairs, ctx.rng, ctx.n_boot)
    c = add_power(adjust_pvalues(c, ctx.run.manifest.get("primary_hypotheses", [])), ctx.min_effect, ctx.alpha, ctx.power)
    return {"contrasts": c}


def _aggregates(ctx: AnalysisContext):
    return {"aggregates": aggregate_table(ctx.panel, ctx.draws, ctx.tables["contrasts"], ctx.alpha, ctx.rng, ctx.n_boot)}


def _nonrefusal(ctx: AnalysisContext):
    return {"nonrefusal": nonrefusal_table(ctx.items, ctx.pairs, ctx.rng, ctx.n_boot), "refusal": refusal_rates(ctx.items)}


def _power(ctx: AnalysisContext):
    return {"power": power_table(ctx.tables["contrasts"], ctx.min_effect, ctx.alpha, ctx.power)}


def _persistence(ctx: AnalysisContext):
    p, d = persistence_tables(ctx.panel, ctx.draws, ctx.run.manifest, ctx.pairs, ctx.items)
    return {"persistence": p, "persistence_diff": d}


def _erosion(ctx: AnalysisContext):
    e, auc = erosion_tables(ctx.panel, ctx.draws, ctx.pairs, ctx.items)
    return {"erosion": e, "erosion_auc": auc}


def _asr(ctx: AnalysisContext):
    return {"asr": redteam_asr_table(ctx.run.redteam, ctx.rng, ctx.n_boot)}


def _dose(ctx: AnalysisContext):
    return {"dose": dose_table(ctx.panel, ctx.draws, ctx.run.manifest)}


if not BUILTIN:
    BUILTIN.extend([
        Statistic("answer", section=S + "answer_section", order=0),
        Statistic("judge-notice", section="study.report.diagnostics:notice_section", order=1),
        Statistic("diagnostics", section="study.report.diagnostics:section", order=65),
        Statistic("summary", _summary, S + "scores_section", order=30),
        Statistic("contrasts", _contrasts, S + "benchmark_section", order=20),
        Statistic("aggregates", _aggregates, S + "headline_section", order=10),
        Statistic("nonrefusal", _nonrefusal, S + "nonrefusal_section", order=40),
        Statistic("persistence", _persistence, order=50),
        Statistic("erosion", _erosion, order=50),
        Statistic("asr", _asr, S + "adversarial_section", order=50),
        Statistic("dose", _dose, S + "dose_section", order=60),
        Statistic("compute", section=S + "compute_section", order=70),
        Statistic("power", _power, S + "power_section", order=80),
        Statistic("validity", section="study.report.validity:section", order=85),
        Statistic("limitations", section=S + "limitations_section", order=90),
        Statistic("manifest", section=S + "manifest_section", order=95),
        Statistic("appendix", section=S + "appendix_section", order=99),
    ])
