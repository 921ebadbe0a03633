"""Persona conditions ``persona:<name>``: a persona system prompt put in front of the conversation.

Harmful personas (polarity ``harmful``) apply to every benchmark except the
``steer-*`` ones; retention = mean score under the persona / mean clean score
on the same items. Helpful personas (polarity ``helpful``) apply only to their
own ``steer-<name>`` benchmark, whose checker verifies the persona's style;
steerability = mean(persona) - mean(clean) there (docs/contracts.md). The
prompts live in ``study/conditions/data/personas.yaml``; the helpful ones are
the exact prompts ``study/benchmarks/own/steerability.py`` documents.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from study.benchmarks.registry import BenchmarkSpec
from study.conditions.base import read_mapping_file, register_condition_kind
from study.errors import DataError, UnknownNameError
from study.types import Item, Message

PERSONAS_FILE = Path(__file__).parent / "data" / "personas.yaml"
POLARITIES = ("harmful", "helpful")
STEER_PREFIX = "steer-"


def with_system(messages: tuple[Message, ...] | list[Message], system: str) -> tuple[Message, ...]:
    """Put ``system`` first: it becomes the system message, ahead of any existing system text."""
    msgs = [dict(m) for m in messages]
    if msgs and msgs[0]["role"] == "system":
        existing = msgs.pop(0)["content"].strip()
        system = f"{system.strip()}\n\n{existing}" if existing else system.strip()
    return tuple([{"role": "system", "content": system.strip()}] + msgs)


@dataclass(frozen=True)
class PersonaSpec:
    name: str
    polarity: str
    system: str
    description: str = ""


@dataclass(frozen=True)
class PersonaCondition:
    persona: PersonaSpec
    kind: str = "persona"

    @property
    def name(self) -> str:
        return f"persona:{self.persona.name}"

    @property
    def polarity(self) -> str:
        return self.persona.polarity

    def applies_to(self, spec: BenchmarkSpec) -> bool:
        if self.polarity == "helpful":
            return spec.name == f"{STEER_PREFIX}{self.persona.name}"
        return not spec.name.startswith(STEER_PREFIX)

    def apply(self, item: Item) -> Item:
        return replace(item, messages=with_system(item.messages, self.persona.system))


@lru_cache(maxsize=4)
def load_personas(path: Path = PERSONAS_FILE) -> dict[str, PersonaSpec]:
    """Parse the persona file; every entry needs ``polarity`` (harmful|helpful) and a non-empty ``system``."""
    doc = read_mapping_file(path, "persona", "persona-name -> {polarity, system}")
    out = {}
    for name, entry in doc.items():
        if not isinstance(entry, dict):
            raise DataError(f"{path}: persona {name!r} must be a mapping with polarity and system")
        polarity, system = entry.get("polarity"), entry.get("system")
        if polarity not in POLARITIES:
            raise DataError(f"{path}: persona {name!r} has polarity {polarity!r}; use one of {POLARITIES}")
        if not isinstance(system, str) or not system.strip():
            raise DataError(f"{path}: persona {name!r} needs a non-empty 'system' prompt")
        out[str(name)] = PersonaSpec(str(name), polarity, system.strip(), str(entry.get("description", "")).strip())
    return out


def personas(polarity: str | None = None) -> list[str]:
    return sorted(n for n, p in load_personas().items() if polarity is None or p.polarity == polarity)


@register_condition_kind("persona")
def persona_condition(arg: str) -> PersonaCondition:
    specs = load_personas()
    if arg not in specs:
        raise UnknownNameError("persona", arg, list(specs))
    return PersonaCondition(specs[arg])
