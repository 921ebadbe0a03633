"""The default executor: every cell in this process, in plan order (today's loop)."""

from __future__ import annotations

from study.executors.base import cell_resources, pending


class LocalExecutor:
    name = "local"

    def __init__(self, config):
        self.config = config

    def check(self, runner) -> None:
        """Nothing to check: this process is the worker."""

    def resources(self, cell, runner) -> dict:
        return cell_resources(cell, self.config)

    def run(self, cells, runner) -> None:
        from study.progress import progress_bar

        todo = pending(cells, runner)
        done = [c for c in cells if c not in todo]
        with progress_bar("study cells (ETA from FLOP estimates)", int(sum(c.estimate_seconds for c in cells)) + 1) as advance:
            advance(int(sum(c.estimate_seconds for c in done)))
            for cell in todo:
                runner.execute(cell)
                if cell.kind == "train":
                    runner.check_compute_match(runner.train_ledgers(seed=cell.seed))  # fail as soon as a mismatch exists
                advance(int(cell.estimate_seconds))
