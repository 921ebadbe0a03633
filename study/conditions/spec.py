"""The typed condition spec: every condition name parsed once, at config load.

A condition is written ``kind`` or ``kind:argument`` in a config or on the
command line. :func:`parse_condition_spec` turns it into a
:class:`ConditionSpec` that says how the evaluation pipeline produces its rows
(``runs_as``), its polarity (harmful pressure, helpful steering, or neither)
and, for red-teaming, the attacker backend. Manifest, cells and statistics read
the spec; nothing else splits condition strings.

* ``items``: an item transform (``clean``, ``jailbreak:<set>``, ``persona:<name>``
  and third-party kinds), scored like any benchmark item;
* ``redteam``: the attacker/target/judge loop of :mod:`study.attacks.redteam`
  (``redteam`` uses ``attacks.redteam.attacker``; ``redteam:<backend spec>`` names one);
* ``finetune``: produced by the fine-tuning attack from ``attacks.finetune.steps``
  (``finetune:<k>``); never listed in ``evaluation.conditions``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from study.conditions.base import Condition, parse_condition
from study.errors import ConfigError, StudyError

RunsAs = Literal["items", "redteam", "finetune"]
PIPELINE_KINDS = ("redteam", "finetune")


@dataclass(frozen=True)
class ConditionSpec:
    name: str
    kind: str
    argument: str | None
    polarity: str | None
    runs_as: RunsAs
    attacker: str | None = None
    transform: Condition | None = field(default=None, compare=False, repr=False)

    @property
    def finetune_steps(self) -> int:
        if self.runs_as != "finetune":
            raise ValueError(f"{self.name} is not a finetune condition")
        return int(self.argument or 0)

    def record(self) -> dict:
        """What the manifest stores of this condition."""
        return {"name": self.name, "kind": self.kind, "argument": self.argument, "polarity": self.polarity,
                "runs_as": self.runs_as, "attacker": self.attacker}


def finetune_condition(k: int) -> ConditionSpec:
    return ConditionSpec(name=f"finetune:{k}", kind="finetune", argument=str(k), polarity="harmful" if k else None,
                         runs_as="finetune")


def parse_condition_spec(text: str, where: str = "condition", *, allow_finetune: bool = False) -> ConditionSpec:
    """Parse and validate one condition name; errors are one line naming ``where``."""
    if not isinstance(text, str) or not text.strip():
        raise ConfigError(f"{where}: empty condition; use clean, jailbreak:<set>, persona:<name> or redteam[:<attacker>]")
    text = text.strip()
    kind, sep, arg = text.partition(":")
    if kind == "redteam":
        attacker = arg.strip() or None
        if sep and attacker is None:
            raise ConfigError(f"{where}: {text!r} names no attacker; write redteam or redteam:<backend spec>")
        if attacker is not None:
            _check_attacker(attacker, where)
        return ConditionSpec(name=text, kind="redteam", argument=attacker, polarity="harmful", runs_as="redteam", attacker=attacker)
    if kind == "finetune":
        if not allow_finetune:
            raise ConfigError(f"{where}: {text!r}: finetune:<k> conditions come from attacks.finetune.steps; "
                              "remove it from the conditions and configure attacks.finetune")
        if not arg.isdigit():
            raise ConfigError(f"{where}: {text!r}: finetune step must be a non-negative integer, e.g. finetune:8")
        return finetune_condition(int(arg))
    try:
        transform = parse_condition(text)
    except StudyError as exc:
        raise ConfigError(f"{where}: {exc}") from None
    return ConditionSpec(name=transform.name, kind=transform.kind, argument=arg or None, polarity=transform.polarity,
                         runs_as="items", transform=transform)


def _check_attacker(spec: str, where: str) -> None:
    """Parse the attacker's backend spec without loading or contacting anything."""
    from study.backends import parse_backend_spec

    try:
        parse_backend_spec(spec, where)
    except StudyError as exc:
        raise ConfigError(f"{where}: red-team attacker {spec!r}: {exc}") from None
