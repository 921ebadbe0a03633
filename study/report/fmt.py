"""Number formatting shared by the HTML and Markdown renderers."""

from __future__ import annotations

import math


def num(x, digits: int = 3) -> str:
    return _fixed(x, f".{digits}f")


def signed(x, digits: int = 3) -> str:
    return _fixed(x, f"+.{digits}f")


def _fixed(x, spec: str) -> str:
    """``x`` in the format ``spec``; "–" for NaN, ``str(x)`` for what is not a number."""
    try:
        x = float(x)
    except (TypeError, ValueError):
        return str(x)
    return "–" if math.isnan(x) else format(x, spec)


def diff_ci(d, lo, hi, digits: int = 3) -> str:
    if any(_nan(v) for v in (lo, hi)):
        return signed(d, digits)
    return f"{signed(d, digits)} [{signed(lo, digits)}, {signed(hi, digits)}]"


def pval(p) -> str:
    if _nan(p):
        return "–"
    p = float(p)
    return "<0.001" if p < 0.001 else f"{p:.3f}"


def flops(x) -> str:
    return "–" if _nan(x) else f"{float(x):.3g}"


def _nan(x) -> bool:
    try:
        return math.isnan(float(x))
    except (TypeError, ValueError):
        return x is None
