"""The project's own SL-CAI prompt sets: red-team prompts to critique and revise, and
ordinary helpfulness prompts mixed into fine-tuning so the model stays helpful.

Each set is a JSONL file under ``constitution/data/prompts/`` with one object per line::

    {"id": "rt-sycophancy-001", "prompt": "...", "domain": "science", "kind": "red_team"}

The red-team prompts are mild by design (sycophancy pressure, flattery, everyday
deception, overconfidence, risky advice without caveats, manipulation, resisting
oversight); none asks for operationally harmful content. Ids carry the category
(``rt-<category>-NNN``, ``hp-<domain>-NNN``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from constitution._fields import check_keys, data_error, require_text
from constitution._vocab import DOMAINS, PROMPT_KINDS
from constitution.loader import DATA_DIR
from study.errors import DataError, UnknownNameError

PROMPT_FIELDS = ("id", "prompt", "domain", "kind")


@dataclass(frozen=True)
class PromptRecord:
    id: str
    prompt: str
    domain: str
    kind: str

    @property
    def category(self) -> str:
        """The middle part of the id: red-team category or helpful-prompt domain."""
        parts = self.id.split("-")
        return "-".join(parts[1:-1]) if len(parts) >= 3 else ""

    def to_dict(self) -> dict[str, str]:
        return {"id": self.id, "prompt": self.prompt, "domain": self.domain, "kind": self.kind}


def prompt_set_path(kind: str) -> Path:
    if kind not in PROMPT_KINDS:
        raise UnknownNameError("prompt set", kind, PROMPT_KINDS)
    return DATA_DIR / "prompts" / f"{kind}.jsonl"


def load_prompt_set(kind: str, path: Path | str | None = None) -> list[PromptRecord]:
    """Read and validate one prompt set (the shipped file unless ``path`` is given).

    Every line must have the expected ``kind``; ids and prompt texts are unique
    (prompts compared after case folding and whitespace collapsing).
    """
    if kind not in PROMPT_KINDS:
        raise UnknownNameError("prompt set", kind, PROMPT_KINDS)
    path = prompt_set_path(kind) if path is None else Path(path)
    if not path.is_file():
        raise DataError(f"{path}: prompt set file not found; pass an existing JSONL file")
    records: list[PromptRecord] = []
    id_lines: dict[str, int] = {}
    text_lines: dict[str, int] = {}
    for lineno, obj in _jsonl_objects(path):
        where = f"line {lineno}"
        check_keys(obj, PROMPT_FIELDS, path, where)
        rid = require_text(obj, "id", path, where)
        where = f"line {lineno} (id {rid!r})"
        record = PromptRecord(
            id=rid,
            prompt=require_text(obj, "prompt", path, where),
            domain=require_text(obj, "domain", path, where),
            kind=require_text(obj, "kind", path, where),
        )
        if record.domain not in DOMAINS:
            raise data_error(path, where, f"unknown domain {record.domain!r}", f"use one of: {', '.join(DOMAINS)}")
        if record.kind != kind:
            raise data_error(path, where, f"kind {record.kind!r} in the {kind!r} prompt set",
                             f"set kind to {kind!r} or move the line to the {record.kind!r} set")
        if rid in id_lines:
            raise data_error(path, where, f"duplicate id (first on line {id_lines[rid]})", "give each prompt a unique id")
        key = " ".join(record.prompt.casefold().split())
        if key in text_lines:
            raise data_error(path, where, f"duplicate prompt text (first on line {text_lines[key]})",
                             "remove the line or reword the prompt")
        id_lines[rid], text_lines[key] = lineno, lineno
        records.append(record)
    if not records:
        raise DataError(f"{path}: no prompts; add JSONL lines with fields {', '.join(PROMPT_FIELDS)}")
    return records


def _jsonl_objects(path: Path) -> Iterator[tuple[int, dict]]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError:
        raise DataError(f"{path}: not valid UTF-8 text; save the file as UTF-8") from None
    for lineno, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DataError(f"{path}: line {lineno}: malformed JSON ({exc.msg} at column {exc.colno}); "
                            f"make the line one complete JSON object") from None
        if not isinstance(obj, dict):
            raise DataError(f"{path}: line {lineno}: expected a JSON object, got {type(obj).__name__}; "
                            f"write one {{...}} object per line")
        yield lineno, obj


def write_prompt_set(records: list[PromptRecord], path: Path) -> None:
    """Write records as JSONL (one object per line, UTF-8, keys in schema order)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r.to_dict(), ensure_ascii=False) + "\n")
