"""A progress bar for a run started from the command line: documents parsed and loaded, and left."""

from __future__ import annotations

from typing import Any


class DocumentProgress:
    """`with DocumentProgress(shown):` — `add(n)` documents to do, `advance(n)` done; nothing when not shown."""

    def __init__(self, shown: bool):
        self._progress = None
        self._task: Any = None  # rich's TaskID once started
        self._total = 0
        if shown:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self._progress = Progress(
                TextColumn("documents"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[left]} left"),
                TimeElapsedColumn(),
                console=Console(stderr=True),
                transient=False,
            )

    def __enter__(self) -> DocumentProgress:
        if self._progress is not None:
            self._progress.start()
            self._task = self._progress.add_task("documents", total=0, left=0)
        return self

    def __exit__(self, *exc) -> None:
        if self._progress is not None:
            self._progress.stop()

    def add(self, n: int) -> None:
        self._total += n
        if self._progress is not None:
            done = self._progress.tasks[0].completed
            self._progress.update(self._task, total=self._total, left=self._total - done)

    def advance(self, n: int) -> None:
        if self._progress is not None:
            self._progress.advance(self._task, n)
            done = self._progress.tasks[0].completed
            self._progress.update(self._task, left=self._total - done)
