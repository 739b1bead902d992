"""Every case's indicator facts, kept between requests and brought up to date from the log.

A case's facts depend on its events alone, so they stay right until it gets a new one.
The log's mark (highest event id, number of events) says whether it has grown; then only
the cases with events above the last id seen are replayed. PostgreSQL takes ids before
commit, so a lower id can commit late: the count of events then exceeds what the cache
has read, and it replays everything once rather than miss it.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import datetime

from civicgrid.domain.indicators import (
    CaseFacts,
    CategoryLimits,
    FactTable,
    WorkingClock,
    extract_facts,
)
from civicgrid.services.case_ports import LogMark
from civicgrid.services.ports import UnitOfWork


class FactCache:
    """One per process (the container holds it), for one set of limits and one calendar."""

    def __init__(self, limits: CategoryLimits, clock: WorkingClock) -> None:
        self._limits = limits
        self._clock = clock
        self._lock = threading.Lock()
        self._mark: LogMark | None = None
        self._facts: dict[int, CaseFacts] = {}
        self._sizes: dict[int, int] = {}  # events read per case, up to the mark's latest_at
        self._known = 0  # their sum
        self._table: FactTable | None = None
        self.replayed = 0  # cases replayed since the start: shows the cache at work

    def table(self, uow: UnitOfWork, as_of: datetime) -> FactTable | None:
        """Every case's facts as of `as_of`; None when `as_of` lies before the log's latest
        event, where the facts must be replayed up to that moment instead."""
        with self._lock:
            with uow:
                mark = uow.cases.log_mark()
                if mark.latest_at is not None and as_of < mark.latest_at:
                    return None
                if mark != self._mark:
                    self._catch_up(uow, mark)
            if self._table is None:
                self._table = FactTable.from_facts(list(self._facts.values()), as_of)
            return replace(self._table, as_of=as_of)

    def _catch_up(self, uow: UnitOfWork, mark: LogMark) -> None:
        shrunk = self._mark is not None and (
            mark.events < self._mark.events or mark.last_event_id < self._mark.last_event_id
        )
        if self._mark is None or shrunk:
            self._forget()
        since = self._mark.last_event_id if self._mark is not None else 0
        self._replay(uow, since, mark)
        if self._known < mark.events:  # an id below `since` committed after it was read
            self._forget()
            self._replay(uow, 0, mark)
        self._mark = mark
        self._table = None

    def _replay(self, uow: UnitOfWork, since: int, mark: LogMark) -> None:
        if mark.latest_at is None:
            return
        for events in uow.cases.iter_events_changed_since(since):
            case_id = events[0].case_id
            size = sum(1 for event in events if event.at <= mark.latest_at)
            facts = extract_facts(events, mark.latest_at, limits=self._limits, clock=self._clock)
            self._known += size - self._sizes.get(case_id, 0)
            self._sizes[case_id] = size
            if facts is None:
                self._facts.pop(case_id, None)
            else:
                self._facts[case_id] = facts
            self.replayed += 1

    def _forget(self) -> None:
        self._mark = None
        self._facts.clear()
        self._sizes.clear()
        self._known = 0
        self._table = None
