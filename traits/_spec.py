"""Trait and domain specifications, read from YAML.

The built-in specs live in ``traits/data/``. Users add or redefine entries with
their own YAML files of the same shape (see ``traits/README.md``); a later file
replaces an earlier entry with the same id, so a user can e.g. flip a built-in
trait's ``held_out`` flag without copying the whole library.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from study.errors import DataError

DATA_DIR = Path(__file__).parent / "data"
BUILTIN_TRAITS = DATA_DIR / "traits.yaml"
BUILTIN_DOMAINS = DATA_DIR / "domains.yaml"
_ID = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Trait:
    """A behavioural trait a scenario tests."""

    id: str
    name: str
    definition: str
    failure_modes: tuple[str, ...]
    rubric_guidance: tuple[str, ...]
    held_out: bool


@dataclass(frozen=True)
class Domain:
    """A domain family scenarios are set in."""

    id: str
    name: str
    description: str


def _read_entries(path: Path, key: str) -> list[dict]:
    if not path.is_file():
        raise DataError(f"{path}: file not found; pass the path of an existing YAML file")
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        at = f" line {line + 1}" if line is not None else ""
        raise DataError(f"{path}{at}: invalid YAML; fix the syntax ({type(exc).__name__})") from None
    if not isinstance(doc, dict) or not isinstance(doc.get(key), list):
        raise DataError(f"{path}: expected a top-level '{key}:' list; see traits/README.md for the format")
    return doc[key]


def _text(entry: dict, field: str, where: str) -> str:
    value = entry.get(field)
    if not isinstance(value, str) or not value.strip():
        raise DataError(f"{where}: field '{field}' is missing or not a non-empty string; add it")
    return value.strip()


def _lines(entry: dict, field: str, where: str) -> tuple[str, ...]:
    value = entry.get(field)
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
        raise DataError(f"{where}: field '{field}' must be a non-empty list of strings; add at least one line")
    return tuple(v.strip() for v in value)


def _entry_id(entry: object, index: int, path: Path, kind: str) -> tuple[dict, str, str]:
    where = f"{path} {kind} #{index + 1}"
    if not isinstance(entry, dict):
        raise DataError(f"{where}: expected a mapping with id, name, ...; fix the entry")
    ident = _text(entry, "id", where)
    if not _ID.match(ident):
        raise DataError(f"{where}: id {ident!r} must be lower-case kebab-case (e.g. 'epistemic-humility')")
    return entry, ident, f"{path} {kind} {ident!r}"


def _parse_trait(entry: object, index: int, path: Path) -> Trait:
    entry, ident, where = _entry_id(entry, index, path, "trait")
    allowed = {"id", "name", "definition", "failure_modes", "rubric_guidance", "held_out"}
    _reject_unknown(entry, allowed, where)
    held_out = entry.get("held_out", False)
    if not isinstance(held_out, bool):
        raise DataError(f"{where}: 'held_out' must be true or false; fix the value")
    return Trait(
        id=ident,
        name=_text(entry, "name", where),
        definition=_text(entry, "definition", where),
        failure_modes=_lines(entry, "failure_modes", where),
        rubric_guidance=_lines(entry, "rubric_guidance", where),
        held_out=held_out,
    )


def _parse_domain(entry: object, index: int, path: Path) -> Domain:
    entry, ident, where = _entry_id(entry, index, path, "domain")
    _reject_unknown(entry, {"id", "name", "description"}, where)
    return Domain(id=ident, name=_text(entry, "name", where), description=_text(entry, "description", where))


def _reject_unknown(entry: dict, allowed: set[str], where: str) -> None:
    extra = sorted(set(entry) - allowed)
    if extra:
        raise DataError(f"{where}: unknown field(s) {', '.join(extra)}; allowed: {', '.join(sorted(allowed))}")


def _load(files: list[Path], key: str, parse) -> dict:
    merged: dict = {}
    for path in files:
        seen: set[str] = set()
        for index, entry in enumerate(_read_entries(path, key)):
            spec = parse(entry, index, path)
            if spec.id in seen:
                raise DataError(f"{path} {key[:-1]} {spec.id!r}: duplicate id in this file; rename or remove one")
            seen.add(spec.id)
            merged[spec.id] = spec
    return merged


def load_traits(paths: Iterable[Path | str] | None = None) -> dict[str, Trait]:
    """Built-in traits merged with user YAML files (later files win on equal ids)."""
    files = [BUILTIN_TRAITS, *(Path(p) for p in paths or ())]
    return _load(files, "traits", _parse_trait)


def load_domains(paths: Iterable[Path | str] | None = None) -> dict[str, Domain]:
    """Built-in domains merged with user YAML files (later files win on equal ids)."""
    files = [BUILTIN_DOMAINS, *(Path(p) for p in paths or ())]
    return _load(files, "domains", _parse_domain)

CORE_TRAITS = ("truthfulness", "epistemic-humility", "corrigibility", "transparency", "fairness", "well-being")
CORE_DOMAINS = ("healthcare", "education", "science", "law", "engineering")
