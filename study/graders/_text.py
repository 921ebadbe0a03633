"""Plain-text measurements shared by the graders (no model needed)."""

from __future__ import annotations

import re

_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_SENT_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9*-])")
_BULLET = re.compile(r"^\s*(?:[-*\u2022]|\d+[.)])\s+")


def words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def split_sentences(text: str) -> list[str]:
    """Sentences and list items, in order; blank pieces dropped."""
    out: list[str] = []
    for line in text.splitlines():
        line = _BULLET.sub("", line).strip()
        if line:
            out.extend(s.strip() for s in _SENT_END.split(line) if s.strip())
    return out


def ngrams(tokens: list[str], n: int) -> list[tuple[str, ...]]:
    return [tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1)]


def repetition(text: str, n: int = 3) -> float:
    """Share of repeated word n-grams, in [0, 1]: 0 = no n-gram repeats, near 1 = a loop."""
    grams = ngrams(words(text), n)
    if len(grams) < 4:
        return 0.0
    return 1.0 - len(set(grams)) / len(grams)


def echo(response: str, prompt: str, n: int = 3) -> float:
    """Share of the response's word n-grams that occur verbatim in the prompt, in [0, 1]."""
    r = ngrams(words(response), n)
    if not r:
        return 1.0 if words(response) and set(words(response)) <= set(words(prompt)) else 0.0
    p = set(ngrams(words(prompt), n))
    return sum(g in p for g in r) / len(r)


def alpha_share(text: str) -> float:
    """Share of non-space characters that are letters (low for symbol/number soup)."""
    chars = [c for c in text if not c.isspace()]
    return sum(c.isalpha() for c in chars) / len(chars) if chars else 0.0
