"""``study setup``: fetch and convert the embedded model (idempotent)."""

from __future__ import annotations

from study.models import EMBEDDED, TINY, resolve_model


def register(sub) -> None:
    p = sub.add_parser("setup", help="fetch and convert the embedded base model and build the tiny test model")
    p.set_defaults(func=run)


def run(args) -> int:
    for spec in (EMBEDDED, TINY):
        print(f"{spec}: {resolve_model(spec)}")
    return 0
