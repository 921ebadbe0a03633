"""A grader, a scoring method and a condition kind added from a separate (fake) package by entry point."""

from __future__ import annotations

import pytest

from tests.fixtures.plugin_dist import forget, install_fake_distribution

PLUGIN = '''
from dataclasses import dataclass, replace

from study.graders import Grade
from study.scoring import ItemScore, Scorer


class ShoutGrader:
    """Scores 1 for an answer in capitals."""

    name = "shout"

    def grade(self, requests):
        return [Grade(score=float(r.response.isupper()), detail={}) for r in requests]


def _length_score(items, responses, refused, graders):
    return [ItemScore(float(len(resp.split()) <= 3), resp, r) for resp, r in zip(responses, refused)]


SHORT = Scorer("short-answer", "generation", _length_score)


@dataclass(frozen=True)
class Shouting:
    arg: str
    kind: str = "shouting"
    polarity: str = "harmful"

    @property
    def name(self):
        return f"shouting:{self.arg}"

    def applies_to(self, spec):
        return True

    def apply(self, item):
        msgs = [dict(m) for m in item.messages]
        msgs[-1]["content"] = msgs[-1]["content"].upper()
        return replace(item, messages=tuple(msgs))


def shouting(arg):
    return Shouting(arg or "all")
'''


@pytest.fixture
def fake_plugins(tmp_path, monkeypatch):
    install_fake_distribution(tmp_path / "site", monkeypatch, name="fake-plugins", module="fake_plugins_mod", source=PLUGIN,
                              entry_points={"alignment_study.graders": {"shout": "fake_plugins_mod:ShoutGrader"},
                                            "alignment_study.scorers": {"short-answer": "fake_plugins_mod:SHORT"},
                                            "alignment_study.conditions": {"shouting": "fake_plugins_mod:shouting"}})
    yield
    forget("fake_plugins_mod")
    from study import scoring
    from study.conditions import base
    from study.graders import _registry

    base._KINDS.pop("shouting", None)
    _registry._REGISTRY.pop("shout", None)
    scoring._SCORERS.pop("short-answer", None)


def test_third_party_grader_is_found_by_name(fake_plugins):
    from study.graders import GradeRequest, get_grader

    grader = get_grader("shout", cache=False)
    grades = grader.grade([GradeRequest(prompt=[{"role": "user", "content": "hi"}], response="NO"),
                           GradeRequest(prompt=[{"role": "user", "content": "hi"}], response="no")])
    assert [g.score for g in grades] == [1.0, 0.0]


def test_third_party_scorer_scores_a_benchmark(fake_plugins, tmp_path):
    from study.benchmarks.jsonl import jsonl_benchmark_spec
    from study.scoring import get_scorer, score_generated

    path = tmp_path / "b.jsonl"
    path.write_text('{"benchmark": {"name": "plugin-bench", "scoring": "short-answer", "category": "capability"}}\n'
                    '{"id": "q1", "prompt": "Say yes"}\n')
    spec = jsonl_benchmark_spec(path)  # the JSONL reader accepts the plugin's scoring name
    assert get_scorer(spec.scoring).kind == "generation"
    scores = score_generated("short-answer", spec.items(), ["yes", "a much longer answer here"], [False, False], None)
    assert [s.score for s in scores] == [1.0, 0.0]


def test_third_party_condition_kind_parses_at_config_load(fake_plugins):
    from study.evaluate import EvalSettings
    from study.types import Item

    settings = EvalSettings(conditions=["clean", "shouting:caps"])
    spec = settings.condition_specs[1]
    assert (spec.kind, spec.polarity, spec.runs_as) == ("shouting", "harmful", "items")
    item = Item(id="x", messages=({"role": "user", "content": "hello"},), cluster="x")
    assert settings.parsed_conditions()[1].apply(item).messages[-1]["content"] == "HELLO"
