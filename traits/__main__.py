"""``python -m traits --out FILE [--seed N]`` writes the built-in scenarios as JSONL."""

import argparse
from pathlib import Path

from traits.generator import generate_scenarios
from traits.loader import write_scenarios


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Write the built-in trait scenarios as JSONL.")
    parser.add_argument("--out", type=Path, required=True, help="output JSONL file")
    parser.add_argument("--seed", type=int, default=0, help="seed for surface variants")
    args = parser.parse_args(argv)
    count = write_scenarios(args.out, generate_scenarios(args.seed))
    print(f"wrote {count} scenarios to {args.out}")


if __name__ == "__main__":
    main()
