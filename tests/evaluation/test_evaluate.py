from __future__ import annotations

import json

import pandas as pd
import pytest

from study.backends.local import LocalBackend
from study.benchmarks import load_registry
from study.benchmarks.jsonl import register_jsonl_benchmark
from study.compute import Ledger
from study.errors import ConfigError, DataError, UnknownNameError
from study.evaluate import COLUMNS, EvalSettings, evaluate, select_items
from study.scoring import score_generated, score_mc
from study.types import Item


def test_battery_is_broad():
    registry = load_registry()
    assert len(registry) >= 53
    categories = {s.category for s in registry.values()}
    for needed in ("truthfulness", "honesty-under-pressure", "deception", "sycophancy", "epistemic-humility", "corrigibility",
                   "transparency", "fairness", "well-being", "reward-hacking", "harmful-refusal", "over-refusal",
                   "instruction-following", "steerability", "capability"):
        assert needed in categories, needed
    external = [s for s in registry.values() if s.source != "project" and not s.source.startswith("file:")]
    assert len(external) >= 15
    assert {"healthcare", "education", "science", "law", "engineering"} <= {s.domain for s in registry.values()}


def test_select_items_is_order_free_and_stable():
    items = [Item(id=f"i{k}", messages=({"role": "user", "content": "q"},), cluster="c") for k in range(20)]
    a = select_items(items, 5)
    assert [it.id for it in a] == [it.id for it in select_items(list(reversed(items)), 5)][::-1]
    assert len(a) == 5 and select_items(items, None) == items


class FakeScorer:
    name = "fake"

    def score_options(self, conversations, options):
        from study.backends.base import OptionScore

        # the longest option wins by raw sum; mean per token favours the one-token option
        return [[OptionScore(logprob=-1.0 * len(o.split()) * 0.5 - 1.0, n_tokens=len(o.split())) for o in opts] for opts in options]


def test_mc_scoring_normalised_vs_raw():
    item = Item(id="x", messages=({"role": "user", "content": "q"},), cluster="c", options=("a b c d", "e"), answer=0)
    norm = score_mc([item], FakeScorer(), normalise=True)[0]
    raw = score_mc([item], FakeScorer(), normalise=False)[0]
    assert norm.score == 1.0 and raw.score == 0.0
    assert 0 < norm.detail["p_correct"] < 0.5


def test_generated_scorers():
    items = [
        Item(id="r", messages=({"role": "user", "content": "q"},), cluster="c", target={"should_refuse": False}),
        Item(id="m", messages=({"role": "user", "content": "q"},), cluster="c", target={"accept": [r"\b42\b"], "reject": ["not sure"]}),
        Item(id="k", messages=({"role": "user", "content": "q"},), cluster="c", target={"checker": "max_words", "n": 3}),
    ]
    assert score_generated("refusal", items[:1], ["Sure, here it is."], [False], None)[0].score == 1.0
    assert score_generated("refusal", items[:1], ["I can't."], [True], None)[0].score == 0.0
    assert score_generated("match", items[1:2], ["It is 42."], [False], None)[0].score == 1.0
    assert score_generated("match", items[1:2], ["42? not sure"], [False], None)[0].score == 0.0
    assert score_generated("checker", items[2:], ["one two"], [False], None)[0].score == 1.0
    with pytest.raises(UnknownNameError):
        score_generated("vibes", items[:1], ["x"], [False], None)


def test_evaluate_on_tiny_model_writes_contract_table(tiny):
    settings = EvalSettings(items_per_benchmark=2, max_new_tokens=4,
                            benchmarks=["factual-mc-law", "over-refusal-benign", "instruction-following", "crisis-support-rubric", "sycophancy-pushback-match"])
    ledger = Ledger(tiny.n_params_non_embedding)
    table = evaluate(LocalBackend(tiny, ledger), settings, run="r", arm="base", seed=0, ledger=ledger)
    assert list(table.columns) == COLUMNS
    assert len(table) == 10 and table["score"].between(0, 1).all()
    assert table.loc[table.benchmark != "factual-mc-law", "refused"].notna().all()
    assert ledger.flops["generate"] > 0 and ledger.flops["score"] > 0 and ledger.flops["judge"] > 0
    again = evaluate(LocalBackend(tiny), settings, run="r", arm="base", seed=0)
    pd.testing.assert_frame_equal(table, again)


def test_eval_settings_errors():
    with pytest.raises(ConfigError, match="samples > 1 needs temperature"):
        EvalSettings(samples=2)
    with pytest.raises(ConfigError, match="needs evaluation.judge_backend"):
        EvalSettings(rubric_grader="llm-judge")
    with pytest.raises(UnknownNameError, match="unknown benchmark 'nope'"):
        EvalSettings(benchmarks=["nope"]).specs()


def write_jsonl(path, meta, rows):
    path.write_text("\n".join(json.dumps(r) for r in [{"benchmark": meta}, *rows]) + "\n")
    return path


def test_user_jsonl_benchmark(tmp_path, tiny):
    path = write_jsonl(tmp_path / "mine.jsonl", {"name": "user-mc", "scoring": "mc", "category": "sycophancy", "domain": "science"}, [
        {"id": "q1", "prompt": "Is the Moon made of rock?", "options": ["Yes", "No"], "answer": 0},
        {"id": "q2", "system": "Be brief.", "prompt": "Is water wet?", "options": ["Yes", "No"], "answer": 0, "cluster": "w"},
    ])
    spec = register_jsonl_benchmark(path)
    items = spec.items()
    assert [it.id for it in items] == ["q1", "q2"] and items[1].messages[0]["role"] == "system"
    table = evaluate(LocalBackend(tiny), EvalSettings(benchmarks=["user-mc"], user_benchmarks=[str(path)]), run="r", arm="base", seed=0)
    assert set(table["item"]) == {"q1", "q2"}


@pytest.mark.parametrize("meta,rows,match", [
    ({"name": "b", "scoring": "mc"}, [], r"mine.jsonl:1: benchmark field 'category' is required"),
    ({"name": "b", "scoring": "guess", "category": "x"}, [], r"scoring 'guess' unknown"),
    ({"name": "b", "scoring": "mc", "category": "x", "colour": 1}, [], r"unknown benchmark field 'colour'"),
    ({"name": "b", "scoring": "mc", "category": "x"}, [{"id": "a", "prompt": "p"}], r"mine.jsonl:2: an mc item needs 'options'"),
    ({"name": "b", "scoring": "refusal", "category": "x"}, [{"id": "a", "prompt": "p"}, {"id": "a", "prompt": "p"}], r"mine.jsonl:3: item needs a unique"),
    ({"name": "b", "scoring": "refusal", "category": "x"}, [{"id": "a"}], r"exactly one of 'prompt'"),
    ({"name": "b", "scoring": "refusal", "category": "x"}, [], r"no items after the benchmark line"),
])
def test_user_jsonl_errors(tmp_path, meta, rows, match):
    meta = {**meta, "name": f"{meta['name']}-{tmp_path.name}"}
    path = write_jsonl(tmp_path / "mine.jsonl", meta, rows)
    with pytest.raises(DataError, match=match):
        register_jsonl_benchmark(path).items()


def test_malformed_jsonl_line(tmp_path):
    path = tmp_path / "mine.jsonl"
    path.write_text(json.dumps({"benchmark": {"name": "b2", "scoring": "refusal", "category": "x"}}) + "\n{oops\n")
    with pytest.raises(DataError, match=r"mine.jsonl:2: not valid JSON"):
        register_jsonl_benchmark(path).items()
