"""Load-time checks of what a method config references: files, backend specs, trait and domain names.

Run by config validation (``study plan``/``study run`` fail in the first second,
before any cell spends compute). Checks are keyed on field names every built-in
method shares (``constitution_path``, ``scenarios_path``, ``*_backend`` /
``feedback_model``, ``traits``/``domains``/``exclude_domains``); a third-party
method adds its own by defining ``check_inputs(config, where)``.
"""

from __future__ import annotations

from study.errors import ConfigError, StudyError

BACKEND_FIELDS = ("feedback_model", "judge_backend")


def check_method_inputs(method, config, where: str) -> None:
    """Raise a one-line :class:`ConfigError` naming ``where.<field>`` for the first unusable input."""
    _check_constitution(config, where)
    _check_scenarios(config, where)
    for name in BACKEND_FIELDS:
        spec = getattr(config, name, None)
        if spec is not None and spec not in ("self", ""):
            _check_backend(spec, f"{where}.{name}")
    own = getattr(method, "check_inputs", None)
    if callable(own):
        own(config, where)


def _check_constitution(config, where: str) -> None:
    path = getattr(config, "constitution_path", None)
    if not path:
        return
    from constitution import load_constitution
    from study.inputs import check_file

    check_file(path, f"{where}.constitution_path", "constitution")
    try:
        load_constitution(path)
    except StudyError as exc:
        raise ConfigError(f"{where}.constitution_path: {exc}") from None


def _check_scenarios(config, where: str) -> None:
    if not any(hasattr(config, f) for f in ("scenarios_path", "traits", "domains")):
        return
    from pathlib import Path

    from study.inputs import check_file
    from traits import load_scenarios

    path = getattr(config, "scenarios_path", None)
    if path:
        check_file(path, f"{where}.scenarios_path", "scenario file")
    try:
        scenarios = load_scenarios(split="train", traits=getattr(config, "traits", None), domains=getattr(config, "domains", None),
                                   exclude_domains=getattr(config, "exclude_domains", None), path=Path(path) if path else None)
    except StudyError as exc:
        field = "scenarios_path" if path else "traits/domains"
        raise ConfigError(f"{where}.{field}: {exc}") from None
    if getattr(config, "dose", 0) > 0 and not scenarios:
        raise ConfigError(f"{where}: no training scenarios match traits/domains/exclude_domains; widen the filter or set dose: 0")


def _check_backend(spec, where: str) -> None:
    from study.backends import parse_backend_spec
    from study.inputs import check_model_spec

    try:
        parsed = parse_backend_spec(spec, where)
    except StudyError as exc:
        raise ConfigError(f"{where}: {exc}") from None
    if parsed.kind == "local" and parsed.model:
        check_model_spec(parsed.model, where)
