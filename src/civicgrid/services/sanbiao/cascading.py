"""Cascading a standard to the area's children, checked before anything is stored."""

from __future__ import annotations

from dataclasses import dataclass, replace

from civicgrid.domain.access import Action, Principal, authorize
from civicgrid.domain.areas import Area
from civicgrid.domain.errors import InvalidInput, NotFound
from civicgrid.domain.sanbiao.cascade import check_cascade, split_target
from civicgrid.domain.sanbiao.catalogue import IndicatorDef
from civicgrid.domain.sanbiao.periods import PeriodKey
from civicgrid.domain.sanbiao.standards import Rule, Standard
from civicgrid.services.sanbiao.catalogue import indicator_in, load_catalogue
from civicgrid.services.sanbiao.context import Context
from civicgrid.services.sanbiao.ports import SanbiaoUnitOfWork
from civicgrid.services.sanbiao.reading import ValueReader


@dataclass(frozen=True, slots=True)
class CascadeRequest:
    standard_id: int
    weights: dict[str, float] | None = None  # child area code → weight
    base_indicator: str | None = None  # or: in proportion to this indicator's values
    base_period: str | None = None


def cascade_standard(
    uow: SanbiaoUnitOfWork, principal: Principal, request: CascadeRequest, context: Context
) -> list[Standard]:
    """One standard per child of the standard's area, whose parts fit the whole."""
    with uow:
        found = uow.sanbiao.get_standard(request.standard_id)
        if found is None:
            raise NotFound(f"no standard {request.standard_id}", field="standard_id")
        whole, path = found
        authorize(principal, Action.MANAGE_AREAS, path, f"area {whole.area_code}")
        catalogue = load_catalogue(uow)
        indicator = indicator_in(catalogue, whole.indicator)
        children = uow.areas.children_of([whole.area_code])
        if not children:
            raise InvalidInput(f"area {whole.area_code} has no children", field="standard_id")
        names = {c.code: c.name_zh for c in children}
        weights, basis = _weights(uow, request, children, catalogue, context)
        parent = uow.areas.get(whole.area_code, with_geometry=False)
        whole_name = parent.name_zh if parent else whole.area_code
        parts = split_target(whole.target, indicator.aggregation, weights, names, whole_name, basis)
        check_cascade(whole.target, indicator.aggregation, parts)
        by_code = {c.code: c for c in children}
        saved = []
        for part in parts:
            standard = Standard(
                0,
                part.area_code,
                whole.indicator,
                whole.period,
                part.target,
                Rule.CASCADE,
                part.derivation,
                whole.id,
                principal.username,
            )
            new_id = uow.sanbiao.save_standard(standard, by_code[part.area_code].path, context.now)
            saved.append(replace(standard, id=new_id))
        uow.commit()
    return saved


def _weights(
    uow: SanbiaoUnitOfWork,
    request: CascadeRequest,
    children: list[Area],
    catalogue: dict[str, IndicatorDef],
    context: Context,
) -> tuple[dict[str, float], str]:
    codes = {c.code for c in children}
    if (request.weights is None) == (request.base_indicator is None):
        raise InvalidInput("give either weights or a base indicator", field="weights")
    if request.weights is not None:
        unknown = sorted(set(request.weights) - codes)
        if unknown:
            raise InvalidInput(
                f"{unknown[0]} is not a child of the standard's area", field="weights"
            )
        missing = sorted(codes - set(request.weights))
        if missing:
            raise InvalidInput(
                f"no weight for child {missing[0]}: every child needs one", field="weights"
            )
        return dict(request.weights), "weights"
    base = indicator_in(catalogue, request.base_indicator or "")
    if request.base_period is None:
        raise InvalidInput("a base indicator needs a base period", field="base_period")
    period = PeriodKey.parse(request.base_period)
    values = ValueReader(uow, catalogue, context).values(base, children, period)
    missing = sorted(codes - set(values))
    if missing:
        raise InvalidInput(
            f"child {missing[0]} has no {base.code} value for {period.key}", field="base_indicator"
        )
    return values, f"{period.key} {base.code}"
