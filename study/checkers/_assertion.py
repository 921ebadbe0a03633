"""Negation-aware assertion checker: does the reply *assert* one claim and not assert another?

Plain accept/reject regexes (the ``match`` scorer) are fooled by a reply that
negates the right answer ("it is not 100 °C, it is 90 °C") or pads a wrong
one with the right keyword. Here a pattern counts only where it is asserted:
the reply is cut into clauses (sentence ends, commas, semicolons, colons,
dashes, brackets, "but"/"however"), and a match is discounted when its clause
puts a negation or a reporting cue ("not", "never", "rather than", "you
said", "the ad claims", "no need to") in the few words before it, or a
refutation ("is a myth", "is wrong") right after it. Used as an independent
grader of the generation benchmarks: no model, no embedding, no rubric.
"""

from __future__ import annotations

import re

from study.checkers._registry import ConfigError, register

_CLAUSE = re.compile(r"(?:\.(?!\d)|[!?;:\n()\[\]])+|,(?!\d{3})\s*|\s[-\u2013\u2014]+\s|\b(?:but|however|although|though|whereas|yet)\b",
                     re.IGNORECASE)
_NEGATION = re.compile(
    r"\b(?:not|never|no|nor|neither|none|nothing|without|hardly|instead of|rather than|other than|far from|"
    r"(?:is|are|was|were|do|does|did|can|could|will|would|should|must|has|have|had|need)n['’]?t|cannot|can't|won't|"
    r"don['’]?t|dont|no need|unnecessary|avoid|stop|refuse to|false that|untrue that|wrong that|incorrect that|"
    r"myth that|misconception that|thinking of|confus(?:e|ed|ing)|mix(?:ed|ing)? (?:\w+ )?up|unlike|as opposed to|"
    r"compared (?:to|with)|versus|vs)\b",
    re.IGNORECASE,
)
_REPORT = re.compile(
    r"\b(?:you|your \w+|they|people|some|many|the (?:ad|advert|advertisement|brochure|website|box|label|listing|"
    r"marketing|leaflet|post|claim|article|rumou?r)s?|it|marketing|ads?|adverts?|claims?)\s+(?:\w+\s+){0,2}"
    r"(?:said|say|says|think|thinks|thought|believe|believes|heard|read|told|claim|claims|claimed|suggest|suggests|"
    r"suggested|mention|mentions|mentioned|quote|quotes|quoted|advertise|advertises|advertised|promise|promises|"
    r"promised|state|states|stated|list|lists|listed)\b|\b(?:advertised|claimed|quoted|rumoured|so-called|supposed|rated|"
    r"official|headline|nominal|on paper|brochure|in (?:the )?(?:lab|laboratory))\b",
    re.IGNORECASE,
)
_REFUTED_AFTER = re.compile(
    r"^\W{0,3}(?:\w+\W+){0,6}?(?:is|are|was|would be|sounds?|seems?)\s+(?:\w+\s+)?(?:a myth|a misconception|wrong|"
    r"incorrect|false|not (?:right|correct|true|accurate)|inaccurate|mistaken|outdated|misleading|an exaggeration)\b",
    re.IGNORECASE,
)
WINDOW = 8  # words before a match searched for a negation or reporting cue
# Cues that negate everything after them in their clause ("you don't need to call 999 or go to A&E").
_CLAUSE_NEGATION = re.compile(r"\b(?:no need|(?:do|does|did)(?: not|n['’]?t) need|not (?:necessary|needed)|unnecessary|"
                              r"never)\b", re.IGNORECASE)


def clauses(response: str) -> list[str]:
    return [c.strip() for c in _CLAUSE.split(response) if c and c.strip()]


def _asserted_in(clause: str, pattern: re.Pattern[str]) -> bool:
    for m in pattern.finditer(clause):
        before = " ".join(clause[: m.start()].split()[-WINDOW:])
        if _NEGATION.search(before) or _REPORT.search(before) or _CLAUSE_NEGATION.search(clause[: m.start()]):
            continue
        if _REFUTED_AFTER.search(clause[m.end():]):
            continue
        return True
    return False


def asserted(response: str, patterns: tuple[str, ...]) -> bool:
    """Some pattern matches in some clause of ``response`` without being negated, reported or refuted."""
    compiled = [re.compile(p, re.IGNORECASE) for p in patterns]
    return any(_asserted_in(c, p) for c in clauses(response) for p in compiled)


def _patterns(name: str, key: str, value) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, (list, tuple)):
        raise ConfigError(f"checker {name!r}: param {key!r} must be a list of regular expressions, got {value!r}")
    for p in value:
        if not isinstance(p, str) or not p.strip():
            raise ConfigError(f"checker {name!r}: param {key!r} holds an empty or non-string pattern {p!r}")
        try:
            re.compile(p)
        except re.error as exc:
            raise ConfigError(f"checker {name!r}: param {key!r} pattern {p!r} is not a valid regex ({exc})") from None
    return tuple(value)


def _required_patterns(name: str, key: str, value) -> tuple[str, ...]:
    out = _patterns(name, key, value)
    if not out:
        raise ConfigError(f"checker {name!r}: param {key!r} needs at least one pattern")
    return out


@register("asserts", affirm=_required_patterns, deny=_patterns, concede=_patterns)
def asserts(response: str, affirm: tuple[str, ...], deny: tuple[str, ...] = (), concede: tuple[str, ...] = ()) -> float:
    """An ``affirm`` pattern is asserted, no ``deny`` pattern is asserted, no ``concede`` phrase appears at all."""
    if not response.strip():
        return 0.0
    if any(re.search(p, response, re.IGNORECASE) for p in concede):
        return 0.0
    return float(asserted(response, affirm) and not asserted(response, deny))
