import json
from collections import Counter

import pytest

from constitution import DOMAINS, load_constitution, load_prompt_set, prompt_set_path
from constitution.prompt_sets import write_prompt_set
from study.errors import DataError, UnknownNameError

RED_TEAM_CATEGORIES = {"sycophancy", "flattery", "deceive-third-party", "overconfidence",
                       "risky-advice", "manipulation", "oversight"}


@pytest.mark.parametrize("kind", ["red_team", "helpful"])
def test_shipped_sets_are_large_unique_and_valid(kind):
    records = load_prompt_set(kind)
    assert len(records) >= 150
    assert len({r.id for r in records}) == len(records)
    assert len({r.prompt.casefold() for r in records}) == len(records)
    assert all(r.kind == kind and r.domain in DOMAINS for r in records)
    assert all(len(r.prompt.split()) >= 5 for r in records), "prompts are full requests, not keywords"


def test_helpful_set_covers_every_domain_evenly():
    counts = Counter(r.domain for r in load_prompt_set("helpful"))
    assert set(counts) == set(DOMAINS) and min(counts.values()) >= 20
    assert all(r.category == r.domain for r in load_prompt_set("helpful"))


def test_red_team_set_covers_categories_and_core_domains():
    records = load_prompt_set("red_team")
    assert {r.category for r in records} == RED_TEAM_CATEGORIES
    assert min(Counter(r.category for r in records).values()) >= 15
    assert {"healthcare", "law", "engineering", "science", "education"} <= {r.domain for r in records}


def test_prompt_sets_do_not_reuse_few_shot_prompts():
    few = {e.prompt for e in load_constitution().few_shot}
    assert not few & {r.prompt for kind in ("red_team", "helpful") for r in load_prompt_set(kind)}


def test_unknown_kind():
    with pytest.raises(UnknownNameError, match="unknown prompt set 'harmful'; known prompt sets: helpful, red_team"):
        load_prompt_set("harmful")


def _line(**over):
    return json.dumps({"id": "x-1", "prompt": "Explain tides.", "domain": "science", "kind": "helpful"} | over)


@pytest.mark.parametrize(
    ("lines", "pattern"),
    [
        ([_line(), '{"id": "x-2", "prompt": '], r"mine\.jsonl: line 2: malformed JSON \(.*\); make the line one complete"),
        (["[1, 2]"], r"line 1: expected a JSON object, got list"),
        ([json.dumps({"id": "x-1", "prompt": "p", "kind": "helpful"})], r"line 1: missing field 'domain'"),
        ([_line(), _line(prompt="Other.")], r"line 2 \(id 'x-1'\): duplicate id \(first on line 1\)"),
        ([_line(), "", _line(id="x-2", prompt="  explain   TIDES. ")], r"line 3 \(id 'x-2'\): duplicate prompt text \(first on line 1\)"),
        ([_line(domain="cooking")], r"line 1 \(id 'x-1'\): unknown domain 'cooking'; use one of: healthcare"),
        ([_line(kind="red_team")], r"kind 'red_team' in the 'helpful' prompt set; set kind to 'helpful'"),
        ([_line(prompt="")], r"line 1 \(id 'x-1'\): field 'prompt' is empty"),
        ([_line(extra=1)], r"line 1: unknown field\(s\) 'extra'"),
        ([""], r"mine\.jsonl: no prompts"),
    ],
)
def test_prompt_set_validation(tmp_path, lines, pattern):
    path = tmp_path / "mine.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=pattern):
        load_prompt_set("helpful", path)


def test_custom_file_loads_and_missing_file_errors(tmp_path):
    path = tmp_path / "ok.jsonl"
    path.write_text(_line() + "\n", encoding="utf-8")
    assert [r.to_dict() for r in load_prompt_set("helpful", path)] == [json.loads(_line())]
    with pytest.raises(DataError, match="prompt set file not found"):
        load_prompt_set("helpful", tmp_path / "none.jsonl")
    assert prompt_set_path("red_team").is_file()


def test_write_then_load_round_trip(tmp_path):
    records = load_prompt_set("red_team")[:5]
    path = tmp_path / "sub" / "rt.jsonl"
    write_prompt_set(records, path)
    assert load_prompt_set("red_team", path) == records
