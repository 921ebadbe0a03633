"""Load and validate a written constitution: long-form document, principles, few-shot examples.

A constitution is either a directory laid out like ``constitution/data/``::

    constitution.md     the long-form document
    principles.yaml     principles: [ {id, text, critique_request, revision_request,
                                       comparison_question, traits}, ... ]
    few_shot.yaml       few_shot: [ {id, principle_id, prompt, initial_answer,
                                     critique, revision}, ... ]   (optional file)

or a single YAML file with the keys ``document`` (the text itself, or a path to a
text file relative to the YAML file), ``principles`` and optionally ``few_shot``.
Every mistake raises :class:`study.errors.DataError` with a one-line message
naming the file, the entry and the fix.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from constitution._fields import (
    check_keys,
    data_error,
    entry_label,
    require_id,
    require_mapping,
    require_text,
)
from constitution._vocab import TRAIT_TAGS
from study.errors import DataError, UnknownNameError

DATA_DIR = Path(__file__).resolve().parent / "data"
DOCUMENT_FILE = "constitution.md"
PRINCIPLES_FILE = "principles.yaml"
FEW_SHOT_FILE = "few_shot.yaml"

PRINCIPLE_FIELDS = ("id", "text", "critique_request", "revision_request", "comparison_question", "traits")
FEW_SHOT_FIELDS = ("id", "principle_id", "prompt", "initial_answer", "critique", "revision")
SINGLE_FILE_KEYS = ("document", "principles", "few_shot")


@dataclass(frozen=True)
class Principle:
    """One short principle and the three requests built from it."""

    id: str
    text: str
    critique_request: str
    revision_request: str
    comparison_question: str
    traits: tuple[str, ...]


@dataclass(frozen=True)
class FewShotExample:
    """A worked critique-and-revision example shown to the model before its own task."""

    id: str
    principle_id: str
    prompt: str
    initial_answer: str
    critique: str
    revision: str


@dataclass(frozen=True)
class Constitution:
    document: str
    principles: tuple[Principle, ...]
    few_shot: tuple[FewShotExample, ...]
    source: Path

    def sample_principle(self, rng: random.Random) -> Principle:
        """One principle drawn uniformly with the caller's seeded generator."""
        return rng.choice(self.principles)

    def principle(self, principle_id: str) -> Principle:
        for p in self.principles:
            if p.id == principle_id:
                return p
        raise UnknownNameError("principle", principle_id, [p.id for p in self.principles])

    @property
    def principle_ids(self) -> tuple[str, ...]:
        return tuple(p.id for p in self.principles)

    @property
    def traits(self) -> frozenset[str]:
        return frozenset(t for p in self.principles for t in p.traits)


def load_constitution(path: Path | str | None = None) -> Constitution:
    """Load the shipped constitution, or a user's directory or single YAML file."""
    path = DATA_DIR if path is None else Path(path)
    if path.is_dir():
        return _load_directory(path)
    if path.is_file():
        return _load_single_file(path)
    raise DataError(f"{path}: constitution not found; pass a directory with {DOCUMENT_FILE} and "
                    f"{PRINCIPLES_FILE}, or a YAML file with keys document, principles, few_shot")


def _load_directory(directory: Path) -> Constitution:
    doc_path = directory / DOCUMENT_FILE
    principles_path = directory / PRINCIPLES_FILE
    for required in (doc_path, principles_path):
        if not required.is_file():
            raise DataError(f"{required}: file missing from constitution directory {directory}; "
                            f"create it (see constitution/data/ for the layout)")
    document = _read_document(doc_path)
    principles = _parse_principles(_section(_read_yaml(principles_path), "principles", principles_path),
                                   principles_path)
    few_shot_path = directory / FEW_SHOT_FILE
    few_shot: tuple[FewShotExample, ...] = ()
    if few_shot_path.is_file():
        raw = _section(_read_yaml(few_shot_path), "few_shot", few_shot_path, required=False)
        few_shot = _parse_few_shot(raw, few_shot_path, principles)
    return Constitution(document, principles, few_shot, directory)


def _load_single_file(path: Path) -> Constitution:
    data = _read_yaml(path)
    if not isinstance(data, Mapping):
        raise DataError(f"{path}: top level must be a mapping; write the keys {', '.join(SINGLE_FILE_KEYS)}")
    unknown = sorted(str(k) for k in data if k not in SINGLE_FILE_KEYS)
    if unknown:
        raise DataError(f"{path}: unknown top-level key(s) {', '.join(map(repr, unknown))}; "
                        f"allowed keys: {', '.join(SINGLE_FILE_KEYS)}")
    document = _document_from_value(data.get("document"), path)
    principles = _parse_principles(_section(data, "principles", path), path)
    few_shot = _parse_few_shot(_section(data, "few_shot", path, required=False), path, principles)
    return Constitution(document, principles, few_shot, path)


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else "file"
        problem = getattr(exc, "problem", None) or type(exc).__name__
        raise DataError(f"{path}: {where}: invalid YAML ({problem}); fix the syntax there") from None
    except UnicodeDecodeError:
        raise DataError(f"{path}: not valid UTF-8 text; save the file as UTF-8") from None


def _read_document(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise DataError(f"{path}: not valid UTF-8 text; save the file as UTF-8") from None
    if not text.strip():
        raise DataError(f"{path}: the constitution document is empty; write the long-form text")
    return text.strip() + "\n"


def _document_from_value(value: Any, yaml_path: Path) -> str:
    """``document`` is inline text, or (one line naming an existing file) a path beside the YAML."""
    if value is None:
        raise DataError(f"{yaml_path}: missing key 'document'; give the constitution text or a path to it")
    if not isinstance(value, str) or not value.strip():
        raise DataError(f"{yaml_path}: key 'document' must be non-empty text or a file path")
    candidate = value.strip()
    if "\n" not in candidate:
        doc_path = (yaml_path.parent / candidate).resolve()
        if doc_path.is_file():
            return _read_document(doc_path)
        if doc_path.suffix.lower() in {".md", ".txt", ".rst"}:
            raise DataError(f"{yaml_path}: document file {doc_path} not found; "
                            f"fix the path (relative to the YAML file) or paste the text inline")
    return candidate + "\n"


def _section(data: Any, key: str, path: Path, required: bool = True) -> list[Any]:
    if not isinstance(data, Mapping) or (required and key not in data):
        raise DataError(f"{path}: missing top-level key {key!r}; the file must hold '{key}:' followed by a list")
    raw = data.get(key)
    if raw is None and not required:
        return []
    if not isinstance(raw, list):
        raise DataError(f"{path}: {key!r} must be a list of entries, got {type(raw).__name__}; "
                        f"write each entry as '- key: value' lines")
    return raw


def _entries(raw: list[Any], path: Path, kind: str, fields: tuple[str, ...]) -> Iterator[tuple[int, str, Mapping[str, Any], str]]:
    """(index, label, entry, id) of each entry of a section, checked: a mapping with exactly ``fields`` and a kebab-case id."""
    for i, item in enumerate(raw):
        where = entry_label(kind, item, i)
        entry = require_mapping(item, path, where)
        check_keys(entry, fields, path, where)
        yield i, where, entry, require_id(entry, "id", path, where)


def _parse_principles(raw: list[Any], path: Path) -> tuple[Principle, ...]:
    if not raw:
        raise DataError(f"{path}: no principles; add at least one entry under 'principles'")
    seen: dict[str, str] = {}
    out = []
    for i, where, entry, pid in _entries(raw, path, "principle", PRINCIPLE_FIELDS):
        if pid in seen:
            raise data_error(path, where, f"duplicate id {pid!r} (also {seen[pid]})", "give each principle a unique id")
        seen[pid] = f"#{i + 1}"
        out.append(Principle(
            id=pid,
            text=require_text(entry, "text", path, where),
            critique_request=require_text(entry, "critique_request", path, where),
            revision_request=require_text(entry, "revision_request", path, where),
            comparison_question=require_text(entry, "comparison_question", path, where),
            traits=_parse_traits(entry["traits"], path, where),
        ))
    return tuple(out)


def _parse_traits(value: Any, path: Path, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value:
        raise data_error(path, where, "field 'traits' must be a non-empty list of trait tags",
                         f"use tags from: {', '.join(TRAIT_TAGS)}")
    for tag in value:
        if tag not in TRAIT_TAGS:
            raise data_error(path, where, f"unknown trait tag {tag!r}", f"use tags from: {', '.join(TRAIT_TAGS)}")
    if len(set(value)) != len(value):
        raise data_error(path, where, "field 'traits' repeats a tag", "list each trait tag once")
    return tuple(value)


def _parse_few_shot(raw: list[Any], path: Path, principles: tuple[Principle, ...]) -> tuple[FewShotExample, ...]:
    known = {p.id for p in principles}
    seen: set[str] = set()
    out = []
    for _, where, entry, eid in _entries(raw, path, "few-shot example", FEW_SHOT_FIELDS):
        if eid in seen:
            raise data_error(path, where, f"duplicate id {eid!r}", "give each few-shot example a unique id")
        seen.add(eid)
        principle_id = require_text(entry, "principle_id", path, where)
        if principle_id not in known:
            raise data_error(path, where, f"unknown principle id {principle_id!r}",
                             f"use one of the principle ids: {', '.join(sorted(known))}")
        out.append(FewShotExample(
            id=eid,
            principle_id=principle_id,
            prompt=require_text(entry, "prompt", path, where),
            initial_answer=require_text(entry, "initial_answer", path, where),
            critique=require_text(entry, "critique", path, where),
            revision=require_text(entry, "revision", path, where),
        ))
    return tuple(out)
