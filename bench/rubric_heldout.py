"""Does the offline rubric grader tell the good reference answer from the bad one on held-out scenarios?

For every held-out trait scenario both reference answers are graded, under
three settings of what the grader may compare against:

* ``rubric lines only``: the scenario's rubric, no reference answers (no leak);
* ``sibling references``: the good/bad answers of another scenario from the same
  template (same wording pattern, other slot values: the realistic case of a
  grader that has references for similar but not identical conversations);
* ``own references``: the scenario's own good/bad answers, as the trait-RL
  reward and the rubric benchmarks use them for a *policy's* answer. Grading a
  reference against itself is circular, so this row is an upper bound only.

Prints, per setting: pairwise accuracy (good scored above bad), decision
accuracy at the 0.5 threshold over the 2N answers, and the mean score of each.
Answers are never printed.

    .venv/bin/python bench/rubric_heldout.py
"""

from __future__ import annotations

import os
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from study.graders import GradeRequest, OfflineRubricGrader  # noqa: E402
from traits import load_scenarios  # noqa: E402


def requests_for(scenarios, setting: str) -> list[GradeRequest]:
    by_cluster = defaultdict(list)
    for s in scenarios:
        by_cluster[s.cluster].append(s)
    out = []
    for s in scenarios:
        if setting == "rubric lines only":
            good = bad = None
        elif setting == "sibling references":
            siblings = [o for o in by_cluster[s.cluster] if o.id != s.id]
            ref = siblings[0] if siblings else None
            good, bad = (ref.good, ref.bad) if ref else (None, None)
        else:
            good, bad = s.good, s.bad
        for answer in (s.good, s.bad):
            out.append(GradeRequest(prompt=s.conversation(), response=answer, rubric=s.rubric, good=good, bad=bad))
    return out


def main() -> None:
    scenarios = load_scenarios(split="held_out")
    n_clusters = len({s.cluster for s in scenarios})
    lonely = sum(1 for s in scenarios if sum(o.cluster == s.cluster for o in scenarios) == 1)
    print(f"held-out scenarios: {len(scenarios)} from {n_clusters} templates ({lonely} without a sibling: graded on rubric lines there)")
    grader = OfflineRubricGrader()
    print(f"{'setting':22} {'pairwise acc':>12} {'decision acc':>12} {'mean good':>10} {'mean bad':>9} {'time':>7}")
    for setting in ("rubric lines only", "sibling references", "own references"):
        start = time.perf_counter()
        scores = [g.score for g in grader.grade(requests_for(scenarios, setting))]
        elapsed = time.perf_counter() - start
        good, bad = scores[0::2], scores[1::2]
        pairwise = sum(g > b for g, b in zip(good, bad)) / len(good)
        decision = (sum(g >= 0.5 for g in good) + sum(b < 0.5 for b in bad)) / (2 * len(good))
        print(f"{setting:22} {pairwise:12.3f} {decision:12.3f} {sum(good) / len(good):10.3f} {sum(bad) / len(bad):9.3f} {elapsed:6.1f}s")


if __name__ == "__main__":
    main()
