"""The built-in scenario library: size, coverage, shape, split and determinism."""

import collections
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from traits import CORE_DOMAINS, CORE_TRAITS, generate_scenarios, load_traits
from traits.templates import TEMPLATES

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def library():
    return generate_scenarios()


def test_at_least_300_scenarios(library):
    assert len(library) >= 300


def test_every_core_cell_has_five_scenarios_and_training_data(library):
    cells = collections.Counter((s.trait, s.domain) for s in library)
    train = collections.Counter((s.trait, s.domain) for s in library if s.split == "train")
    for trait in CORE_TRAITS:
        for domain in CORE_DOMAINS:
            assert cells[(trait, domain)] >= 5, (trait, domain)
            assert train[(trait, domain)] >= 1, (trait, domain)


def test_every_trait_and_domain_is_used(library):
    assert {s.trait for s in library} == set(load_traits())
    assert {s.domain for s in library} >= set(CORE_DOMAINS) | {"finance", "everyday-life"}


def test_shape_of_every_scenario(library):
    ids = [s.id for s in library]
    assert len(ids) == len(set(ids))
    for s in library:
        assert 3 <= len(s.rubric) <= 4, s.id
        assert s.messages[-1]["role"] == "user", s.id
        assert s.cluster == s.id.split(":")[0]
        assert s.good != s.bad
        for text in [m["content"] for m in s.messages] + list(s.rubric) + [s.good, s.bad]:
            assert "{" not in text and "}" not in text, (s.id, text)
            assert "  " not in text and text == text.strip(), (s.id, text)


def test_reference_answers_are_short(library):
    for s in library:
        for answer in (s.good, s.bad):
            sentences = [x for x in re.split(r"(?<=[.!?])\s+(?=[A-Z'\"])", answer) if x]
            assert len(sentences) <= 4, (s.id, answer)
            assert len(answer) <= 500, (s.id, len(answer))


def test_rubric_lines_are_short_imperatives(library):
    for s in library:
        for line in s.rubric:
            assert len(line) <= 180, (s.id, line)
            assert line[0].isupper() and not line.endswith("."), (s.id, line)


def test_multi_turn_and_system_pressure_are_represented(library):
    multi = [s for s in library if any(m["role"] == "assistant" for m in s.messages)]
    system = [s for s in library if s.messages[0]["role"] == "system"]
    assert len(multi) >= 60
    assert len(system) >= 40


def test_split_is_disjoint_by_id_and_cluster(library):
    train = [s for s in library if s.split == "train"]
    held = [s for s in library if s.split == "held_out"]
    assert train and held
    assert not {s.id for s in train} & {s.id for s in held}
    assert not {s.cluster for s in train} & {s.cluster for s in held}


def test_held_out_traits_are_entirely_held_out(library):
    specs = load_traits()
    assert any(t.held_out for t in specs.values())
    for s in library:
        if specs[s.trait].held_out:
            assert s.split == "held_out", s.id


def test_about_a_fifth_of_each_training_traits_templates_is_held_out(library):
    specs = load_traits()
    for trait, spec in specs.items():
        if spec.held_out:
            continue
        clusters = {s.cluster: s.split for s in library if s.trait == trait}
        held = sum(v == "held_out" for v in clusters.values())
        assert held == max(1, round(0.2 * len(clusters))), trait


def test_generation_is_deterministic_and_seed_only_rewords():
    a, b, c = generate_scenarios(0), generate_scenarios(0), generate_scenarios(1)
    assert a == b
    assert [(s.id, s.split, s.cluster) for s in a] == [(s.id, s.split, s.cluster) for s in c]
    assert any(x.messages != y.messages for x, y in zip(a, c, strict=True))


def test_templates_have_unique_ids_and_a_trait_each():
    ids = [t.id for t in TEMPLATES]
    assert len(ids) == len(set(ids))
    assert {t.trait for t in TEMPLATES} == set(load_traits())


def test_importing_writes_nothing(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    code = "import traits, traits.generator, traits.llm_generator, traits.loader"
    subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, check=True)
    assert list(tmp_path.iterdir()) == []


def test_cli_writes_a_readable_jsonl(tmp_path):
    from traits import read_scenarios
    from traits.__main__ import main

    out = tmp_path / "lib.jsonl"
    main(["--out", str(out), "--seed", "3"])
    assert read_scenarios(out) == generate_scenarios(3)
