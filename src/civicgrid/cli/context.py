"""Shared CLI plumbing: the container, the console and error reporting."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from sqlalchemy.exc import OperationalError, ProgrammingError

from civicgrid.bootstrap import Container, bootstrap
from civicgrid.domain.areas.problems import ImportRejected
from civicgrid.domain.errors import DomainError

# Names and paths come from users and files: never read ":…:" in them as emoji codes.
console = Console(emoji=False)
err_console = Console(stderr=True, emoji=False)

P = ParamSpec("P")
R = TypeVar("R")

_UNDEFINED_TABLE = "42P01"  # PostgreSQL's SQLSTATE for a database that was never migrated


@contextmanager
def container() -> Iterator[Container]:
    """The container for one command; its engine's connections close when the block ends."""
    built = bootstrap()
    try:
        yield built
    finally:
        built.dispose()


def fail(message: str, *, code: int) -> typer.Exit:
    """Print `message` (plain text, one unwrapped line) as an error; return the exit."""
    err_console.print(f"[bold red]error:[/] {escape(message)}", soft_wrap=True)
    return typer.Exit(code)


def reports_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn expected failures into a clear message, never a traceback.

    Exit status 2: the input broke a rule (domain errors, a rejected file).
    Exit status 1: the environment failed (settings, files, the database).
    """

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
                line = f"  {problem.location}{field}: {problem.message}"
                err_console.print(line, markup=False, soft_wrap=True)
            if len(exc.problems) > 200:
                err_console.print(f"  … and {len(exc.problems) - 200} more")
            raise typer.Exit(2) from exc
        except DomainError as exc:
            field = f" ({exc.field})" if exc.field else ""
            err_console.print(f"[bold red]error{field}:[/] {escape(exc.message)}", soft_wrap=True)
            raise typer.Exit(2) from exc
        except ValidationError as exc:
            raise fail(f"invalid settings: {_settings_problems(exc)}", code=1) from exc
        except OSError as exc:
            raise fail(str(exc), code=1) from exc
        except (OperationalError, ProgrammingError) as exc:
            reason = " ".join(str(exc.orig).split())
            sqlstate = getattr(exc.orig, "sqlstate", None)
            unmigrated = sqlstate == _UNDEFINED_TABLE or "no such table" in reason  # SQLite
            if isinstance(exc, ProgrammingError) and not unmigrated:
                raise  # a bug in a query, not the database's state: keep the traceback
            hint = "; run `civicgrid db upgrade` first" if unmigrated else ""
            raise fail(f"database: {reason}{hint}", code=1) from exc

    return wrapper


def _settings_problems(error: ValidationError) -> str:
    """'CIVICGRID_PORT: Input should be a valid integer; …', naming the variable at fault."""
    parts = []
    for problem in error.errors():
        where = f"CIVICGRID_{str(problem['loc'][0]).upper()}: " if problem["loc"] else ""
        parts.append(where + problem["msg"].removeprefix("Value error, "))
    return "; ".join(parts)


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
