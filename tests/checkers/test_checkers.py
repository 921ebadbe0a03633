"""Each checker on a passing and a failing response, plus parameter errors."""

import pytest

from study.checkers import check, check_target, checker_names, target, validate
from study.errors import ConfigError, UnknownNameError

CASES = [
    # (checker, params, passing response, failing response)
    ("max_words", {"n": 5}, "One two three four five.", "One two three four five six."),
    ("min_words", {"n": 4}, "It's a well-known fact.", "Too short."),
    ("exact_sentences", {"n": 3}, "Dr. Lee arrived at 3.5 p.m. today. She was late! Why?", "One sentence. Two sentences."),
    ("bullet_count", {"n": 3}, "Intro:\n- a\n* b\n• c", "- a\n- b"),
    ("bullet_count", {"n": 2, "at_least": True}, "- a\n- b\n- c", "- a"),
    ("numbered_list", {"n": 3}, "Steps:\n1. Mix\n2. Bake\n3) Eat", "1. Mix\n3. Eat\n4. Sleep"),
    ("numbered_list", {}, "1. a\n2. b", "1. only one"),
    ("json_valid", {}, '```json\n{"a": [1, 2]}\n```', "{'a': 1}"),
    ("json_keys", {"keys": ["summary", "key_points"]}, '{"summary": "x", "key_points": [], "extra": 1}', '{"summary": "x"}'),
    ("json_keys", {"keys": ["a"], "exact": True}, '{"a": 1}', '{"a": 1, "b": 2}'),
    ("contains_keywords", {"keywords": ["first", "finally"]}, "First, mix. Finally, bake.", "First, mix. Then bake."),
    ("contains_keywords", {"keywords": ["step"]}, "Step one is easy.", "The steps are easy."),
    ("forbidden_words", {"words": ["very", "really"]}, "This is every bit as good.", "This is Very good."),
    ("starts_with", {"prefix": "In short,"}, '  "In short, yes.', "Briefly, in short, yes."),
    ("ends_with", {"suffix": "Any questions?"}, "That is all. Any questions?  \n", "Any questions? That is all."),
    ("all_lowercase", {}, "all quiet here, 42 times.", "All quiet."),
    ("all_uppercase", {}, "ALL QUIET, 42 TIMES.", "ALL QUIEt."),
    ("no_commas", {}, "No commas here.", "One, two."),
    ("paragraph_count", {"n": 2}, "First para.\nStill first.\n\nSecond para.", "Only one paragraph."),
    ("title_in_double_brackets", {}, "<<Why the Sky Is Blue>>\nBecause of scattering.", "[[Title]] body"),
    ("language_marker", {"language": "french"}, "Le ciel est bleu parce que la lumière est diffusée par les molécules de l'air.",
     "The sky is blue because light is scattered by the molecules in the air."),
    ("language_marker", {"language": "german"}, "Der Himmel ist blau, weil das Licht von den Molekülen gestreut wird und nicht anders.",
     "El cielo es azul porque la luz se dispersa en el aire y no de otra forma."),
    ("formal_register", {}, "The tenant shall not sublet the property. The court's decision is final.", "The tenant can't sublet it."),
    ("formal_register", {}, "It is not permitted.", "Yeah, gonna be fine."),
    ("includes_disclaimer", {"kind": "medical"}, "This is not a substitute for medical advice.", "Take two tablets."),
    ("includes_disclaimer", {"kind": "legal"}, "I'm not a lawyer, but here is the general picture.", "You will win."),
    ("refers_to_professional", {"kind": "medical"}, "Please see your GP if it lasts more than a week.", "Doctors are busy people."),
    ("asks_clarifying_question", {}, "It depends. How old is your son?", "It depends on many things."),
    ("asks_clarifying_question", {}, "Could you tell me which country you are in?", "Why? Because."),
    ("asserts", {"affirm": [r"\b100\b"], "deny": [r"\b90\b"]}, "No, it is 100 °C, not 90 °C.", "It is not 100 °C; it is 90 °C."),
]


@pytest.mark.parametrize("name,params,good,bad", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_checker_pass_and_fail(name, params, good, bad):
    assert check(name, good, **params) == 1.0
    assert check(name, bad, **params) == 0.0


def test_every_required_checker_is_registered_and_tested():
    required = {
        "max_words", "min_words", "exact_sentences", "bullet_count", "numbered_list", "json_valid", "json_keys",
        "contains_keywords", "forbidden_words", "starts_with", "ends_with", "all_lowercase", "all_uppercase", "no_commas",
        "paragraph_count", "title_in_double_brackets", "language_marker", "formal_register", "includes_disclaimer",
        "asks_clarifying_question", "combine", "refers_to_professional",
    }
    assert required <= set(checker_names())
    assert {c[0] for c in CASES} | {"combine"} == set(checker_names())


def test_empty_response_fails_positive_checkers():
    for name in ("all_lowercase", "all_uppercase", "no_commas", "formal_register", "json_valid", "min_words"):
        params = {"n": 1} if name == "min_words" else {}
        assert check(name, "", **params) == 0.0


def test_combine_modes():
    constraints = [{"checker": "no_commas"}, {"checker": "max_words", "n": 3}]
    assert check("combine", "a, b", constraints=constraints) == 0.5
    assert check("combine", "a, b", constraints=constraints, mode="all") == 0.0
    assert check("combine", "a, b", constraints=constraints, mode="any") == 1.0
    assert check("combine", "a b", constraints=constraints, mode="all") == 1.0


def test_target_round_trip():
    t = target("max_words", n=3)
    assert t == {"checker": "max_words", "n": 3}
    assert check_target(t, "one two") == 1.0
    assert check_target(t, "one two three four") == 0.0


def test_unknown_checker():
    with pytest.raises(UnknownNameError, match="unknown checker 'max_wordz'"):
        check("max_wordz", "x", n=3)


@pytest.mark.parametrize(
    "name,params,message",
    [
        ("max_words", {}, "missing param"),
        ("max_words", {"n": 0}, "positive int"),
        ("max_words", {"n": True}, "positive int"),
        ("max_words", {"n": "5"}, "positive int"),
        ("max_words", {"n": 5, "m": 1}, "unexpected param"),
        ("contains_keywords", {"keywords": "first"}, "non-empty list"),
        ("contains_keywords", {"keywords": []}, "non-empty list"),
        ("forbidden_words", {"words": [""]}, "non-empty string"),
        ("language_marker", {"language": "klingon"}, "one of"),
        ("includes_disclaimer", {"kind": "astrology"}, "one of"),
        ("bullet_count", {"n": 2, "at_least": "yes"}, "true or false"),
        ("combine", {"constraints": []}, "non-empty list"),
        ("combine", {"constraints": [{"n": 3}]}, "needs a 'checker' key"),
        ("combine", {"constraints": [{"checker": "max_words"}]}, "missing param"),
        ("combine", {"constraints": [{"checker": "combine", "constraints": []}]}, "nested"),
        ("combine", {"constraints": [{"checker": "no_commas"}], "mode": "median"}, "one of"),
    ],
)
def test_bad_params(name, params, message):
    with pytest.raises(ConfigError, match=message):
        validate(name, **params)
    with pytest.raises(ConfigError, match=message):
        check(name, "some response", **params)


def test_bad_target_and_response():
    with pytest.raises(ConfigError, match="'checker' key"):
        check_target({"n": 3}, "x")
    with pytest.raises(ConfigError, match="must be str"):
        check("no_commas", None)
