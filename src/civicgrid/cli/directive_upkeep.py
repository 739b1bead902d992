"""The local operator's directive chores: the scheduler's tick, checking a log."""

from __future__ import annotations

import typer
from rich.markup import escape

from civicgrid.cli.context import console, container, reports_errors
from civicgrid.cli.directive_options import (
    DirectiveId,
)
from civicgrid.services.directives import queries
from civicgrid.services.directives.ticking import tick_directives


@reports_errors
def tick() -> None:
    """Send the reminders (80 % of each deadline) and escalations now due; safe to repeat."""
    with container() as c:
        report = tick_directives(c.uow(), now=c.clock())
    console.print(f"reminded {report.reminded} receipt(s), escalated {report.escalated}")


@reports_errors
def verify_log(directive_id: DirectiveId) -> None:
    """Check the hash chains of a directive and its receipts; exit 1 if one is broken."""
    with container() as c:
        checked, problems = queries.verify_directive_log(c.uow(), directive_id)
    if not problems:
        console.print(f"checked {checked} entr(ies): the log is intact")
        return
    for problem in problems:
        console.print(escape(problem), soft_wrap=True)
    raise typer.Exit(1)
