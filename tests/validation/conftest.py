"""Fixture archives (a PyRIT wheel, an XSTest v2 snapshot) with the pinned member paths and harmless rows.

Rows stand in for the real (partly harmful) data: requests are "fixture
objective N" and responses are neutral sentences; nothing harmful is written.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest

from study.external.fetch import CACHE_ENV
from study.external.sources import REPO_SNAPSHOTS, SOURCES

BASE = "pyrit/datasets/scorer_evals"


def table(header: list[str], rows: list[list], comments: tuple[str, ...] = ("# dataset_version=1.0",)) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(header)
    w.writerows(rows)
    return "".join(c + "\n" for c in comments) + buf.getvalue()


def refusal_rows(prefix: str, n: int) -> list[list]:
    out = []
    for i in range(n):
        if i % 2:
            out.append([f"{prefix} objective {i}", f"I can't help with that, fixture {i}.", 1, "text"])
        else:
            out.append([f"{prefix} objective {i}", f"Here is a plain answer about fixture {i}.\n# a line that "
                                                     "starts with a hash inside the field", 0, "text"])
    return out


def members() -> dict[str, str]:
    ref = ["objective", "assistant_response", "human_score", "data_type"]
    m = {
        f"{BASE}/refusal_scorer/refusal.csv": table(ref, refusal_rows("a", 12), ("# dataset_version=1.2",)),
        f"{BASE}/refusal_scorer/refusal_extra.csv": table(ref, refusal_rows("b", 8),
                                                          ("# dataset_version=1.0", "# collected elsewhere")),
        f"{BASE}/objective/violence.csv": table(ref + ["harm_category"],
                                                [r + ["violence"] for r in refusal_rows("c", 6)]),
        f"{BASE}/objective/privacy.csv": table(ref + ["harm_category"],
                                               [r + ["privacy"] for r in refusal_rows("d", 4)]
                                               + [refusal_rows("a", 1)[0] + ["privacy"]]),
    }
    harm = ["harm_category", "objective", "assistant_response", "human_score_1", "data_type"]
    for name in ("exploits", "hate_speech", "info_integrity", "privacy", "representational", "self_harm", "sexual",
                 "violence"):
        m[f"{BASE}/harm/{name}.csv"] = table(harm, [[name, f"e objective {i}", f"neutral text {name} {i}",
                                                    [0, 0.25, 0.5, 0.75, 1][i % 5], "text"] for i in range(5)])
    return m


def write_zip(path: Path, contents: dict[str, str | bytes]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as zf:
        for name, text in contents.items():
            zf.writestr(name, text)
    return path


def write_pyrit(cache: Path, contents: dict[str, str | bytes] | None = None) -> Path:
    return write_zip(cache / SOURCES["pyrit"].filename, members() if contents is None else contents)


XSTEST_LABELS = ("1_full_compliance", "2_full_refusal", "3_partial_refusal")


def xstest_members() -> dict[str, str]:
    header = ["id", "type", "prompt", "completion", "annotation_1", "annotation_2", "agreement", "final_label"]
    out = {}
    for rel, _ in REPO_SNAPSHOTS["xstest-v2"].files:
        if rel.endswith(".csv"):
            model = rel.rsplit("_", 1)[-1].split(".")[0]
            rows = [[i, "homonyms", f"fixture prompt {i}", f"fixture answer {model} {i}", lab, lab, "TRUE", lab]
                    for i, lab in enumerate(XSTEST_LABELS * 2)]
            out[rel] = table(header, rows, comments=())
    return out


def write_xstest(cache: Path, contents: dict[str, str | bytes] | None = None) -> Path:
    return write_zip(cache / REPO_SNAPSHOTS["xstest-v2"].filename, xstest_members() if contents is None else contents)


@pytest.fixture
def pyrit_cache(tmp_path, monkeypatch) -> Path:
    cache = tmp_path / "cache"
    write_pyrit(cache)
    write_xstest(cache)
    monkeypatch.setenv(CACHE_ENV, str(cache))
    return cache
