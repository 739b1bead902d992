"""Checking the case log: every chain links and hashes, and every history folds."""

from __future__ import annotations

from dataclasses import dataclass, field

from civicgrid.domain.cases.case import Case
from civicgrid.domain.cases.events import CaseEvent, verify_chain
from civicgrid.domain.cases.state import InvalidHistory
from civicgrid.services.ports import UnitOfWork


@dataclass(frozen=True, slots=True)
class LogReport:
    cases_checked: int
    events_checked: int
    problems: list[str] = field(default_factory=list)
    broken_cases: list[int] = field(default_factory=list)  # ids, in the order walked

    @property
    def intact(self) -> bool:
        return not self.problems


def verify_case_log(uow: UnitOfWork) -> LogReport:
    """Walk every case's events and report what does not hold together.

    Read-only. A case counts once however many of its events are at fault.
    """
    cases = events = 0
    problems: list[str] = []
    broken: list[int] = []
    with uow:
        for history in uow.cases.iter_events():
            cases += 1
            events += len(history)
            found = check_history(history)
            if found:
                problems.extend(found)
                if history:
                    broken.append(history[0].case_id)
    return LogReport(cases, events, problems, broken)


def check_history(history: list[CaseEvent]) -> list[str]:
    """Problems in one case's events; empty when the chain is intact and folds."""
    if not history:
        # The repository groups events by case row; the row's id is all it had.
        return ["a case has no events at all: its REPORTED event is missing"]
    problems = verify_chain(history)
    if problems:
        return problems  # folding would only stop at the first of them again
    try:
        Case.from_events(history)
    except InvalidHistory as exc:
        return [exc.message]
    return []
