"""The case rules in force: the file data with the administrators' edits merged on top.

The tree's base is the newest whole tree saved through the form, else the file's; the
per-class edits apply over that base.

Holders of the rules (the container, the alert pipeline, the scheduler) keep one
`LiveCaseRules`; it answers from the latest tree and calendar. An edit in this process
takes effect at once (`invalidate`); another process sees it within `recheck_s`, when
it next compares the stored version.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session, sessionmaker

from civicgrid.adapters.case_rules import TreeCaseRules
from civicgrid.adapters.category_files import read_category_yaml
from civicgrid.adapters.db.admin_repository import SqlAdminRepository, rules_version
from civicgrid.adapters.holidays import china_calendar
from civicgrid.domain.areas.problems import ImportRejected
from civicgrid.domain.calendar import TimeLimit, WorkingCalendar
from civicgrid.domain.cases.case import Case
from civicgrid.domain.cases.categories import CategoryTree, MinorClass
from civicgrid.domain.cases.categories.edits import apply_edits_leniently
from civicgrid.services.case_ports import CategoryFacts

FileData = Callable[[], tuple[CategoryTree, dict[date, bool]]]
"""The file data: the category tree and the calendar file's days (read once, cached)."""


class LiveCaseRules(TreeCaseRules):
    def __init__(
        self,
        files: FileData,
        session_factory: sessionmaker[Session],
        zone: str,
        *,
        recheck_s: float = 5.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._files = files
        self._sessions = session_factory
        self._zone_name = zone
        self._recheck_s = recheck_s
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._version: str | None = None
        self._checked_at = float("-inf")
        self._current: TreeCaseRules | None = None
        self._base: CategoryTree | None = None
        self._zone = ZoneInfo(zone)  # what TreeCaseRules' own methods read; no super().__init__

    # TreeCaseRules keeps `tree` and `calendar` as attributes; here they follow the store.
    @property
    def tree(self) -> CategoryTree:  # type: ignore[override]
        return self.current().tree

    @property
    def calendar(self) -> WorkingCalendar:  # type: ignore[override]
        return self.current().calendar

    # Each question goes whole to one version, so a single answer never mixes two.
    def minor(self, code: str) -> MinorClass:
        return self.current().minor(code)

    def category(self, code: str, *, on: datetime) -> CategoryFacts:
        return self.current().category(code, on=on)

    def limit(self, case: Case) -> TimeLimit | None:
        return self.current().limit(case)

    def stage_deadline(self, case: Case, share: float = 1.0) -> datetime | None:
        return self.current().stage_deadline(case, share)

    def elapsed_fraction(self, case: Case, now: datetime) -> float | None:
        return self.current().elapsed_fraction(case, now)

    def file_tree(self) -> CategoryTree:
        """The base the per-class edits apply to: the newest saved whole tree, else the
        file's."""
        self.current()
        return self._base or self._files()[0]

    def invalidate(self) -> None:
        """An edit was saved here: read the store on the next use."""
        self._checked_at = float("-inf")

    def current(self) -> TreeCaseRules:
        now = self._monotonic()
        current = self._current
        if current is not None and now - self._checked_at < self._recheck_s:
            return current
        with self._lock:
            if self._current is not None and now - self._checked_at < self._recheck_s:
                return self._current
            with self._sessions() as session:
                version = rules_version(session)
                if self._current is None or version != self._version:
                    base, tree, calendar = self._read(session)
                    self._current = TreeCaseRules(tree, calendar, self._zone_name)
                    self._base = base
                    self._version = version
            self._checked_at = now
            return self._current

    def _read(self, session: Session) -> tuple[CategoryTree, CategoryTree, WorkingCalendar]:
        tree, file_days = self._files()
        store = SqlAdminRepository(session)
        saved = store.category_tree()
        # Checked when saved; should a later, stricter reader refuse it, the file's tree holds.
        if saved is not None:
            with contextlib.suppress(ImportRejected):
                tree = read_category_yaml(saved.text.encode(), source_name="saved tree")
        edited = apply_edits_leniently(tree, (stored.edit for stored in store.category_edits()))
        days = dict(file_days) | {d.day: d.working for d in store.calendar_days()}
        return tree, edited, china_calendar(zone=self._zone_name, overrides=days)
