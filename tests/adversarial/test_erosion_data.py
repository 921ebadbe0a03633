"""The attack dataset: size, categories, format, no overlap with what arms are scored or trained on."""

from __future__ import annotations

import json
import runpy
from pathlib import Path

import pytest

from study.attacks.erosion_data import CATEGORIES, EROSION_FILE, load_attack_data
from study.errors import DataError


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def test_size_and_categories():
    data = load_attack_data()
    assert len(data) >= 150
    counts = {c: sum(ex.category == c for ex in data) for c in CATEGORIES}
    assert all(n >= 20 for n in counts.values()), counts


def test_no_user_turn_overlaps_benchmark_items_or_trait_scenarios():
    import traits
    from study.benchmarks import load_registry

    ours = {_norm(t) for ex in load_attack_data() for t in ex.user_turns}
    theirs = set()
    for spec in load_registry().values():
        for it in spec.items():
            theirs |= {_norm(m["content"]) for m in it.messages if m["role"] == "user"}
    for sc in traits.load_scenarios():
        theirs |= {_norm(m["content"]) for m in sc.messages if m["role"] == "user"}
    overlap = ours & theirs
    assert not overlap, f"{len(overlap)} attack user turns appear in benchmarks or trait scenarios"


def test_no_operationally_harmful_topics():
    import re

    banned = re.compile(r"\b(weapons?|explosives?|bombs?|malware|poison\w*|overdos\w*|dosages?|mg|cocaine|heroin|meth|"
                        r"synthesi[sz]e|hack\w*|suicid\w*|self-harm|kill)\b")
    text = " ".join(_norm(m["content"]) for ex in load_attack_data() for m in ex.messages)
    assert not banned.findall(text)


def test_committed_file_matches_its_builder():
    builder = runpy.run_path(str(Path(EROSION_FILE).with_name("build_erosion.py")), run_name="not_main")
    committed = [json.loads(x) for x in EROSION_FILE.read_text(encoding="utf-8").splitlines()]
    assert committed == builder["rows"](), "run study/data/attack/build_erosion.py to regenerate erosion.jsonl"


@pytest.mark.parametrize("line,match", [
    ("{not json", "not valid JSON"),
    ('{"id": "a", "category": "flattery"}', "missing field 'messages'"),
    ('{"id": "a", "category": "weapons", "messages": []}', "category 'weapons'"),
    ('{"id": "a", "category": "flattery", "messages": [{"role": "user", "content": "x"}]}', "user/assistant pairs"),
    ('{"id": "a", "category": "flattery", "messages": [{"role": "assistant", "content": "x"}, {"role": "user", "content": "y"}]}', "message 0"),
])
def test_malformed_lines_are_named(tmp_path, line, match):
    path = tmp_path / "bad.jsonl"
    path.write_text(line + "\n")
    with pytest.raises(DataError, match=match):
        load_attack_data(path)


def test_duplicates_refused(tmp_path):
    row = {"id": "a", "category": "flattery", "messages": [{"role": "user", "content": "x"}, {"role": "assistant", "content": "y"}]}
    path = tmp_path / "dup.jsonl"
    path.write_text(json.dumps(row) + "\n" + json.dumps(row) + "\n")
    with pytest.raises(DataError, match="duplicate id 'a'"):
        load_attack_data(path)
    path.write_text(json.dumps(row) + "\n" + json.dumps({**row, "id": "b"}) + "\n")
    with pytest.raises(DataError, match="duplicates an earlier line"):
        load_attack_data(path)
