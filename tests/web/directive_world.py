"""The citizen world plus what the directive and report pages need: a second grid worker,
a street officer, and a daily report template that micro-grids submit."""

from __future__ import annotations

from datetime import time

from civicgrid.domain.access import Role
from civicgrid.domain.areas import Level
from civicgrid.domain.forms import parse_form
from civicgrid.domain.reports import Schedule, TemplateDraft
from civicgrid.services import users
from civicgrid.services.reports.templates import create_template
from tests.integration.citizen_world import MICRO, MONDAY_9AM, CitizenWorld, PlainHasher

MICRO_2 = "41010200100100102"  # the inspector's neighbour, in the same grid
STREET = "410102001"  # 8 micro-grids below it
OTHER_STREET = "410102002"
PASSWORD = "long enough password"


def add_staff(world: CitizenWorld) -> None:
    uow = world.container.uow
    for name, role, code in (
        ("worker2", Role.GRID_WORKER, MICRO_2),
        ("street_officer", Role.STREET_OFFICER, STREET),
    ):
        users.add_user(uow(), PlainHasher(), name, PASSWORD, now=MONDAY_9AM)
        users.grant_role(uow(), name, role, code, now=MONDAY_9AM)


def add_daily_template(world: CitizenWorld) -> int:
    """巡查日报, submitted by every micro-grid of 410102 (16 of them) by 18:00."""
    fields = parse_form(
        [
            {"key": "patrols", "type": "number", "label_zh": "巡查次数", "label_en": "Patrols",
             "aggregates": ["sum", "max"]},
            {"key": "weather", "type": "choice", "label_zh": "天气", "label_en": "Weather",
             "choices": ["晴", "雨"]},
            {"key": "remarks", "type": "text", "label_zh": "情况说明", "label_en": "Remarks",
             "required": False},
            {"key": "spot", "type": "location", "label_zh": "位置", "label_en": "Where",
             "required": False},
            {"key": "photos", "type": "photo", "label_zh": "照片", "label_en": "Photos",
             "required": False},
        ]
    )  # fmt: skip
    draft = TemplateDraft(
        code="patrol-daily",
        name_zh="巡查日报",
        name_en="Daily patrol report",
        submitter_level=Level.MICRO_GRID,
        schedule=Schedule.DAILY,
        due_time=time(18, 0),
        fields=fields,
    )
    template = create_template(
        world.container.uow(), world.staff["officer"], draft, "410102", now=MONDAY_9AM
    )
    return template.id


__all__ = ["MICRO", "MICRO_2", "OTHER_STREET", "STREET", "add_daily_template", "add_staff"]
