"""三标 data for the board and screen tests, on top of the citizen world (clock at
Monday 2026-11-23 09:00 Shanghai): a peer, a standard, reported values for both
districts, milestones in every status, and two lessons (one acted on)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from civicgrid.adapters.db.sanbiao_uow import SqlSanbiaoUnitOfWork, sanbiao_context
from civicgrid.bootstrap import Container
from civicgrid.domain.access import Principal, Role
from civicgrid.domain.cases.actions import CaseAction
from civicgrid.domain.sanbiao.conversion import ActionKind, Lesson, LessonAction
from civicgrid.domain.sanbiao.milestones import Comparison, Condition, Milestone
from civicgrid.domain.sanbiao.peers import Peer, PeerKind, PeerValue
from civicgrid.domain.sanbiao.standards import Rule
from civicgrid.services import users
from civicgrid.services.cases.acting import act_on_case
from civicgrid.services.sanbiao import benchmarks, conversion, milestones, standards, values
from civicgrid.services.sanbiao.context import Context
from tests.fixtures import PlainHasher
from tests.integration.citizen_world import MONDAY_9AM, CitizenWorld

ON_TIME = "cases.on_time_close_rate"
RETAIL = "economy.retail_sales"
DISTRICT, OTHER = "410102", "410103"
RETAIL_VALUES = {  # year → (district, other district): the other one leads
    "2022": (100.0, 150.0),
    "2023": (110.0, 160.0),
    "2024": (120.0, 170.0),
    "2025": (130.0, 180.0),
}


@dataclass
class SanbiaoWorld:
    citizens: CitizenWorld
    admin: Principal
    milestone_ids: dict[str, int]  # by English title

    @property
    def container(self) -> Container:
        return self.citizens.container

    def context(self) -> Context:
        c = self.container
        return sanbiao_context(c.rules, c.settings.zone, c.clock())

    def uow(self) -> SqlSanbiaoUnitOfWork:
        return SqlSanbiaoUnitOfWork(self.container.session_factory)

    def close_on_time(self) -> int:
        """A citizen's case run through to its close within the hour; the clock then
        stands just after the close. Returns the case id."""
        case_id = self.citizens.submit(at=self.container.clock()).case_id
        closed = self.citizens.close(case_id, start=self.container.clock())
        self.container.clock.now = closed + timedelta(minutes=1)  # type: ignore[attr-defined]
        return case_id

    def accept(self, case_id: int) -> None:
        """One case action through the container's feed, as the API and pages do."""
        c = self.container
        act_on_case(
            c.uow(),
            c.rules,
            self.citizens.staff["acceptor"],
            case_id,
            CaseAction.ACCEPT,
            now=c.clock(),
            feed=c.feed,
        )


def add_person(container: Container, name: str, role: Role, code: str) -> Principal:
    users.add_user(container.uow(), PlainHasher(), name, "long enough password", now=MONDAY_9AM)
    users.grant_role(container.uow(), name, role, code, now=MONDAY_9AM)
    token = users.create_token(container.uow(), name, "t", now=MONDAY_9AM).token
    return users.authenticate_token(container.uow(), token)


def build_sanbiao(world: CitizenWorld) -> SanbiaoWorld:
    c = world.container
    admin = add_person(c, "admin", Role.CITY_ADMIN, "410100")
    add_person(c, "mayor", Role.LEADER, "410100")
    made = SanbiaoWorld(world, admin, {})

    def uow() -> SqlSanbiaoUnitOfWork:
        return made.uow()

    peer = benchmarks.add_peer(
        uow(),
        admin,
        Peer(0, "苏州工业园区", "Suzhou Industrial Park", PeerKind.PARK, "苏州", "Suzhou"),
    )
    for code, year, v in ((ON_TIME, 2025, 98.0), (RETAIL, 2025, 400.0)):
        benchmarks.set_peer_value(uow(), admin, PeerValue(peer.id, code, year, v, "synthetic"))
    standards.set_standard(
        uow(),
        admin,
        standards.StandardRequest(DISTRICT, ON_TIME, "2026-11", Rule.MANUAL, target=90.0),
        made.context(),
    )
    for year, (mine, theirs) in RETAIL_VALUES.items():
        for code, v in ((DISTRICT, mine), (OTHER, theirs)):
            entry = values.ValueEntry(RETAIL, code, year, v, "synthetic")
            values.enter_value(uow(), admin, entry, now=MONDAY_9AM)

    def milestone(en: str, deadline: date, condition: Condition | None) -> None:
        draft = Milestone(0, DISTRICT, en + "（中）", en, deadline, condition)
        made.milestone_ids[en] = milestones.add_milestone(uow(), admin, draft, made.context()).id

    milestone("Retail 125", date(2026, 12, 31), Condition(RETAIL, Comparison.AT_LEAST, 125.0))
    milestone("Retail 150", date(2028, 12, 31), Condition(RETAIL, Comparison.AT_LEAST, 150.0))
    milestone("Retail 400", date(2027, 12, 31), Condition(RETAIL, Comparison.AT_LEAST, 400.0))
    milestone("Plaza opened", date(2026, 6, 30), None)
    milestone("Park opened", date(2027, 6, 30), None)

    learned = datetime(2024, 3, 1, tzinfo=MONDAY_9AM.tzinfo)
    acted = conversion.record_lesson(
        uow(),
        admin,
        Lesson(0, DISTRICT, "夜间经济", "Night economy", "", "考察报告", learned, (RETAIL,)),
        made.context(),
    )
    conversion.link_action(
        uow(),
        admin,
        LessonAction(
            0,
            acted.id,
            ActionKind.POLICY,
            "Night market policy",
            "政策 2024-3",
            (made.milestone_ids["Retail 150"],),
        ),
    )
    conversion.record_lesson(
        uow(),
        admin,
        Lesson(0, DISTRICT, "社区治理", "Community governance", "", "考察报告", learned),
        made.context(),
    )
    return made
