"""Self-contained HTML: inline CSS, figures embedded as base64 PNG, no external requests."""

from __future__ import annotations

import base64
import html
import re

from study.report.sections import Section

CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:1150px;margin:2em auto;padding:0 1em;color:#222}
h1{font-size:1.6em}h2{border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse;font-size:.82em;margin:.6em 0 1.2em}th,td{border:1px solid #ddd;padding:.25em .5em;text-align:left}
th{background:#f3f5f8}tr:nth-child(even) td{background:#fafafa}figure{margin:1em 0}img{max-width:100%}
figcaption,.caption{color:#555;font-size:.85em}details summary{cursor:pointer;color:#1f5fa8;margin:.4em 0}
nav a{margin-right:1em}
"""


def _inline(text: str) -> str:
    return re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", html.escape(text))


def _slug(s: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", s.lower()).strip("-")


def render_html(title: str, subtitle: str, sections: list[Section]) -> str:
    parts = [f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{html.escape(title)}</title>",
             f"<style>{CSS}</style></head><body><h1>{html.escape(title)}</h1><p class='caption'>{_inline(subtitle)}</p>",
             "<nav>" + "".join(f"<a href='#{_slug(s.title)}'>{html.escape(s.title)}</a>" for s in sections) + "</nav>"]
    for s in sections:
        parts.append(f"<h2 id='{_slug(s.title)}'>{html.escape(s.title)}</h2>")
        for b in s.blocks:
            if b.kind == "text":
                parts.append(f"<p>{_inline(b.text)}</p>")
            elif b.kind == "list":
                parts.append("<ul>" + "".join(f"<li>{_inline(i)}</li>" for i in b.items) + "</ul>")
            elif b.kind == "figure" and b.figure is not None:
                data = base64.b64encode(b.figure.png).decode("ascii")
                parts.append(f"<figure><img alt='{html.escape(b.figure.title)}' src='data:image/png;base64,{data}'>"
                             f"<figcaption><strong>{html.escape(b.figure.title)}.</strong> {html.escape(b.figure.caption)}</figcaption></figure>")
            elif b.kind in ("table", "details") and b.table is not None:
                table = b.table.to_html(index=False, escape=True, border=0, na_rep="–")
                cap = f"<p class='caption'>{_inline(b.text)}</p>" if b.text else ""
                link = f"<p class='caption'>Full table: <a href='{html.escape(b.csv)}'>{html.escape(b.csv)}</a></p>" if b.csv else ""
                if b.kind == "details":
                    parts.append(f"<details><summary>{html.escape(b.text or 'table')}</summary>{table}{link}</details>")
                else:
                    parts.append(cap + table + link)
    parts.append("</body></html>")
    return "\n".join(parts)
