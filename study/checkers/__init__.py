"""Deterministic response checkers for instruction-following scores and verifiable rewards.

``check(name, response, **params) -> float in [0, 1]``; ``Item.target`` for the
``checker`` scoring method is ``{"checker": name, **params}`` (see
:func:`check_target`). Build targets with :func:`target` so bad params fail at
build time.
"""

from study.checkers import _assertion, _format, _lexical, _style  # noqa: F401  (register checkers)
from study.checkers._assertion import asserted, clauses
from study.checkers._format import paragraphs, sentences, words
from study.checkers._registry import (
    CheckerSpec,
    check,
    check_target,
    checker_names,
    get_checker,
    split_target,
    target,
    validate,
)

__all__ = [
    "CheckerSpec",
    "asserted",
    "clauses",
    "check",
    "check_target",
    "checker_names",
    "get_checker",
    "paragraphs",
    "sentences",
    "split_target",
    "target",
    "validate",
    "words",
]
