import random
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from constitution import TRAIT_TAGS, Constitution, load_constitution
from constitution.loader import DATA_DIR
from study.errors import DataError, UnknownNameError


@pytest.fixture(scope="module")
def shipped() -> Constitution:
    return load_constitution()


def _as_dict(c: Constitution) -> dict:
    return {
        "document": c.document,
        "principles": [
            {"id": p.id, "text": p.text, "critique_request": p.critique_request,
             "revision_request": p.revision_request, "comparison_question": p.comparison_question,
             "traits": list(p.traits)}
            for p in c.principles
        ],
        "few_shot": [
            {"id": e.id, "principle_id": e.principle_id, "prompt": e.prompt,
             "initial_answer": e.initial_answer, "critique": e.critique, "revision": e.revision}
            for e in c.few_shot
        ],
    }


def _write(tmp_path: Path, data: dict, name: str = "mine.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def test_shipped_constitution_is_complete(shipped):
    assert shipped.source == DATA_DIR
    words = len(shipped.document.split())
    assert 1500 <= words <= 3200, words
    for heading in ("Honesty", "oversight", "Fairness", "well-being", "harm", "helpful"):
        assert heading.lower() in shipped.document.lower()
    assert 16 <= len(shipped.principles) <= 24
    assert set(TRAIT_TAGS) == shipped.traits, "every trait tag is used by some principle"
    assert len(shipped.few_shot) >= 3
    assert {e.principle_id for e in shipped.few_shot} <= set(shipped.principle_ids)


def test_shipped_principles_are_well_formed(shipped):
    for p in shipped.principles:
        assert p.text.endswith(".") and p.text.count(". ") == 0, f"{p.id}: text is one sentence"
        assert "(A)" not in p.comparison_question and p.comparison_question.endswith("?")
        assert p.comparison_question.lower().startswith("which response")
        assert "only the rewritten response" in p.revision_request
        assert "assistant's last response" in p.critique_request


def test_loaded_objects_are_frozen(shipped):
    with pytest.raises(AttributeError):
        shipped.principles[0].text = "x"  # type: ignore[misc]


def test_principle_lookup(shipped):
    first = shipped.principles[0]
    assert shipped.principle(first.id) is first
    with pytest.raises(UnknownNameError, match="unknown principle 'nope'"):
        shipped.principle("nope")


def test_sampling_is_uniform_and_seeded(shipped):
    draws = [shipped.sample_principle(random.Random(7)) for _ in range(3)]
    assert len({p.id for p in draws}) == 1, "same seed, same principle"
    rng = random.Random(123)
    n = 200 * len(shipped.principles)
    counts = Counter(shipped.sample_principle(rng).id for _ in range(n))
    assert set(counts) == set(shipped.principle_ids)
    assert min(counts.values()) > 0.6 * n / len(shipped.principles)
    assert max(counts.values()) < 1.4 * n / len(shipped.principles)


def test_single_yaml_file_round_trip(tmp_path, shipped):
    path = _write(tmp_path, _as_dict(shipped))
    loaded = load_constitution(path)
    assert loaded.principles == shipped.principles
    assert loaded.few_shot == shipped.few_shot
    assert loaded.document == shipped.document
    assert loaded.source == path


def test_single_yaml_document_as_relative_path(tmp_path, shipped):
    (tmp_path / "doc.md").write_text("# Mine\n\nBe honest.\n", encoding="utf-8")
    data = _as_dict(shipped) | {"document": "doc.md"}
    assert load_constitution(_write(tmp_path, data)).document == "# Mine\n\nBe honest.\n"


def test_few_shot_is_optional(tmp_path, shipped):
    data = _as_dict(shipped)
    del data["few_shot"]
    assert load_constitution(_write(tmp_path, data)).few_shot == ()


def test_directory_layout(tmp_path, shipped):
    data = _as_dict(shipped)
    (tmp_path / "constitution.md").write_text("Be good.\n", encoding="utf-8")
    (tmp_path / "principles.yaml").write_text(yaml.safe_dump({"principles": data["principles"][:2]}))
    loaded = load_constitution(tmp_path)
    assert loaded.document == "Be good.\n" and len(loaded.principles) == 2 and loaded.few_shot == ()


def _mutate(shipped, fn):
    data = _as_dict(shipped)
    fn(data)
    return data


@pytest.mark.parametrize(
    ("mutation", "pattern"),
    [
        (lambda d: d["principles"][1].pop("critique_request"),
         r"mine\.yaml: principle '[a-z-]+' \(#2\): missing field 'critique_request'; add 'critique_request'"),
        (lambda d: d["principles"][3].update(id=d["principles"][0]["id"]),
         r"principle 'no-false-agreement' \(#4\): duplicate id 'no-false-agreement' \(also #1\); give each principle a unique id"),
        (lambda d: d["principles"][2].update(text="   "),
         r"principle 'calibrated-confidence' \(#3\): field 'text' is empty; give 'text' a non-empty text"),
        (lambda d: d["principles"][0].update(traits=["honesty"]),
         r"principle 'no-false-agreement' \(#1\): unknown trait tag 'honesty'; use tags from: truthfulness"),
        (lambda d: d.update(principles=[]),
         r"mine\.yaml: no principles; add at least one entry under 'principles'"),
        (lambda d: d["few_shot"][1].update(principle_id="be-nice"),
         r"few-shot example '[a-z-]+' \(#2\): unknown principle id 'be-nice'; use one of the principle ids: "),
        (lambda d: d["principles"][0].update(id="Bad Id"),
         r"principle 'Bad Id' \(#1\): id 'Bad Id' is not kebab-case; use lowercase"),
        (lambda d: d["principles"][0].update(critque_request="typo"),
         r"unknown field\(s\) 'critque_request'; remove them or fix the spelling"),
        (lambda d: d["few_shot"][0].pop("revision"),
         r"few-shot example '[a-z-]+' \(#1\): missing field 'revision'"),
        (lambda d: d["few_shot"][2].update(id=d["few_shot"][0]["id"]),
         r"few-shot example '[a-z-]+' \(#3\): duplicate id"),
        (lambda d: d["principles"].append("just a string"),
         r"principle #21: expected a mapping of fields, got str"),
        (lambda d: d.pop("document"),
         r"mine\.yaml: missing key 'document'"),
        (lambda d: d.update(document="missing.md"),
         r"mine\.yaml: document file .*missing\.md not found; fix the path"),
        (lambda d: d.update(extra=1),
         r"mine\.yaml: unknown top-level key\(s\) 'extra'"),
        (lambda d: d.update(principles={"a": 1}),
         r"mine\.yaml: 'principles' must be a list of entries, got dict"),
    ],
)
def test_validation_errors_name_file_entry_and_fix(tmp_path, shipped, mutation, pattern):
    assert len(shipped.principles) == 20, "patterns above assume the shipped principle order"
    path = _write(tmp_path, _mutate(shipped, mutation))
    with pytest.raises(DataError, match=pattern) as info:
        load_constitution(path)
    assert "\n" not in str(info.value)


def test_invalid_yaml_names_line(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("document: hi\nprinciples:\n  - id: a\n    text: [unclosed\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"broken\.yaml: line \d+: invalid YAML"):
        load_constitution(path)


def test_missing_path_and_missing_directory_file(tmp_path):
    with pytest.raises(DataError, match=re.escape(str(tmp_path / "nope")) + ": constitution not found"):
        load_constitution(tmp_path / "nope")
    (tmp_path / "constitution.md").write_text("x", encoding="utf-8")
    with pytest.raises(DataError, match=r"principles\.yaml: file missing from constitution directory"):
        load_constitution(tmp_path)


def test_empty_document_in_directory(tmp_path, shipped):
    (tmp_path / "constitution.md").write_text("  \n", encoding="utf-8")
    (tmp_path / "principles.yaml").write_text(yaml.safe_dump({"principles": _as_dict(shipped)["principles"]}))
    with pytest.raises(DataError, match=r"constitution\.md: the constitution document is empty"):
        load_constitution(tmp_path)
