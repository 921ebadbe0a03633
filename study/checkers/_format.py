"""Length and layout checkers: words, sentences, lists, paragraphs, JSON, titles."""

from __future__ import annotations

import json
import re

from study.checkers._registry import flag, opt_pos_int, pos_int, register, text_list

_WORD = re.compile(r"[A-Za-z0-9À-ÿ]+(?:['’\-][A-Za-z0-9À-ÿ]+)*")
_ABBREV = re.compile(r"\b(?:e\.g|i\.e|etc|vs|Dr|Mr|Mrs|Ms|Prof|St|No|approx|cf|Fig|al)\.|\b(?:[A-Za-z]\.){2,}", re.IGNORECASE)
_BULLET = re.compile(r"^\s*[-*•]\s+\S")
_NUMBERED = re.compile(r"^\s*(\d+)[.)]\s+\S")
_FENCE = re.compile(r"^```[a-zA-Z]*\s*\n(.*?)\n?```$", re.DOTALL)
_TITLE = re.compile(r"<<([^<>\n]{1,120})>>")


def words(response: str) -> list[str]:
    return _WORD.findall(response)


def sentences(response: str) -> list[str]:
    """Sentences split on terminal punctuation; common abbreviations and decimals do not split."""
    masked = _ABBREV.sub(lambda m: m.group(0).replace(".", "\x00"), response.strip())
    masked = re.sub(r"(\d)\.(\d)", "\\1\x00\\2", masked)
    parts = re.split(r"(?<=[.!?])[\"')\]]*\s+|\n\s*\n", masked)
    return [p for p in (s.strip() for s in parts) if _WORD.search(p)]


def paragraphs(response: str) -> list[str]:
    return [p for p in re.split(r"\n\s*\n|^\s*\*\*\*\s*$", response.strip(), flags=re.MULTILINE) if p and p.strip()]


def strip_fence(response: str) -> str:
    body = response.strip()
    m = _FENCE.match(body)
    return m.group(1).strip() if m else body


@register("max_words", n=pos_int)
def max_words(response: str, n: int) -> float:
    """At most ``n`` words."""
    return float(len(words(response)) <= n)


@register("min_words", n=pos_int)
def min_words(response: str, n: int) -> float:
    """At least ``n`` words."""
    return float(len(words(response)) >= n)


@register("exact_sentences", n=pos_int)
def exact_sentences(response: str, n: int) -> float:
    """Exactly ``n`` sentences."""
    return float(len(sentences(response)) == n)


@register("bullet_count", n=pos_int, at_least=flag)
def bullet_count(response: str, n: int, at_least: bool = False) -> float:
    """Exactly ``n`` markdown bullet lines (``-``, ``*`` or ``•``), or at least ``n`` with ``at_least``."""
    count = sum(1 for line in response.splitlines() if _BULLET.match(line))
    return float(count >= n if at_least else count == n)


@register("numbered_list", n=opt_pos_int)
def numbered_list(response: str, n: int | None = None) -> float:
    """A numbered list counting 1, 2, 3...; exactly ``n`` items when ``n`` is given (else at least 2)."""
    numbers = [int(m.group(1)) for line in response.splitlines() if (m := _NUMBERED.match(line))]
    if numbers != list(range(1, len(numbers) + 1)):
        return 0.0
    return float(len(numbers) == n if n is not None else len(numbers) >= 2)


@register("paragraph_count", n=pos_int)
def paragraph_count(response: str, n: int) -> float:
    """Exactly ``n`` paragraphs separated by blank lines (or ``***`` lines)."""
    return float(len(paragraphs(response)) == n)


def parse_json(response: str):
    try:
        return json.loads(strip_fence(response))
    except (json.JSONDecodeError, ValueError):
        return _NOT_JSON


_NOT_JSON = object()


@register("json_valid")
def json_valid(response: str) -> float:
    """The whole response (optionally inside one ```json fence) parses as JSON."""
    return float(parse_json(response) is not _NOT_JSON)


@register("json_keys", keys=text_list, exact=flag)
def json_keys(response: str, keys: tuple[str, ...], exact: bool = False) -> float:
    """The response is a JSON object with all ``keys`` (and no others when ``exact``)."""
    data = parse_json(response)
    if not isinstance(data, dict):
        return 0.0
    if exact:
        return float(set(data) == set(keys))
    return float(all(k in data for k in keys))


@register("title_in_double_brackets")
def title_in_double_brackets(response: str) -> float:
    """Contains a title wrapped in double angle brackets, e.g. ``<<A title>>`` (the IFEval convention)."""
    m = _TITLE.search(response)
    return float(bool(m and _WORD.search(m.group(1))))
