"""Parse archive members (bytes) into rows.

A row that cannot be parsed becomes a :class:`Malformed` marker instead of
aborting the file; :mod:`study.external.datasets` counts those with the rows a
builder rejects and applies one policy to both.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from typing import Any

from study.errors import DataError

FORMATS = ("jsonl", "json", "csv", "lines", "sections")


@dataclass(frozen=True)
class Malformed:
    reason: str


def _text(data: bytes, where: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError(f"{where}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc


def parse_jsonl(data: bytes, where: str) -> list[Any]:
    rows: list[Any] = []
    for n, line in enumerate(_text(data, where).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError as exc:
            rows.append(Malformed(f"line {n}: {exc.msg}"))
    return rows


def parse_json(data: bytes, where: str) -> list[Any]:
    try:
        doc = json.loads(_text(data, where))
    except json.JSONDecodeError as exc:
        raise DataError(f"{where}: invalid JSON at line {exc.lineno} ({exc.msg})") from exc
    if not isinstance(doc, list):
        raise DataError(f"{where}: expected a JSON list of records, got {type(doc).__name__}")
    return doc


def parse_csv(data: bytes, where: str) -> list[Any]:
    reader = csv.DictReader(io.StringIO(_text(data, where), newline=""))
    rows: list[Any] = []
    for row in reader:
        if None in row or any(v is None for v in row.values()):
            rows.append(Malformed(f"line {reader.line_num}: wrong number of fields"))
        else:
            rows.append(row)
    return rows


def parse_lines(data: bytes, where: str) -> list[Any]:
    return [line.strip() for line in _text(data, where).splitlines() if line.strip()]


def parse_sections(data: bytes, where: str) -> list[Any]:
    """Text made of concatenated sections that each start with the file's first line (a header).

    Rows are ``(section_index, line)``; header lines are dropped.
    """
    lines = parse_lines(data, where)
    if not lines:
        return []
    header, section, rows = lines[0], -1, []
    for line in lines:
        if line == header:
            section += 1
        else:
            rows.append((section, line))
    return rows


_PARSERS = {
    "jsonl": parse_jsonl, "json": parse_json, "csv": parse_csv, "lines": parse_lines, "sections": parse_sections,
}


def parse(fmt: str, data: bytes, where: str) -> list[Any]:
    if fmt not in _PARSERS:
        raise ValueError(f"unknown format {fmt!r}; known: {FORMATS}")
    return _PARSERS[fmt](data, where)
