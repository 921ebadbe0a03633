"""The regular post-training prompt mix: general helpfulness prompts with verifiable rewards.

This is the non-trait part of every RL arm (about 95% for trait-RL, 100% for the
control). Prompts are task templates x topics from ``methods/trait_rl/data/regular/
prompts.json``; each carries 1-3 constraints (length, format, JSON, case,
keywords, boundaries, style) drawn with a seeded generator, one per constraint
group and never two that contradict each other. The reward is the mean of the
constraint checks from :mod:`study.checkers`, so it is deterministic and needs
no judge. Templates, topics and constraint wordings are disjoint from the
study's own benchmarks (a test checks that no user turn coincides).
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from study.checkers import check, validate, words
from study.errors import DataError, StudyError
from study.types import DOMAINS

DATA = Path(__file__).parent / "data" / "regular" / "prompts.json"
CONSTRAINT_COUNTS = (1, 2, 2, 3)
MIN_RESPONSE_WORDS = 5


@dataclass(frozen=True)
class RegularPrompt:
    id: str
    messages: tuple[dict[str, str], ...]
    constraints: tuple[dict[str, Any], ...]
    domain: str


def _quote_list(words: list[str]) -> str:
    quoted = [f"'{w}'" for w in words]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


def _instruction(template: str, params: dict[str, Any]) -> str:
    slots = {}
    for key, value in params.items():
        if key == "keys":
            slots[key] = ", ".join(f'"{k}"' for k in value)
        elif isinstance(value, list):
            slots[key] = ("the word " if len(value) == 1 else "the words ") + _quote_list(value)
        elif key == "language":
            slots[key] = value.capitalize()
        else:
            slots[key] = value
    return template.format(**slots)


def _load(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as e:
        raise DataError(f"{path}: cannot read the regular prompt data ({e}); restore the file from the repository") from None
    for key in ("tasks", "topics", "constraint_groups", "incompatible"):
        if key not in data:
            raise DataError(f"{path}: missing top-level key {key!r}")
    for domain in data["topics"]:
        if domain not in DOMAINS:
            raise DataError(f"{path}: topic domain {domain!r} not in {DOMAINS}")
    ids = [t["id"] for t in data["tasks"]]
    if len(set(ids)) != len(ids):
        raise DataError(f"{path}: duplicate task ids in {ids}")
    for group, options in data["constraint_groups"].items():
        for opt in options:
            for params in opt["values"]:
                try:
                    validate(opt["checker"], **params)
                    _instruction(opt["instruction"], params)
                except (StudyError, KeyError) as e:
                    raise DataError(f"{path}: constraint group {group!r}, checker {opt['checker']!r}, values {params}: {e}") from None
    return data


def _pick_constraints(rng: random.Random, groups: dict[str, list], banned: set[frozenset[str]]) -> list[tuple[dict, str]]:
    k = rng.choice(CONSTRAINT_COUNTS)
    names = sorted(groups)
    rng.shuffle(names)
    chosen: list[tuple[dict, str]] = []
    for group in names:
        if len(chosen) == k:
            break
        options = list(groups[group])
        rng.shuffle(options)
        for opt in options:
            if any(frozenset((opt["checker"], c["checker"])) in banned for c, _ in chosen):
                continue
            params = rng.choice(opt["values"])
            chosen.append(({"checker": opt["checker"], **params}, _instruction(opt["instruction"], params)))
            break
    return chosen


def load_regular_prompts(seed: int = 0, path: Path | str = DATA) -> list[RegularPrompt]:
    """All regular prompts (one per task x topic), constraints drawn with ``random.Random(seed)``."""
    data = _load(Path(path))
    rng = random.Random(seed)
    banned = {frozenset(pair) for pair in data["incompatible"]}
    prompts = []
    for domain in sorted(data["topics"]):
        for t_idx, topic in enumerate(data["topics"][domain]):
            for task in data["tasks"]:
                chosen = _pick_constraints(rng, data["constraint_groups"], banned)
                text = task["text"].format(topic=topic) + " " + " ".join(instr for _, instr in chosen)
                prompts.append(
                    RegularPrompt(
                        id=f"regular-{domain}-{t_idx:02d}-{task['id']}",
                        messages=({"role": "user", "content": text},),
                        constraints=tuple(c for c, _ in chosen),
                        domain=domain,
                    )
                )
    return prompts


def regular_reward(prompt: RegularPrompt, response: str) -> float:
    """Mean of the prompt's constraint checks, in [0, 1].

    A reply of fewer than ``MIN_RESPONSE_WORDS`` words scores 0: otherwise an
    empty or one-word reply would collect credit from the constraints it
    satisfies vacuously (no commas, lowercase, forbidden words), which RL
    would quickly learn to exploit.
    """
    if not prompt.constraints:
        raise DataError(f"regular prompt {prompt.id!r} has no constraints; every regular prompt needs at least one")
    if len(words(response)) < MIN_RESPONSE_WORDS:
        return 0.0
    scores = [check(c["checker"], response, **{k: v for k, v in c.items() if k != "checker"}) for c in prompt.constraints]
    return sum(scores) / len(scores)
