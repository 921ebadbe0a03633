"""Deterministic scenario generator: templates x slot values, seeded.

``generate_scenarios(seed)`` renders every built-in template (one cluster
each) into scenarios. The seed only picks surface variants (``choices``), so
ids, clusters, traits, domains and the split are the same for every seed,
and the same seed always gives identical text. Nothing is written at import;
``python -m traits.generator --out FILE`` writes the library as JSONL.
"""

from __future__ import annotations

import random
from collections.abc import Mapping

from traits._spec import Domain, Trait, load_domains, load_traits
from traits.scenario import Scenario, scenario_from_record
from traits.split import DEFAULT_HOLDOUT_FRACTION, assign_splits
from traits.templates import TEMPLATES
from traits.templates._template import Frame, Template


def scenario_id(template: Template, domain: str, index: int, frame: Frame) -> str:
    return f"{template.id}:{domain}:{index}{frame.key}"


def render(
    template: Template,
    fill: Mapping[str, str],
    frame: Frame,
    ident: str,
    seed: int,
    traits: Mapping[str, Trait],
    domains: Mapping[str, Domain],
) -> Scenario:
    """One scenario from one frame and one fill; split is assigned later."""
    rng = random.Random(f"{seed}|{ident}")
    values = {**fill, **{k: rng.choice(v) for k, v in sorted(template.choices.items())}}
    record = {
        "id": ident,
        "trait": template.trait,
        "domain": fill["domain"],
        "cluster": template.id,
        "messages": [{"role": role, "content": text.format_map(values)} for role, text in frame.messages],
        "rubric": [line.format_map(values) for line in frame.rubric],
        "good": frame.good.format_map(values),
        "bad": frame.bad.format_map(values),
    }
    return scenario_from_record(record, f"template {template.id}", traits, domains)


def generate_scenarios(
    seed: int = 0,
    *,
    traits: Mapping[str, Trait] | None = None,
    domains: Mapping[str, Domain] | None = None,
    holdout_fraction: float = DEFAULT_HOLDOUT_FRACTION,
) -> list[Scenario]:
    """Render all built-in templates, in a stable order, with splits assigned."""
    traits = load_traits() if traits is None else traits
    domains = load_domains() if domains is None else domains
    out = []
    for template in TEMPLATES:
        counts: dict[str, int] = {}
        for fill in template.fills:
            counts[fill["domain"]] = index = counts.get(fill["domain"], 0) + 1
            for frame in template.frames:
                ident = scenario_id(template, fill["domain"], index, frame)
                out.append(render(template, fill, frame, ident, seed, traits, domains))
    return assign_splits(out, traits, holdout_fraction)
