"""Method registry: built-ins plus anything registered under the entry-point group
``alignment_study.methods`` (``name = "package.module:MethodClass"``)."""

from __future__ import annotations

from importlib.metadata import entry_points
from typing import Any, Callable

from study.errors import ConfigError, UnknownNameError

GROUP = "alignment_study.methods"
_BUILTIN = {
    "constitution": "methods.constitution:ConstitutionMethod",
    "trait-rl": "methods.trait_rl:TraitRLMethod",
    "control": "methods.trait_rl:ControlMethod",
}
_REGISTERED: dict[str, type] = {}


def register_method(cls: type) -> type:
    """Class decorator for in-process registration (tests, notebooks)."""
    _REGISTERED[cls.name] = cls
    return cls


def _targets() -> dict[str, Callable[[], Any] | str]:
    found: dict[str, Any] = dict(_BUILTIN)
    for ep in entry_points(group=GROUP):
        found[ep.name] = ep
    found.update(_REGISTERED)
    return found


def known_methods() -> list[str]:
    return sorted(_targets())


def get_method(name: str):
    """An instance of the method registered as ``name``."""
    target = _targets().get(name)
    if target is None:
        raise UnknownNameError("method", name, known_methods())
    if isinstance(target, str):
        module, _, attr = target.partition(":")
        cls = getattr(__import__(module, fromlist=[attr]), attr)
    elif isinstance(target, type):
        cls = target
    else:
        cls = target.load()
    if getattr(cls, "name", None) != name:
        raise ConfigError(f"method entry point {name!r} loads {cls!r} whose name is {getattr(cls, 'name', None)!r}; make them equal")
    return cls()
