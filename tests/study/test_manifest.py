"""The typed manifest records what ran; the dose curve holds exactly the dose-sweep arms."""

from __future__ import annotations

from pathlib import Path

import pytest

from study.manifest import Manifest
from study.runner import build_manifest
from study.study_config import load_study_config

CONFIGS = Path(__file__).resolve().parents[2] / "study" / "configs"


def test_standard_dose_curve_has_the_control_and_no_ablations():
    config, raw = load_study_config(CONFIGS / "standard.yaml")
    manifest = build_manifest(config, raw, "standard-test")
    assert manifest.dose_arms() == {"control": 0.0, "trait-rl": 0.05, "trait-rl-dose-10": 0.10, "trait-rl-dose-25": 0.25}


def test_manifest_records_resolved_configs_conditions_and_round_trips(tmp_path):
    config, raw = load_study_config(Path(__file__).with_name("micro.yaml"))
    manifest = build_manifest(config, raw, "micro-test")
    control = manifest.arm("control")
    assert control.params["max_completion_length"] == 4
    assert control.resolved["max_completion_length"] == 4 and "dose" in control.resolved  # defaults included
    assert control.plugin_version and control.judge
    kinds = {c.name: (c.kind, c.runs_as, c.attacker) for c in manifest.conditions}
    assert kinds["redteam:local:tiny"] == ("redteam", "redteam", "local:tiny")
    assert kinds["finetune:2"] == ("finetune", "finetune", None)
    assert manifest.graders
    manifest.save(tmp_path / "manifest.json")
    assert Manifest.load(tmp_path / "manifest.json") == manifest


def test_broken_manifest_is_one_line(tmp_path):
    from study.errors import DataError

    (tmp_path / "manifest.json").write_text('{"arms": [{"method": "x"}]}')
    with pytest.raises(DataError, match=r"manifest.json: field arms.0.name"):
        Manifest.load(tmp_path / "manifest.json")
