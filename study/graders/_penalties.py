"""Rule penalties for answers that cannot be good whatever they say: empty, degenerate, looping, echoing."""

from __future__ import annotations

from dataclasses import dataclass

from study.graders._base import check
from study.graders._text import alpha_share, echo, repetition, words


@dataclass(frozen=True)
class PenaltyConfig:
    min_words: int = 2              # fewer words -> degenerate
    degenerate_factor: float = 0.5
    repetition_limit: float = 0.5   # share of repeated word trigrams above which the answer loops
    repetition_factor: float = 0.2
    echo_limit: float = 0.8         # share of the answer's trigrams copied from the prompt
    echo_factor: float = 0.1

    def validate(self, grader: str) -> None:
        check(self.min_words >= 0, grader, "min_words must be >= 0")
        for k in ("degenerate_factor", "repetition_limit", "repetition_factor", "echo_limit", "echo_factor"):
            check(0.0 <= getattr(self, k) <= 1.0, grader, f"{k} must be in [0, 1]")


def penalty(response: str, prompt: str, c: PenaltyConfig) -> tuple[float, dict]:
    """Multiplicative factor in [0, 1] and the flags that produced it (empty -> 0)."""
    n = len(words(response))
    flags = {"empty": not response.strip(), "degenerate": False, "repetitive": False, "echo": False,
             "repetition": round(repetition(response), 4), "echo_share": round(echo(response, prompt), 4)}
    if flags["empty"]:
        return 0.0, flags
    factor = 1.0
    if n < c.min_words or alpha_share(response) < 0.3:
        flags["degenerate"] = True
        factor *= c.degenerate_factor
    if flags["repetition"] > c.repetition_limit:
        flags["repetitive"] = True
        factor *= c.repetition_factor
    if prompt.strip() and flags["echo_share"] > c.echo_limit:
        flags["echo"] = True
        factor *= c.echo_factor
    return factor, flags
