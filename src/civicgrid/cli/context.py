"""Shared CLI plumbing: the container, the console and error reporting."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from civicgrid.bootstrap import Container, bootstrap
from civicgrid.domain.areas.problems import ImportRejected
from civicgrid.domain.errors import DomainError

console = Console()
err_console = Console(stderr=True)

P = ParamSpec("P")
R = TypeVar("R")


def container() -> Container:
    return bootstrap()


def reports_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn domain errors into a clear message and exit status 2, never a traceback."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except ImportRejected as exc:
            err_console.print(
                f"[bold red]rejected:[/] {len(exc.problems)} problem(s); nothing was imported"
            )
            for problem in exc.problems[:200]:
                field = f', field "{problem.field}"' if problem.field else ""
                err_console.print(f"  {problem.location}{field}: {problem.message}", markup=False)
            if len(exc.problems) > 200:
                err_console.print(f"  … and {len(exc.problems) - 200} more")
            raise typer.Exit(2) from exc
        except DomainError as exc:
            field = f" ({exc.field})" if exc.field else ""
            err_console.print(f"[bold red]error{field}:[/] {exc.message}")
            raise typer.Exit(2) from exc

    return wrapper


@contextmanager
def progress_bar() -> Iterator[Callable[[str, int, int], None]]:
    """Rich progress bars driven by (job, done, total) callbacks, one bar per job."""
    with Progress(
        TextColumn("{task.description:<28}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    ) as progress:
        tasks: dict[str, TaskID] = {}

        def report(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = progress.add_task(stage, total=max(total, 1))
            progress.update(tasks[stage], completed=done, total=max(total, 1))

        yield report
