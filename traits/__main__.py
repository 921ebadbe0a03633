"""``python -m traits --out FILE [--seed N]`` writes the built-in scenarios as JSONL."""

from traits.generator import main

main()
