"""The compute ledger: one FLOP account per trained checkpoint (or evaluation).

Counting rules (Kaplan et al. approximations, N = non-embedding parameters of
the model that actually ran):

* training: 6·N FLOPs per token the trainer processed (forward + backward);
* generation and scoring: 2·N FLOPs per token, prompt tokens included;
* local judge calls: 2·N_judge per token, charged to ``judge``;
* API calls: no FLOPs (the provider's model size is unknown); their input and
  output tokens are recorded separately and shown beside the FLOPs. An
  ``api_token_budget`` (the study's ``judge.token_budget``) is the API
  counterpart of the FLOP budget: :meth:`Ledger.api_tokens_spent` turns true
  once it is used up, and every unit of work that asks :meth:`can_afford` also
  asks it (the training callback, the constitution's label chunks), so arms
  with an API judge get the same token allowance and overshoot by at most one unit.

A ledger with a budget answers :meth:`Ledger.remaining`; a method asks
:meth:`Ledger.can_afford` before each unit of work and stops when the answer
is no, so the overshoot is at most one unit. :meth:`Ledger.require` raises
:class:`BudgetExceededError` for work that must not start.

Several processes (``accelerate launch``): each rank holds a copy of the
ledger. Work a rank does on its own shard of a step (its rollouts' grading, its
judge calls) is charged locally and then summed over ranks by
:meth:`Ledger.reduce_since`, so every rank ends the step with the same, global
ledger; token counts the trainer already gathers over ranks are charged after
the reduction, once. Work every rank repeats identically (building the prompt
stream, one-off data generation before training) is replicated, not sharded,
and stays counted once.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from study.atomic import write_json
from study.errors import BudgetExceededError, BudgetTooSmallError, DataError

CATEGORIES = ("train", "generate", "score", "judge")
TRAIN_FLOPS_PER_PARAM_TOKEN = 6
FORWARD_FLOPS_PER_PARAM_TOKEN = 2


@dataclass
class Ledger:
    params_non_embedding: int
    budget_flops: float | None = None
    flops: dict[str, float] = field(default_factory=lambda: dict.fromkeys(CATEGORIES, 0.0))
    tokens: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CATEGORIES, 0))
    api_tokens: dict[str, int] = field(default_factory=lambda: {"input": 0, "output": 0})
    api_token_budget: int | None = None

    def __post_init__(self) -> None:
        if self.params_non_embedding <= 0:
            raise ValueError(f"params_non_embedding must be positive, got {self.params_non_embedding}")
        if self.budget_flops is not None and self.budget_flops <= 0:
            raise BudgetTooSmallError(f"budget_flops must be positive, got {self.budget_flops:g}")
        if self.api_token_budget is not None and self.api_token_budget < 1:
            raise BudgetTooSmallError(f"api_token_budget must be >= 1 or None, got {self.api_token_budget}")

    @property
    def api_tokens_total(self) -> int:
        return int(self.api_tokens["input"] + self.api_tokens["output"])

    def api_tokens_spent(self) -> bool:
        """True once the API token allowance is used up (never without one)."""
        return self.api_token_budget is not None and self.api_tokens_total >= self.api_token_budget

    @property
    def total_flops(self) -> float:
        return float(sum(self.flops.values()))

    def remaining(self) -> float:
        """FLOPs left in the budget (``inf`` when unbudgeted, may go negative by one unit)."""
        return float("inf") if self.budget_flops is None else self.budget_flops - self.total_flops

    def can_afford(self, flops: float) -> bool:
        return flops <= self.remaining()

    def require(self, flops: float, what: str) -> None:
        if not self.can_afford(flops):
            raise BudgetExceededError(
                f"{what} needs {flops:.3g} FLOPs but only {self.remaining():.3g} of the {self.budget_flops:.3g} budget remain; raise the budget"
            )

    def train_flops(self, tokens: int) -> float:
        return float(TRAIN_FLOPS_PER_PARAM_TOKEN * self.params_non_embedding * tokens)

    def forward_flops(self, tokens: int, params: int | None = None) -> float:
        return float(FORWARD_FLOPS_PER_PARAM_TOKEN * (params or self.params_non_embedding) * tokens)

    def charge_train(self, tokens: int) -> float:
        return self._charge("train", tokens, self.train_flops(tokens))

    def charge_forward(self, category: str, tokens: int, params: int | None = None) -> float:
        """Charge ``tokens`` processed by a forward-only pass of a model with ``params`` parameters."""
        if category not in CATEGORIES or category == "train":
            raise ValueError(f"forward category must be one of generate, score, judge; got {category!r}")
        return self._charge(category, tokens, self.forward_flops(tokens, params))

    def charge_api(self, input_tokens: int, output_tokens: int) -> None:
        self.api_tokens["input"] += int(input_tokens)
        self.api_tokens["output"] += int(output_tokens)

    def _charge(self, category: str, tokens: int, flops: float) -> float:
        if tokens < 0:
            raise ValueError(f"token count must be non-negative, got {tokens}")
        self.tokens[category] += int(tokens)
        self.flops[category] += flops
        return flops

    def mark(self) -> dict:
        """A copy of the counters, to reduce what was charged after it (see :meth:`reduce_since`)."""
        return {"flops": dict(self.flops), "tokens": dict(self.tokens), "api_tokens": dict(self.api_tokens)}

    def reduce_since(self, mark: dict) -> None:
        """Replace what this rank charged since ``mark`` by the sum of what every rank charged since it.

        A collective: every rank must call it at the same point. On one process it changes nothing.
        """
        from study.distributed import all_reduce_sum

        keys = [("flops", k) for k in CATEGORIES] + [("tokens", k) for k in CATEGORIES] + [("api_tokens", k) for k in ("input", "output")]
        deltas = [getattr(self, group)[k] - mark[group][k] for group, k in keys]
        for (group, k), total in zip(keys, all_reduce_sum(deltas)):
            counters = getattr(self, group)
            counters[k] = mark[group][k] + (total if group == "flops" else round(total))

    def to_dict(self) -> dict:
        return {
            "params_non_embedding": self.params_non_embedding,
            "budget_flops": self.budget_flops,
            "flops": dict(self.flops),
            "tokens": dict(self.tokens),
            "api_tokens": dict(self.api_tokens),
            "api_token_budget": self.api_token_budget,
            "total_flops": self.total_flops,
        }

    @classmethod
    def from_dict(cls, data: dict) -> "Ledger":
        return cls(
            params_non_embedding=int(data["params_non_embedding"]),
            budget_flops=data.get("budget_flops"),
            flops={k: float(data["flops"].get(k, 0.0)) for k in CATEGORIES},
            tokens={k: int(data["tokens"].get(k, 0)) for k in CATEGORIES},
            api_tokens={k: int(data["api_tokens"].get(k, 0)) for k in ("input", "output")},
            api_token_budget=data.get("api_token_budget"),
        )

    def save(self, path: Path) -> None:
        write_json(path, self.to_dict())

    @classmethod
    def load(cls, path: Path) -> "Ledger":
        try:
            return cls.from_dict(json.loads(Path(path).read_text()))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise DataError(f"ledger {path} unreadable ({type(exc).__name__}: {exc}); delete it to recount") from None

    def summary(self) -> str:
        parts = [f"{k}={v:.3g}" for k, v in self.flops.items()]
        budget = "unbudgeted" if self.budget_flops is None else f"budget={self.budget_flops:.3g} remaining={self.remaining():.3g}"
        api = f"api_tokens in={self.api_tokens['input']} out={self.api_tokens['output']}"
        if self.api_token_budget is not None:
            api += f" of {self.api_token_budget}"
        return f"FLOPs total={self.total_flops:.3g} ({', '.join(parts)}); {budget}; {api}"


def match_ratio(ledgers: dict[str, Ledger]) -> float:
    """max/min total FLOPs across ledgers (1.0 = perfectly matched)."""
    totals = [lg.total_flops for lg in ledgers.values()]
    if not totals or min(totals) <= 0:
        return float("inf")
    return max(totals) / min(totals)
