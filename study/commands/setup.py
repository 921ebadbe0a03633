"""``study setup``: fetch and convert the embedded model, fetch the pinned external data (idempotent)."""

from __future__ import annotations

from study.models import EMBEDDED, TINY, resolve_model


def register(sub) -> None:
    p = sub.add_parser("setup", help="fetch and convert the embedded base model, build the tiny test model, fetch external benchmark data")
    p.add_argument("--no-data", action="store_true", help="skip fetching the external benchmark archives")
    p.set_defaults(func=run)


def run(args) -> int:
    for spec in (EMBEDDED, TINY):
        print(f"{spec}: {resolve_model(spec)}")
    if not args.no_data:
        from study.external.fetch import fetch_command

        fetch_command(None, None)
    return 0
