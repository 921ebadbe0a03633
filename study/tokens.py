"""Token counting for the ledger: one definition, used by evaluation, grading, red-teaming and training rewards."""

from __future__ import annotations

from typing import Callable

TokenCounter = Callable[[str], int]


def token_counter(tokenizer) -> TokenCounter:
    """Tokens of ``text`` as the model sees it (no special tokens added); :func:`word_count` without a tokenizer."""
    if tokenizer is None:
        return word_count

    def count(text: str) -> int:
        return len(tokenizer(text, add_special_tokens=False)["input_ids"])

    return count


def word_count(text: str) -> int:
    """The fallback when no tokenizer is at hand (API backends, tests): whitespace words."""
    return len(text.split())
