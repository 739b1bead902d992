"""Evaluation indicators (GB/T 30428.4 style), computed from the case event log only.

Extract each case's facts once (`extract_facts`, `stream_facts`), put them in a
`FactTable`, then `compute_indicators` for any period and selection. The naive loop
`compute_indicators_naive` is the reference the numpy path is tested against.
"""

from civicgrid.domain.indicators.case_facts import CLOSING_OUTCOMES, EXCLUDED_OUTCOMES, CaseFacts
from civicgrid.domain.indicators.formulas import compute_indicators
from civicgrid.domain.indicators.naive import compute_indicators_naive
from civicgrid.domain.indicators.ports import (
    CategoryLimits,
    Excluded,
    Span,
    TimeBudget,
    WorkingClock,
)
from civicgrid.domain.indicators.replay import extract_facts, stream_facts
from civicgrid.domain.indicators.results import Counts, Indicators, Ratio
from civicgrid.domain.indicators.selection import (
    ALL_CASES,
    CaseSelection,
    Period,
    PeriodBasis,
    is_enterprise,
)
from civicgrid.domain.indicators.table import FactTable

__all__ = [
    "ALL_CASES",
    "CLOSING_OUTCOMES",
    "EXCLUDED_OUTCOMES",
    "CaseFacts",
    "CaseSelection",
    "CategoryLimits",
    "Counts",
    "Excluded",
    "FactTable",
    "Indicators",
    "Period",
    "PeriodBasis",
    "Ratio",
    "Span",
    "TimeBudget",
    "WorkingClock",
    "compute_indicators",
    "compute_indicators_naive",
    "extract_facts",
    "is_enterprise",
    "stream_facts",
]
