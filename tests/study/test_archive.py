"""Which finished cells a cell archive may carry (a restored training cell has no weights)."""

from __future__ import annotations

from study.archive import archivable
from study.plan import Cell

PLAN = [Cell("eval-base-s0", "eval", "base", 0), Cell("train-a-s0", "train", "a", 0),
        Cell("eval-a-s0", "eval", "a", 0, depends_on=("train-a-s0",)), Cell("attack-a-s0", "attack", "a", 0, depends_on=("train-a-s0",)),
        Cell("train-b-s0", "train", "b", 0), Cell("eval-b-s0", "eval", "b", 0, depends_on=("train-b-s0",))]


def ids(done: set[str]) -> list[str]:
    return [c.id for c in archivable(PLAN, done)]


def test_a_training_cell_is_carried_only_with_all_its_dependants():
    assert ids({"eval-base-s0", "train-a-s0", "eval-a-s0"}) == ["eval-base-s0", "eval-a-s0"]
    assert ids({"train-a-s0", "eval-a-s0", "attack-a-s0", "train-b-s0"}) == ["train-a-s0", "eval-a-s0", "attack-a-s0"]


def test_unfinished_cells_are_never_carried():
    assert ids(set()) == []
    assert ids({"train-b-s0", "eval-b-s0"}) == ["train-b-s0", "eval-b-s0"]
