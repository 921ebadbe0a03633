"""The run report: self-contained HTML and Markdown built from stored statistics and the manifest."""

from study.report.build import build_report
from study.report.load import ReportInputError

__all__ = ["ReportInputError", "build_report"]
