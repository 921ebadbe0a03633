"""The scenario record and its validation from plain JSON-like records."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from study.errors import DataError
from traits._spec import Domain, Trait

SPLITS = ("train", "held_out")
ROLES = ("system", "user", "assistant")
REQUIRED = ("id", "trait", "domain", "messages", "rubric", "good", "bad")
OPTIONAL = ("cluster", "split")


@dataclass(frozen=True)
class Scenario:
    """One trait-testing conversation with its rubric and reference answers.

    ``messages`` ends with a user turn (the model answers next). ``cluster`` is
    the template the scenario came from: scenarios sharing it are not
    independent, and the train/held-out split never separates a cluster.
    """

    id: str
    trait: str
    domain: str
    cluster: str
    messages: tuple[dict[str, str], ...]
    rubric: tuple[str, ...]
    good: str
    bad: str
    split: str

    def conversation(self) -> list[dict[str, str]]:
        """A fresh, mutable copy of the messages (the chat-template format)."""
        return [dict(m) for m in self.messages]

    def to_record(self) -> dict[str, Any]:
        """The JSONL record of this scenario (the schema in traits/README.md)."""
        return {
            "id": self.id,
            "trait": self.trait,
            "domain": self.domain,
            "cluster": self.cluster,
            "messages": self.conversation(),
            "rubric": list(self.rubric),
            "good": self.good,
            "bad": self.bad,
            "split": self.split,
        }


def _fail(where: str, problem: str, fix: str) -> DataError:
    return DataError(f"{where}: {problem}; {fix}")


def _string(record: Mapping, field: str, where: str) -> str:
    value = record.get(field)
    if not isinstance(value, str) or not value.strip():
        raise _fail(where, f"field '{field}' is missing or empty", f"add '{field}' as a non-empty string")
    return value.strip()


def validate_messages(messages: object, where: str) -> tuple[dict[str, str], ...]:
    """Check the chat shape: role/content dicts, system first only, ends with user."""
    if not isinstance(messages, list) or not messages:
        raise _fail(where, "'messages' must be a non-empty list", 'use [{"role": "user", "content": "..."}]')
    out = []
    for i, message in enumerate(messages):
        if not isinstance(message, Mapping) or set(message) != {"role", "content"}:
            raise _fail(where, f"message {i} must have exactly the keys role and content", "fix that message")
        role, content = message["role"], message["content"]
        if role not in ROLES:
            raise _fail(where, f"message {i} has role {role!r}", f"use one of {', '.join(ROLES)}")
        if role == "system" and i != 0:
            raise _fail(where, f"message {i} is a system message after the start", "move it to position 0")
        if not isinstance(content, str) or not content.strip():
            raise _fail(where, f"message {i} has empty content", "write the message text")
        out.append({"role": role, "content": content.strip()})
    if out[-1]["role"] != "user":
        raise _fail(where, f"last message is from {out[-1]['role']!r}, not the user", "end with the user turn the model answers")
    return tuple(out)


def validate_rubric(rubric: object, where: str) -> tuple[str, ...]:
    """A rubric is 3 or 4 short non-empty lines."""
    if not isinstance(rubric, list | tuple) or not all(isinstance(r, str) and r.strip() for r in rubric):
        raise _fail(where, "'rubric' must be a list of non-empty strings", "give 3-4 short imperative lines")
    if not 3 <= len(rubric) <= 4:
        raise _fail(where, f"rubric has {len(rubric)} lines", "give 3-4 short imperative lines")
    return tuple(r.strip() for r in rubric)


def scenario_from_record(
    record: object,
    where: str,
    traits: Mapping[str, Trait],
    domains: Mapping[str, Domain],
    split: str | None = None,
) -> Scenario:
    """Validate one JSON record into a :class:`Scenario`.

    ``where`` names the source (e.g. ``"my.jsonl line 7"``) for error messages.
    If the record has no ``split``, the ``split`` argument is used (callers
    compute it with :func:`traits.split.assign_splits`); ``"train"`` otherwise.
    """
    if not isinstance(record, Mapping):
        raise _fail(where, "expected a JSON object", "write one scenario object per line")
    unknown = sorted(set(record) - set(REQUIRED) - set(OPTIONAL))
    if unknown:
        raise _fail(where, f"unknown field(s) {', '.join(unknown)}", f"allowed: {', '.join(REQUIRED + OPTIONAL)}")
    missing = [f for f in REQUIRED if f not in record]
    if missing:
        raise _fail(where, f"missing field(s) {', '.join(missing)}", "add them (schema in traits/README.md)")
    ident = _string(record, "id", where)
    where = f"{where} (id {ident!r})"
    trait = _string(record, "trait", where)
    if trait not in traits:
        raise _fail(where, f"unknown trait {trait!r}", f"use one of {', '.join(sorted(traits))} or add it with load_traits(paths=...)")
    domain = _string(record, "domain", where)
    if domain not in domains:
        raise _fail(where, f"unknown domain {domain!r}", f"use one of {', '.join(sorted(domains))} or add it with a domains YAML")
    cluster = _string(record, "cluster", where) if "cluster" in record else ident
    chosen = record.get("split", split or "train")
    if chosen not in SPLITS:
        raise _fail(where, f"split {chosen!r} is not valid", f"use one of {', '.join(SPLITS)} or omit it")
    return Scenario(
        id=ident,
        trait=trait,
        domain=domain,
        cluster=cluster,
        messages=validate_messages(record["messages"], where),
        rubric=validate_rubric(record["rubric"], where),
        good=_string(record, "good", where),
        bad=_string(record, "bad", where),
        split=chosen,
    )
