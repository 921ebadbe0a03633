"""docs/study-config.md is generated from the config dataclasses and must match them."""

from study.config_docs import PAGE, render


def test_committed_config_reference_matches_the_dataclasses():
    assert PAGE.read_text(encoding="utf-8") == render(), "docs/study-config.md is stale: run `python -m study.config_docs`"


def test_every_documented_field_has_help():
    missing = [line for line in render().splitlines() if line.startswith("| `") and line.rstrip().endswith("|  |")]
    assert not missing, f"fields without help metadata: {missing[:3]}"
