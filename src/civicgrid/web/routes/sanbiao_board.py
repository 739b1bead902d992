"""/staff/sanbiao: the 三标 board of an area (cards, gaps, rankings, milestones,
conversion); ?area= picks any area of one's subtree, and outside it is a 403."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, Query
from starlette.responses import Response

from civicgrid.adapters.db.sanbiao_uow import SqlSanbiaoUnitOfWork, sanbiao_context
from civicgrid.domain.sanbiao.conversion import ActionKind
from civicgrid.services.sanbiao.board import HEADLINE, home_area, show_board, show_conversion
from civicgrid.services.sanbiao.context import Context
from civicgrid.web import sanbiao_view as view
from civicgrid.web.staff import StaffDep, StaffPage, StaffRoute

router = APIRouter(prefix="/staff/sanbiao", route_class=StaffRoute, include_in_schema=False)

AreaParam = Annotated[str | None, Query(max_length=20)]


def board_context(staff: StaffPage) -> Context:
    """The use cases' context, reading case facts from the container's FactCache: the
    board recomputes every case indicator of the siblings on each view."""
    c = staff.page.container
    now = c.clock()
    context = sanbiao_context(c.rules, c.settings.zone, now)
    return replace(context, case_facts=lambda: c.indicator_facts.table(c.uow(), now))


@router.get("")
def sanbiao_board(staff: StaffDep, area: AreaParam = None) -> Response:
    """The board of `area`, or of the top area the person may read."""
    container = staff.page.container
    code = area or home_area(staff.principal)
    context = board_context(staff)
    uow = SqlSanbiaoUnitOfWork(container.session_factory)
    board = show_board(uow, staff.principal, code, context)
    lessons = show_conversion(uow, staff.principal, board.area.code, context)
    page = staff.page
    _ = page.gettext
    return staff.render(
        "staff/sanbiao.html",
        {
            "board": board,
            "lessons": lessons,
            "headline": HEADLINE,
            "view": view,
            "statuses": view.status_words(page),
            "kinds": {
                ActionKind.DIRECTIVE: _("directive"),
                ActionKind.PROJECT: _("project"),
                ActionKind.POLICY: _("policy"),
            },
            "gap_chart": view.gap_chart(page, board),
            "ranking_chart": view.ranking_chart(page, board),
        },
    )
