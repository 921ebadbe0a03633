"""Template building blocks: a template is one cluster of scenarios.

A :class:`Template` pairs one or more conversation :class:`Frame`\\ s (message
structure, rubric, reference answers, all as ``str.format`` patterns) with a
list of fills (the slot values, one realistic case each, tagged with a
domain). Every frame x fill gives one scenario. ``choices`` are surface
variants (openers, pressure phrasings) picked per scenario with a seeded RNG,
so a different seed rewords the library without changing its structure.
"""

from __future__ import annotations

import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

Turn = tuple[str, str]


@dataclass(frozen=True)
class Frame:
    key: str
    messages: tuple[Turn, ...]
    rubric: tuple[str, ...]
    good: str
    bad: str

    def patterns(self) -> list[str]:
        return [text for _, text in self.messages] + list(self.rubric) + [self.good, self.bad]


@dataclass(frozen=True)
class Template:
    id: str
    trait: str
    summary: str
    frames: tuple[Frame, ...]
    fills: tuple[Mapping[str, str], ...]
    choices: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


def _placeholders(pattern: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(pattern) if name}


def frame(key: str, messages: Sequence[Turn], rubric: Sequence[str], good: str, bad: str) -> Frame:
    return Frame(key, tuple(messages), tuple(rubric), good, bad)


def template(
    id: str,
    trait: str,
    summary: str,
    frames: Sequence[Frame],
    fills: Sequence[Mapping[str, str]],
    choices: Mapping[str, Sequence[str]] | None = None,
) -> Template:
    """Build a template and check that every placeholder has a value.

    A missing slot is a bug in the template module, so it raises at import
    time with the template id rather than producing a half-formatted scenario.
    """
    choices = {k: tuple(v) for k, v in (choices or {}).items()}
    for f in frames:
        if f.messages[-1][0] != "user":
            raise ValueError(f"template {id} frame {f.key}: last message must be the user's")
        if not 3 <= len(f.rubric) <= 4:
            raise ValueError(f"template {id} frame {f.key}: rubric needs 3-4 lines, has {len(f.rubric)}")
        needed = set().union(*(_placeholders(p) for p in f.patterns()))
        for i, fill in enumerate(fills):
            missing = needed - set(fill) - set(choices)
            if missing:
                raise ValueError(f"template {id} frame {f.key} fill {i}: missing slot(s) {sorted(missing)}")
    for i, fill in enumerate(fills):
        if set(fill) & set(choices):
            raise ValueError(f"template {id} fill {i}: slot(s) {sorted(set(fill) & set(choices))} clash with choices")
        if "domain" not in fill:
            raise ValueError(f"template {id} fill {i}: every fill needs a 'domain'")
    return Template(id, trait, summary, tuple(frames), tuple(dict(f) for f in fills), choices)
