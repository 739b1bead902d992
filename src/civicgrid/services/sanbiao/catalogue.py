"""The indicator catalogue: the built-in entries and those added at run time."""

from __future__ import annotations

from civicgrid.domain.access import Principal
from civicgrid.domain.errors import Conflict, InvalidInput, NotFound
from civicgrid.domain.sanbiao.builtin import BUILTIN_BY_CODE
from civicgrid.domain.sanbiao.catalogue import Aggregation, IndicatorDef, Kind
from civicgrid.services.sanbiao.context import require_admin
from civicgrid.services.sanbiao.ports import SanbiaoUnitOfWork


def load_catalogue(uow: SanbiaoUnitOfWork) -> dict[str, IndicatorDef]:
    """Inside an open unit of work: every indicator by code."""
    found = dict(BUILTIN_BY_CODE)
    found.update((i.code, i) for i in uow.sanbiao.custom_indicators())
    return found


def list_indicators(uow: SanbiaoUnitOfWork) -> list[IndicatorDef]:
    with uow:
        return list(load_catalogue(uow).values())


def indicator_in(catalogue: dict[str, IndicatorDef], code: str) -> IndicatorDef:
    found = catalogue.get(code)
    if found is None:
        raise NotFound(f"no indicator with code {code[:64]!r} in the catalogue", field="indicator")
    return found


def add_indicator(uow: SanbiaoUnitOfWork, principal: Principal, indicator: IndicatorDef) -> None:
    """A new reported indicator; computed ones come with the code that computes them."""
    require_admin(principal, "the indicator catalogue")
    if indicator.kind is not Kind.REPORTED:
        raise InvalidInput(
            "only reported indicators can be added; computed ones are built in", field="kind"
        )
    with uow:
        catalogue = load_catalogue(uow)
        if indicator.code in catalogue:
            raise Conflict(f"indicator {indicator.code} exists already", field="code")
        if indicator.aggregation is Aggregation.WEIGHTED_MEAN:
            indicator_in(catalogue, indicator.weight or "")
        uow.sanbiao.add_indicator(indicator)
        uow.commit()
