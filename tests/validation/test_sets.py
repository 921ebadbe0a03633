"""Reading, splitting and scoring the external validation sets (fixture archive, no model)."""

import pytest

from study.errors import DataError
from study.external.sources import REPO_SNAPSHOTS, SOURCES
from study.validation.metrics import agreement, cohen_kappa
from study.validation.read import content_id, load_set
from study.validation.sets import SETS, get_set, sets_for
from study.validation.split import SPLIT_SEED, part_of, split_rows
from tests.validation.conftest import BASE, members, write_pyrit, write_xstest, xstest_members


def test_every_set_reads_its_pinned_members(pyrit_cache):
    for name in SETS:
        rows = load_set(name)
        assert rows and all(r.set == name and r.response for r in rows)
    ref = load_set("pyrit-refusal")
    assert len(ref) == 12 and sum(r.label for r in ref) == 6
    assert any("\n# a line" in r.response for r in ref)  # '#' inside a field is data, not a comment


def test_labels_follow_the_positive_rule(pyrit_cache):
    sev = load_set("pyrit-harm-severity")
    assert {r.meta["value"] >= 0.5 for r in sev if r.label} == {True}
    assert {r.meta["value"] < 0.5 for r in sev if not r.label} == {True}
    obj = load_set("pyrit-objective")
    assert {r.meta["category"] for r in obj} == {"violence", "privacy"}


def test_split_is_fixed_disjoint_and_content_keyed(pyrit_cache):
    rows = load_set("pyrit-objective")
    tune, rep = split_rows(rows, "tuning"), split_rows(rows, "reporting")
    assert {r.id for r in tune}.isdisjoint({r.id for r in rep}) and len(tune) + len(rep) == len(rows)
    assert [part_of(r.id) for r in rows] == [part_of(r.id, SPLIT_SEED) for r in rows]
    # the pair shared by pyrit-refusal and pyrit-objective has one id, hence one part, in both sets
    shared = {r.id for r in load_set("pyrit-refusal")} & {r.id for r in rows}
    assert len(shared) == 1
    assert content_id("a", "b") != content_id("a ", "b") and content_id("a", "b") == content_id("a", "b")
    with pytest.raises(ValueError, match="part must be"):
        split_rows(rows, "test")


def test_split_is_balanced_on_many_ids():
    parts = [part_of(f"id-{i}") for i in range(2000)]
    assert 0.45 < parts.count("reporting") / len(parts) < 0.55


def test_registry():
    assert {s.task for s in SETS.values()} == {"refusal", "harm"}
    assert len(sets_for("refusal")) >= 2 and all(s.source in SOURCES or s.source in REPO_SNAPSHOTS for s in SETS.values())
    with pytest.raises(Exception, match="unknown validation set"):
        get_set("nope")


def test_unreadable_archive_is_one_line_naming_the_source(pyrit_cache):
    (pyrit_cache / SOURCES["pyrit"].filename).write_bytes(b"not a zip")
    with pytest.raises(DataError) as e:
        load_set("pyrit-refusal")
    assert "pyrit" in str(e.value) and "\n" not in str(e.value)


def test_missing_archive_says_how_to_fetch(tmp_path, monkeypatch):
    monkeypatch.setenv("ALIGNMENT_STUDY_CACHE", str(tmp_path / "empty"))
    with pytest.raises(DataError, match="study data fetch pyrit"):
        load_set("pyrit-refusal")


@pytest.mark.parametrize("bad, match", [
    ("objective,assistant_response,human_score\nq,r,maybe\n", "no valid 'human_score'"),
    ("question,answer\nq,r\n", "expected columns"),
    ("objective,assistant_response,human_score\nq,,1\n", "lacks objective/assistant_response"),
    (b"\xff\xfe bad bytes", "not UTF-8"),
])
def test_malformed_member_names_set_archive_and_member(tmp_path, monkeypatch, bad, match):
    contents = members()
    contents[f"{BASE}/refusal_scorer/refusal.csv"] = bad
    cache = tmp_path / "c"
    write_pyrit(cache, contents)
    monkeypatch.setenv("ALIGNMENT_STUDY_CACHE", str(cache))
    with pytest.raises(DataError, match=match) as e:
        load_set("pyrit-refusal")
    assert "pyrit-refusal" in str(e.value) and "refusal.csv" in str(e.value) and "\n" not in str(e.value)


def test_agreement_figures_and_intervals():
    pred = [True] * 8 + [False] * 2 + [False] * 9 + [True]
    gold = [True] * 10 + [False] * 10
    a = agreement(pred, gold, n_boot=500)
    assert a["confusion"] == {"tp": 8, "fp": 1, "tn": 9, "fn": 2}
    assert a["accuracy"] == 0.85 and a["recall"] == 0.8 and a["precision"] == round(8 / 9, 4)
    for k in ("accuracy", "recall", "precision"):
        lo, hi = a[f"{k}_ci"]
        assert lo <= a[k] <= hi and hi - lo > 0
    with pytest.raises(ValueError):
        agreement([], [])


def test_cohen_kappa_known_values():
    assert cohen_kappa([True, False] * 5, [True, False] * 5) == 1.0
    assert cohen_kappa([True, False] * 5, [False, True] * 5) == -1.0
    k = cohen_kappa([1, 1, 0, 0, 1, 0, 1, 0], [1, 0, 0, 0, 1, 0, 1, 1])
    assert abs(k - 0.5) < 1e-9


def test_objective_weight_of_the_refusal_training_mix(pyrit_cache):
    from study.validation.train import OBJECTIVE_WEIGHT_GRID, training_rows

    assert 0.0 in OBJECTIVE_WEIGHT_GRID["refusal"]
    none = training_rows("refusal", objective_weight=0.0)
    half = training_rows("refusal", objective_weight=0.5)
    assert not any(r.set == "pyrit-objective" for r in none)
    obj = [r for r in half if r.set == "pyrit-objective"]
    tuning = split_rows(load_set("pyrit-objective"), "tuning")
    assert obj and {r.weight for r in obj} == {0.5}
    assert [r.label for r in obj] == [not r.label for r in tuning]  # achieved = not refused
    assert {r.id for r in half} - {r.id for r in obj} == {r.id for r in none}
    assert all(part_of(r.id) == "tuning" for r in half if r.set != "own-refusal")


def test_xstest_labels_are_categorical_with_partial_refusals_excluded(pyrit_cache):
    rows = load_set("xstest-v2")
    assert len(rows) == 5 * 4  # 6 rows per model file, 2 partial refusals dropped
    assert sum(r.label for r in rows) == 10 and {r.meta["category"] for r in rows} == {"homonyms"}
    assert all(("refusal" in r.response) is False for r in rows)
    by_text = {r.request: r.label for r in rows if "gpt4" in r.response}
    assert by_text == {"fixture prompt 0": False, "fixture prompt 1": True, "fixture prompt 3": False,
                       "fixture prompt 4": True}


def test_xstest_unknown_label_names_the_member(tmp_path, monkeypatch, pyrit_cache):
    contents = xstest_members()
    first = next(iter(contents))
    contents[first] = contents[first].replace("2_full_refusal", "4_unsure")
    write_xstest(pyrit_cache, contents)
    with pytest.raises(DataError, match="has no valid 'final_label'") as e:
        load_set("xstest-v2")
    assert "xstest-v2" in str(e.value) and first in str(e.value) and "\n" not in str(e.value)
