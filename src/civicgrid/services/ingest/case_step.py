"""The case step of ingestion, run after a batch's commit: notes on the cases of alerts
that changed, and a case for each new alert.

A batch commits its alerts with its readings; an active alert with no case yet is the
marker that a case is owed (`AlertRepository.needing_cases`). The step may run after
the HTTP response: `CaseStep.owe` queues it, `CaseStep.settle` runs what is queued
(serialised, so a batch's cases are opened before the next batch's alert changes are
recorded). A crash between the commit and the step leaves the markers; the pipeline's
start settles them, and the report's idempotency key (the alert's) makes a repeat open
nothing twice.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime

from civicgrid.domain.alerts import RuleSet
from civicgrid.services.alert_cases import BATCH, follow_up_cases, open_alert_cases
from civicgrid.services.alerts import CaseFollowUps
from civicgrid.services.ingest.alert_case_batch import open_alert_cases_together
from civicgrid.services.ingest.batch import CaseContext
from civicgrid.services.sensor_ports import IotUnitOfWork


class CaseStep:
    def __init__(
        self,
        uow: Callable[[], IotUnitOfWork],
        context: CaseContext | None,
        owns: Callable[[str], bool] | None,
    ) -> None:
        self._uow = uow
        self._context = context
        self._owns = owns
        self._lock = threading.Lock()
        self._owed: list[tuple[CaseFollowUps, datetime]] = []
        self._open_owed = True  # at start: cases a crash may have left owed

    @property
    def pending(self) -> bool:
        return bool(self._owed) or self._open_owed

    def owe(self, follow: CaseFollowUps, *, new_alerts: bool, now: datetime) -> None:
        """Queue the step for a committed batch."""
        if self._context is None:
            return
        with self._lock:
            if follow:
                self._owed.append((follow, now))
            self._open_owed = self._open_owed or new_alerts

    def settle(self, rules: RuleSet, now: datetime) -> list[int]:
        """Run what is queued; return the ids of the cases opened."""
        c = self._context
        if c is None:
            return []
        with self._lock:
            owed, self._owed = self._owed, []
            for follow, at in owed:
                follow_up_cases(self._uow(), c.case_rules, rules, follow, now=at, feed=c.feed)
            if not self._open_owed:
                return []
            self._open_owed = False
            opened: list[int] = []
            while True:  # at most BATCH alerts a pass
                found = open_alert_cases_together(self._uow(), c, rules, now=now, owns=self._owns)
                if found is None:  # the batch failed whole: one by one, each alone
                    found = open_alert_cases(
                        self._uow(),
                        c.locators,
                        c.case_rules,
                        rules,
                        now=now,
                        feed=c.feed,
                        chains=c.chains,
                        owns=self._owns,
                    )
                opened += found
                if len(found) < BATCH:
                    return opened
