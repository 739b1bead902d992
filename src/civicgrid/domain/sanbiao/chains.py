"""链长制 and 双招双引: industry chains with their leaders, and investment projects."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from civicgrid.domain.errors import InvalidInput


class Stage(StrEnum):
    NEGOTIATING = "negotiating"
    SIGNED = "signed"
    STARTED = "started"
    PRODUCING = "producing"  # in production


STAGE_ORDER = tuple(Stage)


@dataclass(frozen=True, slots=True)
class Chain:
    id: int
    area_code: str
    name_zh: str
    name_en: str
    leader: str  # the official who leads the chain (链长)
    enterprises: tuple[str, ...] = ()
    provenance: str = ""


@dataclass(frozen=True, slots=True)
class Project:
    id: int
    area_code: str
    chain_id: int | None
    name: str
    amount: float  # 亿元
    stage: Stage
    stage_dates: dict[Stage, date]  # the day each stage reached so far began
    provenance: str = ""


def check_stages(stage: Stage, stage_dates: dict[Stage, date], amount: float) -> None:
    if not math.isfinite(amount) or not 0 <= amount < 1e7:
        raise InvalidInput("the amount (亿元) must be between 0 and 1e7", field="amount")
    reached = STAGE_ORDER[: STAGE_ORDER.index(stage) + 1]
    extra = [s for s in stage_dates if s not in reached]
    if extra:
        raise InvalidInput(f"a {stage} project cannot have a date for {extra[0]}", field="dates")
    if stage not in stage_dates:
        raise InvalidInput(f"a {stage} project needs the date it became {stage}", field="dates")
    days = [stage_dates[s] for s in reached if s in stage_dates]
    if days != sorted(days):
        raise InvalidInput("stage dates must follow the stages' order", field="dates")


def count_and_amount(
    projects: Iterable[Project], stage: Stage, start: date, end: date
) -> tuple[int, float]:
    """Projects that reached `stage` within [start, end), and their amount."""
    hits = [p for p in projects if (on := p.stage_dates.get(stage)) and start <= on < end]
    return len(hits), math.fsum(p.amount for p in hits)


@dataclass(frozen=True, slots=True)
class StageTotal:
    chain_id: int | None
    stage: Stage
    count: int
    amount: float


def summarise(projects: Iterable[Project]) -> list[StageTotal]:
    """Count and amount by chain and current stage."""
    totals: dict[tuple[int | None, Stage], list[Project]] = {}
    for p in projects:
        totals.setdefault((p.chain_id, p.stage), []).append(p)
    return [
        StageTotal(chain, stage, len(found), math.fsum(p.amount for p in found))
        for (chain, stage), found in sorted(
            totals.items(), key=lambda kv: (kv[0][0] or 0, STAGE_ORDER.index(kv[0][1]))
        )
    ]
