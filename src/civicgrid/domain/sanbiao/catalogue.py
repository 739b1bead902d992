"""The indicator catalogue: what each indicator measures and how it behaves."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from civicgrid.domain.errors import InvalidInput

CODE_PATTERN = re.compile(r"^[a-z][a-z0-9_.]{1,63}$")


class Direction(StrEnum):
    HIGHER = "higher"  # higher is better
    LOWER = "lower"

    def better(self, a: float, b: float) -> bool:
        """Whether `a` is strictly better than `b`."""
        return a > b if self is Direction.HIGHER else a < b


class Aggregation(StrEnum):
    SUM = "sum"
    MEAN = "mean"
    WEIGHTED_MEAN = "weighted_mean"  # weighted by another indicator, named in `weight`
    NONE = "none"  # not aggregable: only values reported at the area itself count


class Periodicity(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


class Kind(StrEnum):
    COMPUTED = "computed"  # derived from the platform's own logs; never typed in
    REPORTED = "reported"  # imported or entered, with provenance


class Theme(StrEnum):
    """Themes of ISO 37120 (sustainable cities and communities: indicators)."""

    ECONOMY = "economy"
    EDUCATION = "education"
    ENERGY = "energy"
    ENVIRONMENT = "environment"
    FINANCE = "finance"
    GOVERNANCE = "governance"
    HEALTH = "health"
    HOUSING = "housing"
    POPULATION = "population"
    RECREATION = "recreation"
    SAFETY = "safety"
    SOLID_WASTE = "solid_waste"
    SPORT_CULTURE = "sport_culture"
    TELECOMMUNICATION = "telecommunication"
    TRANSPORTATION = "transportation"
    URBAN_PLANNING = "urban_planning"
    WASTEWATER = "wastewater"
    WATER = "water"


@dataclass(frozen=True, slots=True)
class IndicatorDef:
    code: str
    name_zh: str
    name_en: str
    unit: str
    direction: Direction
    aggregation: Aggregation
    periodicity: Periodicity
    kind: Kind
    theme: Theme | None = None
    weight: str | None = None  # the indicator weighting a WEIGHTED_MEAN
    source: str = ""  # computed: the log it comes from (cases, projects, directives, alerts)

    def __post_init__(self) -> None:
        if not CODE_PATTERN.fullmatch(self.code):
            raise InvalidInput(
                "an indicator code is 2-64 of a-z, 0-9, '_' and '.', starting with a letter",
                field="code",
            )
        for name in ("name_zh", "name_en", "unit"):
            if not getattr(self, name).strip():
                raise InvalidInput(f"an indicator needs a {name}", field=name)
        if (self.aggregation is Aggregation.WEIGHTED_MEAN) != (self.weight is not None):
            raise InvalidInput(
                "a weighted mean names its weight indicator, and only a weighted mean does",
                field="weight",
            )
