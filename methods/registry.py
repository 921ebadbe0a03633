"""Method registry: built-ins plus anything registered under the entry-point group
``alignment_study.methods`` (``name = "package.module:MethodClass"``)."""

from __future__ import annotations

from study.plugins import ClassRegistry

GROUP = "alignment_study.methods"
_METHODS = ClassRegistry("methods", "method", {
    "constitution": "methods.constitution:ConstitutionMethod",
    "trait-rl": "methods.trait_rl:TraitRLMethod",
    "control": "methods.trait_rl:ControlMethod",
})
register_method = _METHODS.register


def known_methods() -> list[str]:
    return _METHODS.known()


def get_method(name: str):
    """An instance of the method registered as ``name``."""
    return _METHODS.load(name)()


def method_and_config(name: str, raw: dict | None, where: str, judge=None):
    """The method registered as ``name`` and its typed config parsed from ``raw`` (errors name ``where``).

    ``judge`` (the study's ``judge:`` block) fills the config's ``judge`` field when the method has one and the
    arm did not set its own: that is how one judge reaches every method (judge parity).
    """
    import dataclasses

    from study.config_parse import from_dict

    method = get_method(name)
    config = from_dict(method.config_class, raw or {}, where)
    if judge is not None and dataclasses.is_dataclass(config) and "judge" in {f.name for f in dataclasses.fields(config)} \
            and config.judge is None:
        config = dataclasses.replace(config, judge=judge)
    return method, config


def arm_judge(arm, study_config) -> str:
    """The label of the judge an arm learns from (``none`` for methods without one), for the manifest and report."""
    method, config = method_and_config(arm.method, arm.config, f"arm {arm.name}", getattr(study_config, "judge", None))
    label = getattr(method, "judge_label", None)
    if label is not None:
        return label(config)
    judge = getattr(config, "effective_judge", None)
    return judge.label if judge is not None else "none"


def require_one_step(method, config, n_params: int, budget: float, field: str, subject: str, *, reach_judge: bool = True) -> None:
    """Fail before any work when ``budget`` cannot pay for one optimiser step of ``method``.

    ``reach_judge`` also checks that the arm's judge loads or answers (``study run``); ``study plan`` skips that
    (it contacts nothing) but refuses everything else the run would refuse.
    """
    from study.errors import BudgetTooSmallError

    check = getattr(method, "check_budget", None)
    if check is not None:  # the method's own, more specific refusals (e.g. a dose the batch size cannot honour) first
        check(config, n_params, budget, subject)
    need = method.estimate_min_flops(config, n_params)
    if need > budget:
        raise BudgetTooSmallError(f"{field} {budget:.3g} is below one training step of {subject} (~{need:.3g}); raise {field}")
    judge = getattr(config, "effective_judge", None)
    if reach_judge and judge is not None and getattr(config, "dose", 1) != 0:
        from study.judge_config import check_judge_available

        check_judge_available(judge, subject)


def plan_notes(study_config, n_params: int) -> list[str]:
    """Per-arm lines for ``study plan`` from methods that define ``plan_note`` (e.g. trait scenarios seen).

    Each arm is first put through :func:`require_one_step` (one optimiser step affordable, the method's
    ``check_budget``), so the plan refuses what the run would refuse.
    """
    lines = []
    for i, arm in enumerate(study_config.arms):
        method, config = method_and_config(arm.method, arm.config, f"arms[{i}].config", getattr(study_config, "judge", None))
        require_one_step(method, config, n_params, study_config.budget_flops, "budget_flops", f"arm {arm.name!r}", reach_judge=False)
        note = getattr(method, "plan_note", None)
        if note is not None:
            lines.append(f"  {arm.name}: {note(config, n_params, study_config.budget_flops)}")
    return ["trait scenarios per arm (lower bounds from the step estimate):", *lines] if lines else []
