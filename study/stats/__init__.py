"""Statistics of a run: per-benchmark means, paired contrasts, aggregates, power, persistence.

Entry point: :func:`analyse` reads ``items.parquet``, ``manifest.json`` and
``ledgers/*.json`` (and ``redteam.parquet`` when present) of a run directory
and writes ``stats/*.csv``. See docs/reading-the-report.md for what each
number means.
"""

from study.stats.analyse import TABLES, AnalysisResult, analyse
from study.stats.io import StatsInputError, load_run
from study.stats.power import (
           SampleSize,
           minimum_detectable_effect,
           power_table,
           required_sample_size,
)

__all__ = ["TABLES", "AnalysisResult", "SampleSize", "StatsInputError", "analyse", "load_run",
           "minimum_detectable_effect", "power_table", "required_sample_size"]
