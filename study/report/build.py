"""Build ``report.html`` and ``report.md`` of a run from its stored statistics."""

from __future__ import annotations

from pathlib import Path

from study.report.figures import build_figures
from study.report.html import render_html
from study.report.load import load_report_data
from study.report.markdown import render_markdown
from study.report.sections import build_sections
from study.stats.io import atomic_write_bytes, atomic_write_text


def build_report(run_dir: Path) -> tuple[Path, Path]:
    """Write figures/*.png, report.html (self-contained) and report.md; return (html_path, md_path).

    Reads only ``stats/*.csv`` (from :func:`study.stats.analyse`), ``manifest.json``
    and ``ledgers/*.json``. No response text is read or quoted.
    """
    data = load_report_data(Path(run_dir))
    sections = build_sections(data, build_figures(data))
    for f in {b.figure.name: b.figure for s in sections for b in s.blocks if b.kind == "figure" and b.figure}.values():
        atomic_write_bytes(data.run_dir / "figures" / f"{f.name}.png", f.png)   # a section's own figures too
    run_id = data.manifest.get("run_id", data.manifest.get("run", data.run_dir.name))
    title = f"Constitution vs trait-RL: run {run_id}"
    subtitle = (f"Generated from stats/ and manifest.json of {data.run_dir.name}. How to read it: docs/reading-the-report.md. "
                "Scores are in [0, 1], higher is better; differences are arm a minus arm b.")
    html_path, md_path = data.run_dir / "report.html", data.run_dir / "report.md"
    atomic_write_text(html_path, render_html(title, subtitle, sections))
    atomic_write_text(md_path, render_markdown(title, subtitle, sections))
    return html_path, md_path
