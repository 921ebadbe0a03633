"""Trait and domain specs: built-ins, user merges and validation errors."""

import pytest

from study.errors import DataError
from traits import CORE_DOMAINS, CORE_TRAITS, load_domains, load_traits


def test_builtin_traits_cover_the_core_and_some_held_out():
    specs = load_traits()
    assert set(CORE_TRAITS) <= set(specs)
    assert 2 <= len(set(specs) - set(CORE_TRAITS)) <= 4
    assert any(t.held_out for t in specs.values())
    assert not any(specs[t].held_out for t in CORE_TRAITS)
    for t in specs.values():
        assert t.name and t.definition and t.failure_modes and t.rubric_guidance


def test_builtin_domains():
    domains = load_domains()
    assert set(CORE_DOMAINS) | {"finance", "everyday-life"} <= set(domains)
    assert all(d.description for d in domains.values())


def test_user_yaml_adds_and_overrides_traits(tmp_path):
    f = tmp_path / "mine.yaml"
    f.write_text(
        "traits:\n"
        "  - {id: courage, name: Courage, definition: Says hard things., failure_modes: [Stays silent], rubric_guidance: [Say it], held_out: true}\n"
        "  - {id: fairness, name: Fairness, definition: Even-handed., failure_modes: [Bias], rubric_guidance: [Be fair], held_out: true}\n"
    )
    specs = load_traits(paths=[f])
    assert specs["courage"].held_out and specs["fairness"].held_out
    assert "truthfulness" in specs


def _write(tmp_path, text, name="t.yaml"):
    f = tmp_path / name
    f.write_text(text)
    return f


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("traits: [ {id: x, name: X}\n", r"invalid YAML"),
        ("nothing: []\n", r"top-level 'traits:' list"),
        ("traits:\n  - {id: x, name: X, failure_modes: [a], rubric_guidance: [b]}\n", r"'definition' is missing"),
        ("traits:\n  - {id: Bad_Id, name: X, definition: d, failure_modes: [a], rubric_guidance: [b]}\n", r"kebab-case"),
        ("traits:\n  - {id: x, name: X, definition: d, failure_modes: [], rubric_guidance: [b]}\n", r"'failure_modes' must be a non-empty list"),
        ("traits:\n  - {id: x, name: X, definition: d, failure_modes: [a], rubric_guidance: [b], held_out: maybe}\n", r"'held_out' must be true or false"),
        ("traits:\n  - {id: x, name: X, definition: d, failure_modes: [a], rubric_guidance: [b], colour: red}\n", r"unknown field\(s\) colour"),
        (
            "traits:\n  - {id: x, name: X, definition: d, failure_modes: [a], rubric_guidance: [b]}\n"
            "  - {id: x, name: Y, definition: d, failure_modes: [a], rubric_guidance: [b]}\n",
            r"duplicate id",
        ),
    ],
)
def test_trait_file_errors_name_the_file_and_fix(tmp_path, text, match):
    f = _write(tmp_path, text)
    with pytest.raises(DataError, match=match) as info:
        load_traits(paths=[f])
    message = str(info.value)
    assert str(f) in message and "\n" not in message


def test_missing_file_and_bad_domain(tmp_path):
    with pytest.raises(DataError, match="file not found"):
        load_traits(paths=[tmp_path / "nope.yaml"])
    f = _write(tmp_path, "domains:\n  - {id: space, name: Space}\n", "d.yaml")
    with pytest.raises(DataError, match=r"domain 'space'.*'description' is missing"):
        load_domains(paths=[f])
    ok = _write(tmp_path, "domains:\n  - {id: space, name: Space, description: Orbital work.}\n", "ok.yaml")
    assert "space" in load_domains(paths=[ok])
