"""The 三标 part of `civicgrid demo load`: peers, values, milestones, lessons, projects."""

from __future__ import annotations

from civicgrid.adapters.db.sanbiao_uow import SqlSanbiaoUnitOfWork, sanbiao_context
from civicgrid.bootstrap import Container
from civicgrid.cli.context import console
from civicgrid.services.sanbiao.demo import seed_demo


def seed_sanbiao_demo(c: Container) -> None:
    """Seed once; a second `demo load` leaves what is there."""
    uow = SqlSanbiaoUnitOfWork(c.session_factory)
    report = seed_demo(uow, sanbiao_context(c.rules, c.settings.zone, c.clock()))
    if not report.seeded:
        console.print("三标 demo: already seeded (or no 金水区), left as it is")
        return
    console.print(
        f"三标 demo: {report.peers} peers, {report.values} values, {report.milestones} "
        f"milestones, {report.lessons} lessons, {report.chains} chains, {report.projects} "
        "projects (source-document figures labelled; the rest synthetic)"
    )
