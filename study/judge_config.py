"""The study's judge: one feedback model that every method learns from (judge parity).

The constitution arm's principle-conditioned preference labels and trait-RL's
rubric rewards come from the judge named here, so "method" is not confounded
with "judge strength". Kinds:

* ``policy``: the arm's own starting model, frozen (the constitution paper's
  self-feedback; for trait-RL the frozen base model grades the rubric lines);
* ``offline``: the embedded offline graders (MiniLM rubric grader; for the
  constitution a principle-conditioned comparison of the two answers' rubric
  scores, see :mod:`methods.constitution.offline_feedback`);
* ``local``: a transformers model run here (``model``: a model spec);
* ``api``: an API or OpenAI-compatible model (``model``: ``openai:<name>`` or
  ``anthropic:<name>``; ``base_url`` for a compatible server).

API judges are metered in tokens, not FLOPs; ``token_budget`` gives every arm
the same API token allowance (judging stops when it is spent) and the
match check compares the arms' judge tokens (:func:`judge_token_mismatch`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from study.errors import ConfigError, StudyError

KINDS = ("policy", "offline", "local", "api")


class JudgeUnavailableError(StudyError):
    """The configured judge cannot be loaded or reached."""


@dataclass(frozen=True)
class JudgeConfig:
    kind: Literal["policy", "offline", "local", "api"] = "offline"
    model: str | None = None
    base_url: str | None = None
    api_key_env: str | None = None
    token_budget: int | None = None
    top_logprobs: int = 5
    timeout: float = 30.0

    def __post_init__(self) -> None:
        if self.kind in ("local", "api") and not self.model:
            example = "smollm2-135m-instruct" if self.kind == "local" else "openai:gpt-4o-mini"
            raise ConfigError(f"judge.model is required for kind {self.kind!r}, e.g. model: {example}")
        if self.kind in ("policy", "offline") and self.model:
            raise ConfigError(f"judge.model is only for kinds local/api; kind {self.kind!r} takes no model (remove it)")
        if self.kind == "api" and self.model.partition(":")[0] not in ("openai", "anthropic"):
            raise ConfigError(f"judge.model {self.model!r} for kind api must be 'openai:<name>' or 'anthropic:<name>'")
        if self.base_url is not None and self.kind != "api":
            raise ConfigError("judge.base_url is only for kind api (an OpenAI-compatible server)")
        if self.token_budget is not None and self.token_budget < 1:
            raise ConfigError(f"judge.token_budget must be >= 1 or null, got {self.token_budget}")
        if self.token_budget is not None and self.kind != "api":
            raise ConfigError(f"judge.token_budget is only for kind api (FLOPs meter the {self.kind!r} judge); remove it")
        if not 0 <= self.top_logprobs <= 20:
            raise ConfigError(f"judge.top_logprobs must be in 0..20 (OpenAI's limit), got {self.top_logprobs}")

    @property
    def label(self) -> str:
        """A short name for manifests and reports: ``policy``, ``offline``, ``local:<model>``, ``api:<model>``."""
        return self.kind if self.model is None else f"{self.kind}:{self.model}"

    @property
    def backend_spec(self) -> str | None:
        """The :mod:`study.backends` spec of a model judge (None for policy/offline)."""
        if self.kind == "local":
            return f"local:{self.model}"
        return self.model if self.kind == "api" else None

    @classmethod
    def from_backend_spec(cls, spec: str | None) -> "JudgeConfig":
        """The judge a legacy ``feedback_model`` / ``judge_backend`` string names (None or ``self`` = the policy)."""
        if spec in (None, "self"):
            return cls(kind="policy")
        kind, _, model = spec.partition(":")
        if kind == "local":
            return cls(kind="local", model=model or "smollm2-135m-instruct")
        return cls(kind="api", model=spec)


def make_judge_backend(judge: JudgeConfig, ledger, *, loaded=None):
    """A chat backend for a ``local``/``api`` judge, charged to ``ledger`` (local: ``judge`` FLOPs; API: tokens)."""
    from study.backends import BackendSpec
    from study.backends.factory import make_backend

    if judge.backend_spec is None:
        raise ConfigError(f"judge kind {judge.kind!r} has no backend")
    overrides = {"timeout_s": judge.timeout}
    if judge.kind == "api":
        overrides.update(base_url=judge.base_url, api_key_env=judge.api_key_env)
    spec = BackendSpec.parse(judge.backend_spec, **overrides)
    if judge.kind == "api" and judge.token_budget is not None and ledger is not None:
        ledger.api_token_budget = judge.token_budget
    return make_backend(spec, ledger, category="judge", loaded=loaded)


def check_judge_available(judge: JudgeConfig, where: str) -> None:
    """Fail before any work when a local judge cannot be loaded or an API judge cannot be reached.

    A local model is resolved (not loaded); an API judge must have its key and
    answer a model listing within ``timeout`` (no generation tokens are spent).
    """
    if judge.kind == "local":
        from study.models import resolve_model

        try:
            resolve_model(judge.model)
        except StudyError as exc:
            raise JudgeUnavailableError(f"{where}: judge {judge.label} cannot be loaded ({exc}); fix judge.model") from None
        return
    if judge.kind != "api":
        return
    try:
        backend = make_judge_backend(judge, None)
    except StudyError as exc:
        raise JudgeUnavailableError(f"{where}: judge {judge.label} cannot be used ({exc})") from None
    try:
        list(backend._client.models.list())
    except Exception as exc:  # any client failure means "not reachable"; the message names it
        raise JudgeUnavailableError(
            f"{where}: judge {judge.label} at {judge.base_url or 'the provider default URL'} is not reachable "
            f"({type(exc).__name__}); start the server or fix judge.base_url / the API key"
        ) from None


def judge_token_mismatch(judge_tokens: dict[str, int], tolerance: float = 0.02) -> str | None:
    """A warning when arms spent API judge tokens further apart than ``tolerance`` (relative to the largest)."""
    used = {a: t for a, t in judge_tokens.items() if t}
    if not used or len(judge_tokens) < 2:
        return None
    hi, lo = max(judge_tokens.values()), min(judge_tokens.values())
    if hi and (hi - lo) / hi > tolerance:
        spent = ", ".join(f"{a}={t}" for a, t in sorted(judge_tokens.items()))
        return f"arms spent different API judge tokens ({spent}); the judged compute is not matched (set judge.token_budget)"
    return None
