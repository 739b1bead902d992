"""Synthetic case activity for the demo city, so that its case indicators have data.

Clearly labelled: every description, note and comment says it is synthetic demo
activity. Seeded and deterministic. Cases are driven through the real use cases
(report, act, rate, the scheduler's tick) with `now` stepping through the period, so
the log, the escalations and the indicators are exactly what real work would leave.

The simulation's staff are users named ``demo-sim-…`` that cannot sign in (their
password hash is no hash). Their existence marks the activity as simulated: a second
run adds nothing.
"""

from __future__ import annotations

import heapq
import random
import secrets
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from civicgrid.domain.access import Principal, Role, local_operator
from civicgrid.domain.areas import Level
from civicgrid.domain.cases.actions import CaseAction
from civicgrid.domain.cases.case import Case
from civicgrid.domain.cases.stages import Outcome, Source, Stage
from civicgrid.domain.errors import InvalidInput
from civicgrid.services.area_chains import AreaChains
from civicgrid.services.areas import list_subtree
from civicgrid.services.attachment_ports import AttachmentStore
from civicgrid.services.case_ports import CaseRules
from civicgrid.services.cases.acting import act_on_case
from civicgrid.services.cases.actors import get_user_principal
from civicgrid.services.cases.intake import ReportRequest, report_case
from civicgrid.services.cases.ticking import tick_cases
from civicgrid.services.citizens import CitizenReport, rate_case, submit_citizen_report
from civicgrid.services.ports import LocatorProvider, UnitOfWork
from civicgrid.services.users import add_user, grant_role

LABEL = "【合成演示数据 synthetic demo activity】"
PREFIX = "demo-sim-"
MARKER_USER = f"{PREFIX}acceptor"
MICRO_GRIDS_PER_DISTRICT = 6
MAX_PER_DAY = 200
TICK_HOURS_UTC = (4, 10)  # 12:00 and 18:00 in Shanghai

CATEGORIES: tuple[tuple[str, int], ...] = (
    ("event:0101", 18),  # exposed garbage
    ("event:0102", 10),  # overflowing bins
    ("event:0501", 12),  # street vending
    ("event:0504", 12),  # badly parked shared bikes
    ("event:0503", 6),  # materials piled in public space
    ("event:0302", 5),  # construction dust
    ("event:0201", 6),  # flyers and stickers
    ("component:0301", 6),  # litter bin
    ("component:0110", 6),  # street lamp
    ("component:0201", 5),  # pothole
    ("component:0103", 4),  # storm-drain cover
    ("component:0401", 4),  # green space
    ("event:0406", 3),  # water logging on a road
)
"""Everyday categories and their weights in the mix."""


class Fate(StrEnum):
    ON_TIME = "on_time"  # every step inside its limit, fixed
    LATE = "late"  # handled after its deadline: the tick escalates it
    REWORK = "rework"  # 核查 fails once, handled again, then fixed
    NOT_FIXED = "not_fixed"  # closed as not fixed (e.g. not the city's responsibility)
    STALLED = "stalled"  # the department never reports back: still open


FATES: tuple[tuple[Fate, int], ...] = (
    (Fate.ON_TIME, 72),
    (Fate.LATE, 12),
    (Fate.REWORK, 9),
    (Fate.NOT_FIXED, 4),
    (Fate.STALLED, 3),
)

_RATINGS = {
    Fate.ON_TIME: (5, 5, 5, 4, 4, 3),
    Fate.LATE: (4, 3, 3, 2, 5),
    Fate.REWORK: (4, 3, 4, 2, 5),
    Fate.NOT_FIXED: (1, 2, 2, 3),
}


@dataclass(frozen=True, slots=True)
class SimulationReport:
    simulated: bool  # False: the demo's activity was simulated before; nothing added
    cases: int = 0
    events: int = 0
    escalations: int = 0
    fates: dict[str, int] = field(default_factory=dict)
    still_open: int = 0


@dataclass(slots=True)
class _Plan:
    number: int
    at: datetime
    micro: str
    category: str
    citizen: bool
    fate: Fate
    case: Case | None = None  # as last seen: its stage says what comes next
    tracking_code: str = ""
    reworked: bool = False


class _NoSignIn:
    """Hashes nothing: the simulation's staff have no password anyone could use."""

    def hash(self, password: str) -> str:
        return "!synthetic demo actor: no sign-in"

    def verify(self, password_hash: str, password: str) -> bool:
        return False

    def needs_rehash(self, password_hash: str) -> bool:
        return False


def simulate_case_activity(
    uow: UnitOfWork,
    rules: CaseRules,
    locators: LocatorProvider,
    store: AttachmentStore,
    *,
    city_code: str,
    seed: int,
    start: datetime,
    end: datetime,
    per_day: float,
) -> SimulationReport:
    """Simulate `per_day` cases a working day (on average) from `start` to `end`.

    Districts get cases in proportion to their micro-grids. Cases whose next step falls
    after `end` stay open, as recent cases do.
    """
    if start.tzinfo is None or end.tzinfo is None:
        raise InvalidInput("start and end must be timezone-aware", field="start")
    if end <= start:
        raise InvalidInput("the simulated period must end after it starts", field="end")
    if not 0 < per_day <= MAX_PER_DAY:
        raise InvalidInput(f"per_day must be above 0 and at most {MAX_PER_DAY}", field="per_day")
    with uow:
        if uow.users.get_by_username(MARKER_USER) is not None:
            return SimulationReport(simulated=False)
    rng = random.Random(seed)  # noqa: S311 - demo data, reproducible, not secrets
    micros = _pick_micro_grids(uow, city_code, rng)
    plans = _plan_cases(rng, micros, start, end, per_day)
    staff = _create_staff(uow, rules, city_code, {m for _, m in micros}, now=start)
    sim = _Simulation(uow, rules, locators, store, staff, rng)
    sim.run(plans, start, end)
    return SimulationReport(
        simulated=True,
        cases=len(plans),
        events=sim.events,
        escalations=sim.escalations,
        fates=dict(Counter(plan.fate.value for plan in plans)),
        still_open=sim.open_at_end,
    )


def _pick_micro_grids(uow: UnitOfWork, city_code: str, rng: random.Random) -> list[tuple[int, str]]:
    """A few micro-grids per district, with the district's number of micro-grids."""
    operator = local_operator()
    districts = list_subtree(uow, operator, city_code, children_only=True, page_size=100)
    picked: list[tuple[int, str]] = []
    for district in districts.items:
        first = list_subtree(uow, operator, district.code, level=Level.MICRO_GRID, page_size=1)
        total = first.count
        if total == 0:
            continue
        for page in sorted(rng.sample(range(1, total + 1), min(total, MICRO_GRIDS_PER_DISTRICT))):
            found = list_subtree(
                uow, operator, district.code, level=Level.MICRO_GRID, page=page, page_size=1
            )
            picked.append((max(1, total // MICRO_GRIDS_PER_DISTRICT), found.items[0].code))
    return picked


def _plan_cases(
    rng: random.Random,
    micros: Sequence[tuple[int, str]],
    start: datetime,
    end: datetime,
    per_day: float,
) -> list[_Plan]:
    weights = [w for w, _ in micros]
    codes = [c for _, c in micros]
    categories = [c for c, _ in CATEGORIES]
    category_weights = [w for _, w in CATEGORIES]
    fates = [f for f, _ in FATES]
    fate_weights = [w for _, w in FATES]
    plans: list[_Plan] = []
    day = start.replace(hour=0, minute=0, second=0, microsecond=0)
    while day < end:
        if day.weekday() < 5:
            count = int(per_day) + (1 if rng.random() < per_day % 1 else 0)
            for _ in range(count):
                # 08:30–17:00 in Shanghai
                at = day + timedelta(minutes=30 + rng.randrange(0, 510))
                if not start <= at < end:
                    continue
                plans.append(
                    _Plan(
                        number=len(plans),
                        at=at,
                        micro=rng.choices(codes, weights)[0],
                        category=rng.choices(categories, category_weights)[0],
                        citizen=rng.random() < 0.4,
                        fate=rng.choices(fates, fate_weights)[0],
                    )
                )
        day += timedelta(days=1)
    return plans


def _create_staff(
    uow: UnitOfWork, rules: CaseRules, city_code: str, micros: set[str], *, now: datetime
) -> dict[str, Principal]:
    """The command centre at city level, one handler per department, and a grid worker
    on each simulated micro-grid. The marker user comes last: a run interrupted while
    creating staff starts again cleanly."""
    hasher = _NoSignIn()
    password = secrets.token_urlsafe(16)
    wanted: list[tuple[str, Role, str, str]] = [
        (f"{PREFIX}leader", Role.SHIFT_LEADER, city_code, ""),
        (f"{PREFIX}dispatcher", Role.DISPATCHER, city_code, ""),
    ]
    departments = sorted({rules.category(c, on=now).department for c, _ in CATEGORIES})
    wanted += [(f"{PREFIX}{d}", Role.DEPARTMENT_HANDLER, city_code, d) for d in departments]
    wanted += [(f"{PREFIX}gw-{m}", Role.GRID_WORKER, m, "") for m in sorted(micros)]
    wanted.append((MARKER_USER, Role.CASE_ACCEPTOR, city_code, ""))
    for username, role, area, department in wanted:
        with uow:
            exists = uow.users.get_by_username(username) is not None
        if not exists:
            display = f"{LABEL} {role.name_zh}"
            add_user(uow, hasher, username, password, now=now, display_name=display)
            grant_role(uow, username, role, area, now=now, department=department)
    return {name: get_user_principal(uow, name) for name, *_ in wanted}


class _Simulation:
    """Cases as a queue of (time, step): each step acts, then schedules the next."""

    def __init__(
        self,
        uow: UnitOfWork,
        rules: CaseRules,
        locators: LocatorProvider,
        store: AttachmentStore,
        staff: dict[str, Principal],
        rng: random.Random,
    ) -> None:
        self.uow, self.rules, self.locators, self.store = uow, rules, locators, store
        self.staff, self.rng = staff, rng
        self.events = self.escalations = self.open_at_end = 0
        self.chains = AreaChains()  # kept between reports: each would read its chain again
        self._queue: list[tuple[datetime, int, _Plan]] = []

    def run(self, plans: Sequence[_Plan], start: datetime, end: datetime) -> None:
        for plan in plans:
            heapq.heappush(self._queue, (plan.at, plan.number, plan))
        day = start.replace(hour=0, minute=0, second=0, microsecond=0)
        while day < end:
            for hour in TICK_HOURS_UTC:
                tick_at = day + timedelta(hours=hour)
                if not start <= tick_at < end:
                    continue
                self._run_until(tick_at)
                ticked = tick_cases(self.uow, self.rules, now=tick_at, holder="demo-simulation")
                self.escalations += ticked.escalated
            day += timedelta(days=1)
        self._run_until(end)
        self.open_at_end = sum(1 for plan in plans if plan.case is None or not plan.case.finished)

    def _run_until(self, moment: datetime) -> None:
        while self._queue and self._queue[0][0] <= moment:
            at, _, plan = heapq.heappop(self._queue)
            case = self._report(plan, at) if plan.case is None else self._step(plan, plan.case, at)
            self.events += 1
            if case is not None:  # None: rated, nothing more to do
                plan.case = case
            later = self._next_time(plan, case, at)
            if later is not None:
                heapq.heappush(self._queue, (later, plan.number, plan))

    def _report(self, plan: _Plan, at: datetime) -> Case:
        facts = self.rules.category(plan.category, on=at)
        description = f"{LABEL} {facts.name_zh} / {facts.name_en} (#{plan.number + 1})"
        if plan.citizen:
            receipt = submit_citizen_report(
                self.uow,
                self.locators,
                self.rules,
                self.store,
                CitizenReport(
                    category=plan.category, description=description, area_code=plan.micro
                ),
                now=at,
                snap_tolerance_m=0,
                max_photo_bytes=1,  # the simulated citizens send no photos
            )
            plan.tracking_code = receipt.tracking_code or ""
            with self.uow:
                case = self.uow.cases.get(receipt.case_id)
            assert case is not None  # noqa: S101 - just reported
            return case
        reported = report_case(
            self.uow,
            self.locators,
            self.rules,
            self.staff[f"{PREFIX}gw-{plan.micro}"],
            ReportRequest(
                category=plan.category,
                description=description,
                source=Source.GRID_WORKER,
                area_code=plan.micro,
            ),
            now=at,
            snap_tolerance_m=0,
            chains=self.chains,
        )
        return reported.case

    def _step(self, plan: _Plan, case: Case, at: datetime) -> Case | None:
        """The case's next action, by the position its stage needs; None once it is done."""
        if case.stage is Stage.EVALUATE:
            if plan.tracking_code and case.rating is None:
                score = self.rng.choice(_RATINGS[plan.fate])
                rate_case(self.uow, self.rules, plan.tracking_code, score, LABEL, now=at)
            return None
        action, who, args = self._action_for(plan, case)
        return act_on_case(
            self.uow, self.rules, self.staff[who], case.id, action, now=at, args=args
        )

    def _action_for(self, plan: _Plan, case: Case) -> tuple[CaseAction, str, dict[str, Any]]:
        gw = f"{PREFIX}gw-{plan.micro}"
        stage = case.stage
        if stage is Stage.COLLECT:
            return CaseAction.ACCEPT, MARKER_USER, {}
        if stage is Stage.FILE:
            if case.source.is_public and not case.checked:
                return CaseAction.CHECK, gw, {"passed": True}
            return CaseAction.FILE, f"{PREFIX}leader", {}
        if stage is Stage.DISPATCH:
            department = self.rules.category(case.category, on=case.reported_at).department
            return CaseAction.DISPATCH, f"{PREFIX}dispatcher", {"department": department}
        if stage is Stage.HANDLE:
            result = f"{LABEL} 已处置 / handled"
            return CaseAction.HANDLE, f"{PREFIX}{case.department}", {"result": result}
        if stage is Stage.FEEDBACK:
            return CaseAction.FORWARD_FEEDBACK, f"{PREFIX}dispatcher", {}
        # VERIFY_CLOSE
        if plan.fate is Fate.NOT_FIXED:
            reason = f"{LABEL} 非本市职责范围 / not the city's responsibility"
            args = {"outcome": Outcome.CLOSED_NOT_FIXED, "reason": reason}
            return CaseAction.CLOSE, f"{PREFIX}leader", args
        if plan.fate is Fate.REWORK and not plan.reworked:
            plan.reworked = True
            note = f"{LABEL} 复查未通过, 返工 / not done properly: rework"
            return CaseAction.VERIFY, gw, {"passed": False, "note": note}
        if not case.verified:
            return CaseAction.VERIFY, gw, {"passed": True}
        return CaseAction.CLOSE, f"{PREFIX}leader", {"outcome": Outcome.FIXED}

    def _next_time(self, plan: _Plan, case: Case | None, at: datetime) -> datetime | None:
        if case is None:
            return None
        if case.stage is Stage.EVALUATE:  # closed: the citizen may rate within days
            if not plan.tracking_code:
                return None
            return at + timedelta(minutes=self.rng.randrange(60, 3 * 24 * 60))
        if case.stage is Stage.HANDLE and plan.fate is Fate.STALLED:
            return None  # the department never reports back
        deadline = self.rules.stage_deadline(case)
        if deadline is None or deadline <= at:
            return at + timedelta(minutes=self.rng.randrange(5, 60))
        budget = deadline - at
        if case.stage is Stage.HANDLE and plan.fate is Fate.LATE:
            return deadline + budget * self.rng.uniform(0.3, 2.5)
        return at + budget * self.rng.uniform(0.1, 0.7)
