"""The ``study`` command line.

Each subcommand lives in :mod:`study.commands` as a module exposing
``register(subparsers)``, which adds its parser and sets ``func``. User
mistakes (:class:`StudyError`) print one line and exit with code 2.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys

from study.errors import StudyError

COMMANDS = ("setup", "smoke", "train", "eval", "attack", "benchmarks", "power", "study_cmds", "launch")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="study", description="Constitution self-critique vs trait-RL, head to head.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress details")
    parser.add_argument("--allow-pickle-checkpoints", action="store_true",
                        help="also load checkpoints stored only as pickle (.bin/.pt), which can run code when loaded")
    sub = parser.add_subparsers(dest="command", required=True)
    for name in COMMANDS:
        importlib.import_module(f"study.commands.{name}").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_NO_ADVISORY_WARNINGS", "1")
    args = build_parser().parse_args(argv)
    if args.allow_pickle_checkpoints:
        from study.models import ALLOW_PICKLE_ENV

        os.environ[ALLOW_PICKLE_ENV] = "1"  # every load in this process, including those inside methods
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # weight-loading bars would bury the one-line errors
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        return int(args.func(args) or 0)
    except StudyError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
