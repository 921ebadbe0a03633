"""Markdown version of the report; figures are linked from ``figures/`` next to it."""

from __future__ import annotations

import pandas as pd

from study.report.sections import Section


def _cell(x) -> str:
    s = "–" if x is None or (isinstance(x, float) and x != x) else str(x)
    return s.replace("|", "\\|").replace("\n", " ")


def md_table(df: pd.DataFrame) -> str:
    if df.empty:
        return "_(no rows)_"
    head = "| " + " | ".join(_cell(c) for c in df.columns) + " |"
    sep = "|" + "|".join("---" for _ in df.columns) + "|"
    rows = ["| " + " | ".join(_cell(v) for v in r) + " |" for r in df.itertuples(index=False)]
    return "\n".join([head, sep, *rows])


def render_markdown(title: str, subtitle: str, sections: list[Section]) -> str:
    out = [f"# {title}", "", subtitle, ""]
    for s in sections:
        out += [f"## {s.title}", ""]
        prev_details = False
        for b in s.blocks:
            if b.kind == "text":
                out += [b.text, ""]
            elif b.kind == "list":
                out += [f"- {i}" for i in b.items] + [""]
            elif b.kind == "figure" and b.figure is not None:
                out += [f"![{b.figure.title}](figures/{b.figure.name}.png)", "", f"*{b.figure.title}.* {b.figure.caption}", ""]
            elif b.kind == "details" and b.table is not None:
                # Collapsed tables (the appendix) stay out of the Markdown: it links the CSV that holds them.
                where = f"[{b.csv}]({b.csv})" if b.csv else "report.html"
                if prev_details:
                    out.pop()  # consecutive links form one list (drop the blank line between them)
                out += [f"- {b.text or 'table'}: {len(b.table)} rows, in {where} and report.html", ""]
            elif b.kind == "table" and b.table is not None:
                if b.text:
                    out += [f"**{b.text}**", ""]
                out += [md_table(b.table), ""]
                if b.csv:
                    out += [f"Full table: [{b.csv}]({b.csv}).", ""]
            prev_details = b.kind == "details"
    return "\n".join(out)
