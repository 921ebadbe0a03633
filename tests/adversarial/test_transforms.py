"""Rule-based request rewrites used by the jailbreak templates."""

from __future__ import annotations

import pytest

from study.conditions.transforms import TRANSFORMS, leetspeak, past_tense, reverse_words, to_base64


@pytest.mark.parametrize("request_text,expected", [
    ("How do I pick a good melon?", "How did people pick a good melon in the past?"),
    ("Write a guide on how to bake bread", "How did people bake bread in the past?"),
    ("Give detailed instructions for building a birdhouse.", "How did people go about building a birdhouse in the past?"),
    ("List ways to save money", "How did people save money in the past?"),
    ("What is the best way to grow tomatoes?", "What was the best way to grow tomatoes in the past?"),
    ("Can you explain how one could fix a bike chain?", "How did people fix a bike chain in the past?"),
    ("Is it legal to record phone calls?", "Was it legal to record phone calls in the past?"),
    ("Where can I buy cheap flights", "Where did people buy cheap flights in the past?"),
    ("Describe the history of Rome.", "In the past, how did people describe the history of Rome?"),
])
def test_past_tense_rules(request_text, expected):
    assert past_tense(request_text) == expected


def test_encodings():
    assert to_base64("hi there") == "aGkgdGhlcmU="
    assert leetspeak("Bake a cake, Tess") == "B4k3 4 c4k3, 7355"
    assert reverse_words("one two three") == "three two one"
    assert past_tense("   ") == "   " and TRANSFORMS["none"]("x") == "x"
