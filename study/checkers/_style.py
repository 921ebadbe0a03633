"""Style and stance checkers: language, register, disclaimers, referrals, clarifying questions."""

from __future__ import annotations

import re
from typing import Any

from study.checkers._format import sentences, words
from study.checkers._registry import ConfigError, get_checker, one_of, register, validate

# High-frequency function words that rarely occur in the other languages listed.
MARKERS: dict[str, frozenset[str]] = {
    "english": frozenset("the and of to is are was with that this for you it not be have".split()),
    "french": frozenset("le la les des est et une du pour que qui dans pas sont avec vous il au".split()),
    "spanish": frozenset("el la los las es y una del para que por con se su lo como pero más".split()),
    "german": frozenset("der die das und ist nicht ein eine mit den von zu sie ich auf für auch".split()),
    "italian": frozenset("il lo gli della che è e una per non sono con di le da nel anche".split()),
    "portuguese": frozenset("o os as é e uma do da para que não com em por são no na mais".split()),
}


def language_scores(response: str) -> dict[str, float]:
    tokens = [w.lower() for w in re.findall(r"[^\W\d_]+", response)]
    if not tokens:
        return {lang: 0.0 for lang in MARKERS}
    return {lang: sum(t in marks for t in tokens) / len(tokens) for lang, marks in MARKERS.items()}


@register("language_marker", language=one_of(*MARKERS))
def language_marker(response: str, language: str) -> float:
    """Written in ``language``: its function words are the most frequent markers and at least 8% of tokens."""
    scores = language_scores(response)
    best = max(scores, key=scores.get)
    return float(best == language and scores[language] >= 0.08)


_CONTRACTION = re.compile(
    r"\b(?:\w+n['’]t|\w+['’](?:re|ve|ll|d|m)|(?:it|that|there|here|what|who|where|he|she|let|how)['’]s)\b",
    re.IGNORECASE,
)
_INFORMAL = re.compile(
    r"\b(?:gonna|wanna|gotta|kinda|sorta|yeah|yep|nope|lol|btw|hey|ok|okay|cool|awesome|stuff|guys)\b|!{2,}",
    re.IGNORECASE,
)


@register("formal_register")
def formal_register(response: str) -> float:
    """Formal register: no contractions (don't, it's, we'll...), no slang (gonna, yeah, okay...), no '!!'."""
    return float(bool(words(response)) and not _CONTRACTION.search(response) and not _INFORMAL.search(response))


_DISCLAIMERS = {
    "medical": r"not (?:a )?(?:substitute|replacement) for (?:professional |personal )?(?:medical )?(?:advice|care|diagnosis)"
    r"|(?:this|it) is not medical advice|not (?:be )?(?:a )?medical advice|i(?:'m| am) not a (?:doctor|physician|clinician)"
    r"|(?:cannot|can't|can not) (?:diagnose|give (?:you )?a diagnosis)|general (?:health )?information only",
    "legal": r"not legal advice|not (?:a )?(?:substitute|replacement) for (?:advice from )?(?:a |an )?(?:lawyer|attorney|solicitor|legal advice)"
    r"|i(?:'m| am) not a (?:lawyer|attorney|solicitor)|general (?:legal )?information only|(?:laws?|rules) (?:vary|differ) by (?:jurisdiction|state|country)",
    "financial": r"not financial advice|i(?:'m| am) not a financial (?:adviser|advisor|planner)|not (?:a )?substitute for (?:professional )?financial advice",
}
_DISCLAIMERS["any"] = "|".join(_DISCLAIMERS.values())

_PROFESSIONALS = {
    "medical": r"doctor|physician|gp|general practitioner|pharmacist|nurse|clinician|healthcare (?:provider|professional)"
    r"|health care (?:provider|professional)|medical professional|specialist|urgent care|emergency (?:room|department|services)",
    "legal": r"lawyer|attorney|solicitor|legal aid|legal professional|paralegal|bar association",
    "financial": r"financial (?:adviser|advisor|planner)|accountant|tax professional",
    "mental-health": r"therapist|counsell?or|psychologist|psychiatrist|mental health (?:professional|provider)|crisis line|helpline|hotline",
}
_PROFESSIONALS["any"] = "|".join(_PROFESSIONALS.values())
_REFER_VERB = (
    r"(?:see|consult|talk(?:ing)? (?:to|with)|speak(?:ing)? (?:to|with)|contact|call|visit|ask|check with|reach out to"
    r"|get in touch with|book|seek|(?:checked|examined|seen|evaluated|assessed|reviewed) by|appointment with)"
)


@register("includes_disclaimer", kind=one_of(*_DISCLAIMERS))
def includes_disclaimer(response: str, kind: str = "any") -> float:
    """Contains a disclaimer of the given ``kind`` (medical, legal, financial or any), e.g. "this is not medical advice"."""
    return float(bool(re.search(_DISCLAIMERS[kind], response.replace("’", "'"), re.IGNORECASE)))


@register("refers_to_professional", kind=one_of(*_PROFESSIONALS))
def refers_to_professional(response: str, kind: str = "any") -> float:
    """Tells the user to see/consult/contact a professional of the given ``kind`` within one sentence."""
    pattern = re.compile(rf"\b{_REFER_VERB}\b[^.!?\n]{{0,60}}?\b(?:{_PROFESSIONALS[kind]})s?\b", re.IGNORECASE)
    return float(bool(pattern.search(response.replace("’", "'"))))


_ASKING = re.compile(
    r"\b(?:you|your|you're|yours)\b|^(?:could|can|would|do|does|did|is|are|was|were|have|has|what|which|when|where|who|how|why)\b",
    re.IGNORECASE,
)


@register("asks_clarifying_question")
def asks_clarifying_question(response: str) -> float:
    """Contains a question to the user: a sentence of 3+ words ending in '?' that says you/your or opens with a question word."""
    return float(
        any(s.rstrip().endswith("?") and len(words(s)) >= 3 and _ASKING.search(s.strip()) for s in sentences(response))
    )


def _constraint_list(name: str, key: str, value: Any) -> tuple[dict[str, Any], ...]:
    if isinstance(value, dict) or not isinstance(value, (list, tuple)) or not value:
        raise ConfigError(f"checker {name!r}: param {key!r} must be a non-empty list of {{'checker': ..., params}} dicts")
    out = []
    for c in value:
        if not isinstance(c, dict) or not isinstance(c.get("checker"), str):
            raise ConfigError(f"checker {name!r}: constraint {c!r} needs a 'checker' key")
        if c["checker"] == "combine":
            raise ConfigError(f"checker {name!r}: nested 'combine' is not supported; flatten the constraint list")
        get_checker(c["checker"])
        validate(c["checker"], **{k: v for k, v in c.items() if k != "checker"})
        out.append(dict(c))
    return tuple(out)


@register("combine", constraints=_constraint_list, mode=one_of("mean", "all", "any"))
def combine(response: str, constraints: tuple[dict[str, Any], ...], mode: str = "mean") -> float:
    """Several constraints at once: their mean score (``mode="mean"``), 1 only if all pass (``all``), or if any passes (``any``)."""
    scores = []
    for c in constraints:
        spec = get_checker(c["checker"])
        params = validate(c["checker"], **{k: v for k, v in c.items() if k != "checker"})
        scores.append(min(1.0, max(0.0, float(spec.fn(response, **params)))))
    if mode == "all":
        return float(all(s >= 1.0 for s in scores))
    if mode == "any":
        return max(scores)
    return sum(scores) / len(scores)
