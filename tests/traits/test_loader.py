"""load_scenarios filters and user JSONL validation."""

import json

import pytest

from study.errors import DataError, UnknownNameError
from traits import load_scenarios, read_scenarios, write_scenarios


def test_filters_by_split_trait_and_domain():
    every = load_scenarios()
    train = load_scenarios(split="train")
    held = load_scenarios(split="held_out")
    assert len(train) + len(held) == len(every)
    assert {s.split for s in train} == {"train"}
    health = load_scenarios(domains=["healthcare"])
    assert health and {s.domain for s in health} == {"healthcare"}
    ablation = load_scenarios(split="train", exclude_domains=["healthcare", "science"])
    assert ablation and not {s.domain for s in ablation} & {"healthcare", "science"}
    both = load_scenarios(traits=["truthfulness", "fairness"], domains=["law"])
    assert both and {(s.trait, s.domain) for s in both} == {("truthfulness", "law"), ("fairness", "law")}


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"traits": ["honesty"]}, r"unknown trait 'honesty'; known traits: .*truthfulness"),
        ({"domains": ["medicine"]}, r"unknown domain 'medicine'; known domains: .*healthcare"),
        ({"exclude_domains": ["health"]}, r"unknown domain 'health'"),
        ({"split": "test"}, r"unknown split 'test'; known splits: held_out, train"),
    ],
)
def test_unknown_filter_names_list_the_known_ones(kwargs, match):
    with pytest.raises(UnknownNameError, match=match):
        load_scenarios(**kwargs)


def _record(**over):
    rec = {
        "id": "u1",
        "trait": "truthfulness",
        "domain": "law",
        "cluster": "mine-1",
        "messages": [{"role": "user", "content": "Is a verbal contract binding?"}],
        "rubric": ["Say it often is", "Mention proof problems", "Do not overstate"],
        "good": "Often yes, but proving its terms is hard.",
        "bad": "Verbal contracts are never binding.",
    }
    rec.update(over)
    return rec


def _write_jsonl(tmp_path, records, raw_lines=()):
    f = tmp_path / "user.jsonl"
    lines = [json.dumps(r) for r in records] + list(raw_lines)
    f.write_text("\n".join(lines) + "\n")
    return f


def test_user_jsonl_round_trip_and_split(tmp_path):
    recs = [_record(id=f"u{i}", cluster=f"c{i % 5}") for i in range(10)]
    recs.append(_record(id="h1", trait="privacy-respect", cluster="p1"))
    f = _write_jsonl(tmp_path, recs)
    got = load_scenarios(path=f)
    assert len(got) == 11
    by_cluster = {}
    for s in got:
        by_cluster.setdefault(s.cluster, set()).add(s.split)
    assert all(len(v) == 1 for v in by_cluster.values())
    assert by_cluster["p1"] == {"held_out"}
    assert sum(v == {"held_out"} for k, v in by_cluster.items() if k != "p1") == 1
    out = tmp_path / "again.jsonl"
    write_scenarios(out, got)
    assert read_scenarios(out) == got
    assert load_scenarios(path=f, split="held_out", traits=["truthfulness"])


def test_explicit_split_is_kept(tmp_path):
    f = _write_jsonl(tmp_path, [_record(split="held_out"), _record(id="u2", cluster="other", split="train")])
    assert [s.split for s in read_scenarios(f)] == ["held_out", "train"]


def test_cluster_defaults_to_id(tmp_path):
    rec = _record()
    del rec["cluster"]
    assert read_scenarios(_write_jsonl(tmp_path, [rec]))[0].cluster == "u1"


def test_user_traits_and_domains_can_be_used(tmp_path):
    spec = tmp_path / "t.yaml"
    spec.write_text("traits:\n  - {id: courage, name: C, definition: d, failure_modes: [a], rubric_guidance: [b]}\n")
    dom = tmp_path / "d.yaml"
    dom.write_text("domains:\n  - {id: space, name: Space, description: Orbital work.}\n")
    f = _write_jsonl(tmp_path, [_record(trait="courage", domain="space")])
    with pytest.raises(DataError, match="unknown trait 'courage'"):
        load_scenarios(path=f)
    got = load_scenarios(path=f, trait_paths=[spec], domain_paths=[dom], traits=["courage"])
    assert got[0].trait == "courage" and got[0].domain == "space"


def _without(field):
    rec = _record()
    del rec[field]
    return rec


@pytest.mark.parametrize(
    ("records", "raw", "match"),
    [
        ([_without("good")], (), r"line 1: missing field\(s\) good; add them"),
        ([_record(trait="honesty")], (), r"line 1 \(id 'u1'\): unknown trait 'honesty'; use one of .*truthfulness"),
        ([_record(domain="medicine")], (), r"unknown domain 'medicine'; use one of .*healthcare"),
        ([_record(rubric=["One", "Two"])], (), r"rubric has 2 lines; give 3-4 short imperative lines"),
        ([_record(rubric=["1", "2", "3", "4", "5"])], (), r"rubric has 5 lines"),
        ([_record(), _record(cluster="x")], (), r"line 2: duplicate id 'u1' \(first at .*line 1\)"),
        ([_record()], ("{not json",), r"line 2: malformed JSON .*; write one JSON object per line"),
        ([_record(messages=[{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"}])], (), r"last message is from 'assistant', not the user"),
        ([_record(messages=[{"role": "bot", "content": "Hi"}])], (), r"role 'bot'"),
        ([_record(messages=[{"role": "user", "content": "a"}, {"role": "system", "content": "b"}, {"role": "user", "content": "c"}])], (), r"system message after the start"),
        ([_record(messages=[])], (), r"'messages' must be a non-empty list"),
        ([_record(split="dev")], (), r"split 'dev' is not valid"),
        ([_record(colour="red")], (), r"unknown field\(s\) colour"),
        ([_record(split="train"), _record(id="u2", split="held_out")], (), r"line 2: cluster 'mine-1' is in both splits"),
        ([], ("[1, 2]",), r"line 1: expected a JSON object"),
    ],
)
def test_validation_errors_are_one_line_and_name_file_and_line(tmp_path, records, raw, match):
    f = _write_jsonl(tmp_path, records, raw)
    with pytest.raises(DataError, match=match) as info:
        load_scenarios(path=f)
    assert str(f) in str(info.value) and "\n" not in str(info.value)


def test_missing_and_empty_files(tmp_path):
    with pytest.raises(DataError, match="not found"):
        load_scenarios(path=tmp_path / "none.jsonl")
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n")
    with pytest.raises(DataError, match="no scenarios found"):
        load_scenarios(path=empty)
