"""Lexical checkers: keywords, forbidden words, openings and endings, case, commas."""

from __future__ import annotations

import re

from study.checkers._registry import register, text, text_list


def _term(term: str) -> re.Pattern[str]:
    """Case-insensitive whole-word pattern for ``term`` (a word or a phrase)."""
    body = r"\s+".join(re.escape(t) for t in term.split())
    return re.compile(rf"(?<![\w]){body}(?![\w])", re.IGNORECASE)


@register("contains_keywords", keywords=text_list)
def contains_keywords(response: str, keywords: tuple[str, ...]) -> float:
    """Every keyword (case-insensitive, whole word or phrase) appears."""
    return float(all(_term(k).search(response) for k in keywords))


@register("forbidden_words", words=text_list)
def forbidden_words(response: str, words: tuple[str, ...]) -> float:
    """None of ``words`` appears (case-insensitive, whole word or phrase)."""
    return float(not any(_term(w).search(response) for w in words))


def _squash(s: str) -> str:
    return re.sub(r"\s+", " ", s.strip().strip("*_\"'“”")).lower()


@register("starts_with", prefix=text)
def starts_with(response: str, prefix: str) -> float:
    """The response begins with ``prefix`` (case-insensitive, surrounding quotes/markdown ignored)."""
    return float(_squash(response).startswith(_squash(prefix)))


@register("ends_with", suffix=text)
def ends_with(response: str, suffix: str) -> float:
    """The response ends with ``suffix`` (case-insensitive, trailing whitespace/quotes/markdown ignored)."""
    return float(_squash(response).endswith(_squash(suffix)))


@register("all_lowercase")
def all_lowercase(response: str) -> float:
    """Has letters and none of them is uppercase."""
    return float(any(c.isalpha() for c in response) and not any(c.isupper() for c in response))


@register("all_uppercase")
def all_uppercase(response: str) -> float:
    """Has letters and none of them is lowercase."""
    return float(any(c.isalpha() for c in response) and not any(c.islower() for c in response))


@register("no_commas")
def no_commas(response: str) -> float:
    """No comma (ASCII or full-width) anywhere; an empty response fails."""
    return float(bool(response.strip()) and "," not in response and "，" not in response)
