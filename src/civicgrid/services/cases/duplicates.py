"""Suspected duplicates: flagged at intake, and who is told when one is merged."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from civicgrid.domain.cases import duplicates
from civicgrid.domain.cases.case import Case
from civicgrid.domain.cases.duplicates import Candidate
from civicgrid.domain.cases.stages import Urgency
from civicgrid.services.case_ports import CaseRules
from civicgrid.services.cases.ticking import schedule_for
from civicgrid.services.ports import UnitOfWork

MAX_SUSPECTS = 10
"""The nearest this many are named; a cluster of reports needs no longer list."""


def find_suspected_duplicates(
    uow: UnitOfWork, rules: CaseRules, case: Case, also: Sequence[Candidate] = ()
) -> list[int]:
    """Open cases `case` may repeat, nearest first; the caller holds `uow` open.

    `also`: open cases not yet stored (earlier reports of the same batch)."""
    if case.location is None:
        return []
    facts = rules.category(case.category, on=case.reported_at)
    rule = duplicates.DuplicateRule(
        radius_m=facts.duplicate_radius_m, window=timedelta(hours=facts.duplicate_window_h)
    )
    if not rule.active:
        return []
    candidates = uow.cases.candidates_near(
        case.category,
        duplicates.search_box(case.location, rule.radius_m),
        case.reported_at - rule.window,
        case.reported_at,
        exclude_id=case.id,
    )
    found = duplicates.suspected_duplicates(
        case.category, case.location, case.reported_at, rule, [*candidates, *also]
    )
    return found[:MAX_SUSPECTS]


def flag_suspected_duplicates(
    uow: UnitOfWork, rules: CaseRules, case: Case, *, now: datetime
) -> Case:
    """In the transaction that opened `case`: note its suspects, as the system.

    Two reports committing at the same moment do not see each other; the later one
    to be read by a person is merged by hand like any other.
    """
    suspects = find_suspected_duplicates(uow, rules, case)
    if not suspects:
        return case
    event = duplicates.flag_suspects(case, now, suspects)
    flagged = case.apply(event)
    uow.cases.append(flagged, event, schedule_for(rules, flagged))
    return flagged


def notify_merge(uow: UnitOfWork, merged: Case, *, now: datetime) -> None:
    """After a merge commits: both cases' areas are told, and so is the reporter of the
    merged case and of every case merged into it before, of the case that carries on.

    Notifications go to areas, so a reporter's message is filed at their own case's
    micro-grid under that case, for whoever answers the reporter.
    """
    if merged.merged_into is None:
        return
    with uow:
        survivor = uow.cases.get(merged.merged_into)
        if survivor is None:  # the merge checked it exists; nothing to tell otherwise
            return
        stage = f"{survivor.stage.name_zh} ({survivor.stage.value})"
        areas = list(dict.fromkeys([survivor.area_path, merged.area_path]))
        uow.notifications.add(
            areas,
            case_id=survivor.id,
            kind="case_merged",
            urgent=survivor.urgency is Urgency.URGENT,
            message=f"case {merged.id} was merged into case {survivor.id} "
            f"({survivor.category}), now at {stage}",
            now=now,
        )
        for reported in [merged, *_merged_earlier(uow, merged.id)]:
            uow.notifications.add(
                [reported.area_path],
                case_id=reported.id,
                kind="case_merged_reporter",
                urgent=False,
                message=f"to the reporter of case {reported.id}: your report is followed "
                f"up as case {survivor.id}, now at {stage}",
                now=now,
            )
        uow.commit()


def _merged_earlier(uow: UnitOfWork, case_id: int) -> list[Case]:
    """Cases merged into `case_id`, and into those, and so on: all now end at its survivor."""
    found: list[Case] = []
    seen = {case_id}
    waiting = [case_id]
    while waiting:
        for earlier_id in uow.cases.cases_merged_into(waiting.pop()):
            if earlier_id in seen:  # merged cases are closed, so no cycle; but never loop
                continue
            seen.add(earlier_id)
            waiting.append(earlier_id)
            if (earlier := uow.cases.get(earlier_id)) is not None:
                found.append(earlier)
    return sorted(found, key=lambda case: case.id)
