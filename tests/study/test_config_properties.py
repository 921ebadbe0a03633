"""Property-based: mutate the shipped configs field by field; `study plan` answers exit 0, or exit 2 with one line.

Never a traceback, never a file written. Mutations: wrong types, NaN/inf, negatives, zero, empty values,
unknown names, unknown keys, on every top-level field and on the fields of every section and arm.
"""

from __future__ import annotations

import copy
import math
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from study.cli import main

ROOT = Path(__file__).resolve().parents[2]
CONFIGS = [Path(__file__).with_name("micro.yaml"), ROOT / "study" / "configs" / "quick.yaml"]
BAD_VALUES = [None, -3, 0, -1.5, math.nan, math.inf, "", "opnai:nope", [], {}, [None], {"nope": 1}, True, "x" * 3]


def _paths(node, prefix=()):
    """Every (path) to a leaf or section of the config, dicts and lists included."""
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, prefix + (i,))


def _set(config, path, value):
    node = config
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value


BASES = [yaml.safe_load(p.read_text()) for p in CONFIGS]
CHOICES = [(i, path) for i, base in enumerate(BASES) for path in _paths(base) if path]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(choice=st.sampled_from(CHOICES), value=st.sampled_from(BAD_VALUES), add_unknown=st.booleans())
def test_mutated_config_fails_cleanly_or_plans(tmp_path_factory, capsys, choice, value, add_unknown):
    which, path = choice
    config = copy.deepcopy(BASES[which])
    _set(config, path, value)
    if add_unknown and isinstance(config.get("evaluation"), dict):
        config["evaluation"]["no_such_field"] = 1
    tmp = tmp_path_factory.mktemp("cfg")
    config["output_dir"] = str(tmp / "out")
    cfg = tmp / "study.yaml"
    cfg.write_text(yaml.safe_dump(config))
    capsys.readouterr()
    code = main(["plan", str(cfg)])
    out = capsys.readouterr()
    assert code in (0, 2), f"{path}={value!r}: exit {code}"
    if code == 2:
        err = out.err.strip()
        assert err.startswith("error: ") and "\n" not in err and "Traceback" not in err, (path, value, err)
    if add_unknown:
        assert code == 2  # an unknown key is always an error (another mistake may be named first)
    assert sorted(p.name for p in tmp.iterdir()) == ["study.yaml"], "nothing may be written"
