"""What every `civicgrid sanbiao` command runs with: the unit of work and the context."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from civicgrid.adapters.db.sanbiao_uow import SqlSanbiaoUnitOfWork, sanbiao_context
from civicgrid.cli.context import container
from civicgrid.services.sanbiao.context import Context
from civicgrid.services.sanbiao.ports import SanbiaoUnitOfWork


@contextmanager
def wired() -> Iterator[tuple[SanbiaoUnitOfWork, Context]]:
    with container() as c:
        yield (
            SqlSanbiaoUnitOfWork(c.session_factory),
            sanbiao_context(c.rules, c.settings.zone, c.clock()),
        )


def num(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"
