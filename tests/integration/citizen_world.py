"""A small city with the staff to run a citizen's case to its close; shared by the
citizen and Open311 tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from civicgrid.bootstrap import Container
from civicgrid.domain.access import Principal, Role
from civicgrid.domain.cases.actions import CaseAction
from civicgrid.domain.cases.stages import Outcome
from civicgrid.domain.citizens import Channel
from civicgrid.services import users
from civicgrid.services.area_import import import_areas
from civicgrid.services.case_ports import Contact
from civicgrid.services.cases.acting import act_on_case
from civicgrid.services.citizens import CitizenReceipt, CitizenReport, submit_citizen_report
from tests.factories import centre_of, small_city

MONDAY_9AM = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai
MICRO = "41010200100100101"
GARBAGE = "event:0101"  # 暴露垃圾, city_management

STAFF = {
    "inspector": (Role.GRID_WORKER, MICRO, ""),
    "acceptor": (Role.CASE_ACCEPTOR, "410102", ""),
    "leader": (Role.SHIFT_LEADER, "410102", ""),
    "dispatcher": (Role.DISPATCHER, "410102", ""),
    "handler": (Role.DEPARTMENT_HANDLER, "410102", "city_management"),
    "officer": (Role.DISTRICT_OFFICER, "410102", ""),
    "other_officer": (Role.DISTRICT_OFFICER, "410103", ""),
}


class PlainHasher:
    def hash(self, password: str) -> str:
        return "plain$" + password

    def verify(self, password_hash: str, password: str) -> bool:
        return password_hash == "plain$" + password

    def needs_rehash(self, password_hash: str) -> bool:
        return False


@dataclass
class CitizenWorld:
    container: Container
    staff: dict[str, Principal]
    lat: float
    lon: float

    def submit(
        self, *, at: datetime = MONDAY_9AM, contact: Contact | None = None, **extra: object
    ) -> CitizenReceipt:
        c = self.container
        fields: dict[str, object] = {
            "category": GARBAGE,
            "description": "小区门口垃圾堆了三天",
            "channel": Channel.WEB,
            "lat": self.lat,
            "lon": self.lon,
            "contact": contact or Contact(),
        }
        fields.update(extra)
        return submit_citizen_report(
            c.uow(),
            c.locators,
            c.rules,
            c.attachment_store,
            CitizenReport(**fields),  # type: ignore[arg-type]
            now=at,
            snap_tolerance_m=50,
            max_photo_bytes=c.settings.attachment_max_bytes,
        )

    def act(self, who: str, case_id: int, action: CaseAction, at: datetime, **args: object) -> None:
        act_on_case(
            self.container.uow(),
            self.container.rules,
            self.staff[who],
            case_id,
            action,
            now=at,
            args=dict(args),
        )

    def close(
        self, case_id: int, *, start: datetime = MONDAY_9AM, outcome: Outcome = Outcome.FIXED
    ) -> datetime:
        """Runs a citizen's case through every stage to its close; returns the close time."""
        t = start
        self.act("acceptor", case_id, CaseAction.ACCEPT, t + timedelta(minutes=5))
        self.act("inspector", case_id, CaseAction.CHECK, t + timedelta(minutes=8), passed=True)
        self.act("leader", case_id, CaseAction.FILE, t + timedelta(minutes=10))
        self.act(
            "dispatcher",
            case_id,
            CaseAction.DISPATCH,
            t + timedelta(minutes=15),
            department="city_management",
        )
        self.act("handler", case_id, CaseAction.HANDLE, t + timedelta(minutes=60), result="已清运")
        self.act("dispatcher", case_id, CaseAction.FORWARD_FEEDBACK, t + timedelta(minutes=65))
        self.act("inspector", case_id, CaseAction.VERIFY, t + timedelta(minutes=80), passed=True)
        closed = t + timedelta(minutes=90)
        reason = "" if outcome is Outcome.FIXED else "不属于本部门职责"
        self.act("leader", case_id, CaseAction.CLOSE, closed, outcome=outcome, reason=reason)
        return closed


def build_world(container: Container) -> CitizenWorld:
    areas = small_city()
    import_areas(container.uow(), areas, english_name=container.english_name)
    staff = {}
    for name, (role, code, department) in STAFF.items():
        users.add_user(container.uow(), PlainHasher(), name, "long enough password", now=MONDAY_9AM)
        users.grant_role(container.uow(), name, role, code, now=MONDAY_9AM, department=department)
        token = users.create_token(container.uow(), name, "t", now=MONDAY_9AM).token
        staff[name] = users.authenticate_token(container.uow(), token)
    lat, lon = centre_of(next(a for a in areas if a.code == MICRO))
    return CitizenWorld(container, staff, lat, lon)
