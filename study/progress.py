"""Rich progress bars with ETA for long steps."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable, Iterator

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn


@dataclass
class OpenBar:
    """A bar whose lifetime spans callbacks (a trainer's ``on_train_begin`` .. ``on_train_end``)."""

    progress: Progress
    task: int

    def update(self, completed: float) -> None:
        self.progress.update(self.task, completed=completed)

    def advance(self, n: float = 1) -> None:
        self.progress.advance(self.task, n)

    def close(self) -> None:
        self.progress.stop()


def open_bar(description: str, total: float | None, completed: float = 0.0, unit: str = "") -> OpenBar:
    """Start a bar now; the caller updates it with absolute progress (or advances it) and closes it."""
    count = TextColumn("{task.completed:.3g}/{task.total:.3g} FLOPs") if unit == "flops" else MofNCompleteColumn()
    progress = Progress(TextColumn("{task.description}"), BarColumn(), count, TimeElapsedColumn(), TextColumn("ETA"),
                        TimeRemainingColumn(), transient=False)
    progress.start()
    return OpenBar(progress, progress.add_task(description, total=total, completed=completed))


@contextmanager
def progress_bar(description: str, total: int | None) -> Iterator[Callable[[int], None]]:
    """A bar for one block; yields ``advance(n=1)``."""
    bar = open_bar(description, total)
    try:
        yield bar.advance
    finally:
        bar.close()
