"""The regular RL prompt mix: size, determinism, valid constraints, rewards, disjointness from benchmarks."""

import json
import re

import pytest

import study.benchmarks.own  # noqa: F401
from methods.trait_rl.regular_mix import DATA, RegularPrompt, load_regular_prompts, regular_reward
from study.benchmarks.registry import all_benchmarks
from study.checkers import validate
from study.errors import DataError
from study.types import DOMAINS

OWN = {n: s for n, s in all_benchmarks().items() if s.loader.__module__.startswith("study.benchmarks.own")}


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def test_size_domains_and_determinism():
    prompts = load_regular_prompts(0)
    assert len(prompts) >= 400
    assert prompts == load_regular_prompts(0)
    assert prompts != load_regular_prompts(1)
    assert [p.id for p in prompts] == [p.id for p in load_regular_prompts(1)]
    assert len({p.id for p in prompts}) == len(prompts)
    assert {p.domain for p in prompts} == set(DOMAINS)


def test_constraints_valid_and_compatible():
    data = json.loads(DATA.read_text())
    banned = {frozenset(pair) for pair in data["incompatible"]}
    for p in load_regular_prompts(3):
        assert isinstance(p, RegularPrompt) and 1 <= len(p.constraints) <= 3
        assert p.messages[-1]["role"] == "user"
        names = [c["checker"] for c in p.constraints]
        assert len(set(names)) == len(names)
        for c in p.constraints:
            validate(c["checker"], **{k: v for k, v in c.items() if k != "checker"})
        for i, a in enumerate(names):
            for b in names[i + 1:]:
                assert frozenset((a, b)) not in banned, p.id


def test_reward_is_mean_of_checks():
    p = RegularPrompt("x", ({"role": "user", "content": "q"},),
                      ({"checker": "no_commas"}, {"checker": "max_words", "n": 8}), "general")
    assert regular_reward(p, "a short reply without any commas") == 1.0
    assert regular_reward(p, "a reply, with a comma, that is also much too long") == 0.0
    assert regular_reward(p, "a reply with no commas but far too many words") == 0.5
    assert regular_reward(p, "ok") == 0.0  # trivially short replies earn nothing


def test_reward_rejects_prompt_without_constraints():
    with pytest.raises(DataError, match="no constraints"):
        regular_reward(RegularPrompt("x", ({"role": "user", "content": "q"},), (), "general"), "some reply here ok")


def test_bad_data_file(tmp_path):
    bad = tmp_path / "prompts.json"
    bad.write_text("{not json")
    with pytest.raises(DataError, match="cannot read"):
        load_regular_prompts(0, bad)
    data = json.loads(DATA.read_text())
    data["constraint_groups"]["length"][0]["values"] = [{"n": -1}]
    bad.write_text(json.dumps(data))
    with pytest.raises(DataError, match="max_words"):
        load_regular_prompts(0, bad)


def test_no_overlap_with_own_benchmarks():
    mix = {_norm(p.messages[-1]["content"]) for p in load_regular_prompts(0)}
    data = json.loads(DATA.read_text())
    topics = [t for ts in data["topics"].values() for t in ts]
    for name, spec in OWN.items():
        for it in spec.items():
            for m in it.messages:
                if m["role"] != "user":
                    continue
                text = _norm(m["content"])
                assert text not in mix, f"{it.id} duplicates a regular-mix prompt"
                for topic in topics:
                    assert _norm(topic) not in text, f"{it.id} reuses regular-mix topic {topic!r}"
