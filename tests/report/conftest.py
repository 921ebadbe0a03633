"""The report tests share the statistics tests' synthetic run (one definition, tests/stats/conftest.py)."""

from tests.stats.conftest import analysed, run_dir  # noqa: F401  (pytest fixtures)
