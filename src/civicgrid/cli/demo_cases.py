"""civicgrid demo simulate-cases: a year of synthetic case activity in the demo city."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

import typer

from civicgrid.bootstrap import Container
from civicgrid.cli.context import console, container, reports_errors
from civicgrid.services.demo_cases import MAX_PER_DAY, SimulationReport, simulate_case_activity
from civicgrid.services.demo_users import CITY

PER_DAY = 5.0
"""Cases a working day: about 1,300 a year (~11,600 actions), which `demo load` simulates
on SQLite in about 22 s of CPU time; 8 a day (~2,100 cases) takes about 32 s."""


def simulate_demo_cases(
    c: Container, *, seed: int, days: int = 365, per_day: float = PER_DAY
) -> SimulationReport:
    """Simulate the `days` before today (UTC midnight, so a day's reruns plan the same)."""
    if days < 1:
        raise typer.BadParameter("days must be 1 or more", param_hint="--days")
    if not 0 < per_day <= MAX_PER_DAY:
        raise typer.BadParameter(
            f"per-day must be above 0 and at most {MAX_PER_DAY}", param_hint="--per-day"
        )
    end = c.clock().replace(hour=0, minute=0, second=0, microsecond=0)
    with console.status("simulating synthetic case activity…"):
        report = simulate_case_activity(
            c.uow(),
            c.rules,
            c.locators,
            c.attachment_store,
            city_code=CITY,
            seed=seed,
            start=end - timedelta(days=days),
            end=end,
            per_day=per_day,
        )
    if not report.simulated:
        console.print("synthetic case activity: simulated before; nothing added")
    else:
        fates = ", ".join(f"{name} {count}" for name, count in sorted(report.fates.items()))
        console.print(
            f"synthetic case activity: {report.cases} cases ({fates}), {report.events} actions, "
            f"{report.escalations} escalations, {report.still_open} still open"
        )
    return report


@reports_errors
def simulate_cases(
    seed: Annotated[int, typer.Option(help="Seed of the simulation")] = 2023,
    days: Annotated[int, typer.Option(help="Days of activity, ending today")] = 365,
    per_day: Annotated[float, typer.Option(help="Cases a working day, on average")] = PER_DAY,
) -> None:
    """Simulate synthetic, clearly labelled case activity (once; a second run adds nothing)."""
    with container() as c:
        simulate_demo_cases(c, seed=seed, days=days, per_day=per_day)
