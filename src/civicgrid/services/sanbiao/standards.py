"""Setting standards (提标准) by hand or by a rule from benchmarks, and listing them."""

from __future__ import annotations

from dataclasses import dataclass, replace

from civicgrid.domain.access import Action, Principal
from civicgrid.domain.areas import Area
from civicgrid.domain.errors import InvalidInput, NotFound
from civicgrid.domain.sanbiao import standards as rules
from civicgrid.domain.sanbiao.catalogue import IndicatorDef
from civicgrid.domain.sanbiao.peers import latest_values
from civicgrid.domain.sanbiao.periods import PeriodKey
from civicgrid.domain.sanbiao.standards import Derived, Rule, Standard
from civicgrid.services.areas import access_area
from civicgrid.services.sanbiao.catalogue import indicator_in, load_catalogue
from civicgrid.services.sanbiao.context import Context
from civicgrid.services.sanbiao.ports import SanbiaoUnitOfWork
from civicgrid.services.sanbiao.reading import ValueReader


@dataclass(frozen=True, slots=True)
class StandardRequest:
    area_code: str
    indicator: str
    period: str
    rule: Rule
    target: float | None = None  # MANUAL
    peer_id: int | None = None  # PEER_FACTOR
    group_id: int | None = None  # BEST_PEER, PEER_MEDIAN: these peers only
    year: int | None = None  # the peers' year; their latest when None
    factor: float | None = None  # PEER_FACTOR
    top_percent: float | None = None  # TOP_SIBLINGS
    rate_percent: float | None = None  # IMPROVE: per year
    baseline_period: str | None = None  # IMPROVE


def set_standard(
    uow: SanbiaoUnitOfWork, principal: Principal, request: StandardRequest, context: Context
) -> Standard:
    """Derive the target by the request's rule and store it with its derivation."""
    with uow:
        catalogue = load_catalogue(uow)
        indicator = indicator_in(catalogue, request.indicator)
        period = PeriodKey.parse(request.period)
        area = access_area(
            uow, principal, request.area_code, Action.MANAGE_AREAS, with_geometry=False
        )
        derived = _derive(
            uow,
            ValueReader(uow, catalogue, context),
            indicator,
            area,
            period,
            request,
            principal.username,
        )
        standard = Standard(
            0,
            area.code,
            indicator.code,
            period.key,
            derived.target,
            request.rule,
            derived.derivation,
            None,
            principal.username,
        )
        standard_id = uow.sanbiao.save_standard(standard, area.path, context.now)
        uow.commit()
    return replace(standard, id=standard_id)


def list_standards(
    uow: SanbiaoUnitOfWork,
    principal: Principal,
    area_code: str,
    indicator: str | None = None,
    period: str | None = None,
) -> list[Standard]:
    with uow:
        area = access_area(uow, principal, area_code, Action.READ, with_geometry=False)
        key = PeriodKey.parse(period).key if period is not None else None
        return uow.sanbiao.standards(area.path, indicator, key)


def _derive(
    uow: SanbiaoUnitOfWork,
    reader: ValueReader,
    indicator: IndicatorDef,
    area: Area,
    period: PeriodKey,
    r: StandardRequest,
    who: str,
) -> Derived:
    if r.rule is Rule.MANUAL:
        return rules.by_hand(_needs(r.target, "target"), who)
    if r.rule in (Rule.BEST_PEER, Rule.PEER_MEDIAN, Rule.PEER_FACTOR):
        names = {p.id: p.name_zh for p in uow.sanbiao.peers()}
        values = list(latest_values(uow.sanbiao.peer_values(indicator.code), r.year).values())
        if r.rule is Rule.PEER_FACTOR:
            peer_id = int(_needs(r.peer_id, "peer_id"))
            chosen = [v for v in values if v.peer_id == peer_id]
            if not chosen:
                raise NotFound(
                    f"peer {peer_id} has no {indicator.code} value"
                    + (f" for {r.year}" if r.year else ""),
                    field="peer_id",
                )
            return rules.scale_peer(chosen[0], names[peer_id], _needs(r.factor, "factor"))
        if r.group_id is not None:
            group = {g.id: g for g in uow.sanbiao.groups()}.get(r.group_id)
            if group is None:
                raise NotFound(f"no peer group {r.group_id}", field="group_id")
            values = [v for v in values if v.peer_id in group.peer_ids]
        if r.rule is Rule.BEST_PEER:
            return rules.reach_best_peer(values, names, indicator.direction)
        return rules.reach_peer_median(values, names)
    if r.rule is Rule.TOP_SIBLINGS:
        if area.parent_code is None:
            raise InvalidInput("the top area has no siblings", field="area")
        siblings = uow.areas.children_of([area.parent_code])
        by_area = reader.values(indicator, siblings, period)
        area_names = {s.code: s.name_zh for s in siblings}
        share = _needs(r.top_percent, "top_percent") / 100
        return rules.top_of_siblings(by_area, area_names, share, indicator.direction, period.key)
    if r.rule is Rule.IMPROVE:
        baseline = PeriodKey.parse(_needs_text(r.baseline_period, "baseline_period"))
        if baseline >= period:
            raise InvalidInput("the baseline must come before the period", field="baseline_period")
        value = reader.value(indicator, area, baseline)
        if value is None:
            raise InvalidInput(
                f"{area.code} has no {indicator.code} value for {baseline.key}",
                field="baseline_period",
            )
        rate = _needs(r.rate_percent, "rate_percent") / 100
        return rules.improve_yearly(
            value, baseline.key, rate, period.years_since(baseline), indicator.direction
        )
    raise InvalidInput(
        f"standards are not set by rule {r.rule.value}; cascade one instead", field="rule"
    )


def _needs(value: float | None, name: str) -> float:
    if value is None:
        raise InvalidInput(f"this rule needs {name}", field=name)
    return value


def _needs_text(value: str | None, name: str) -> str:
    if value is None:
        raise InvalidInput(f"this rule needs {name}", field=name)
    return value
