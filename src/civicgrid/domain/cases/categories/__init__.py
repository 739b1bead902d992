"""The case category tree: 部件 components and 事件 events, in major and minor classes.

Codes follow the layout of CJ/T 214 / GB/T 30428.2: two digits name a major class (大类)
and a minor class (小类) adds two more, so "0101" lies under "01". The two kinds are
numbered independently: "0101" is both a component and an event, and a minor class's
`key` ("component:0101") is what is unique across the tree.

Each minor class carries the rules a case of its kind runs by: when to file it, how long
handling may take, when to close it, which department handles it and who acts first.
Its time limits are the working calendar's `TimeLimit` (`civicgrid.domain.calendar`).
"""

from civicgrid.domain.cases.categories.checks import (
    MAX_DUPLICATE_RADIUS_M,
    MAX_DUPLICATE_WINDOW_H,
    tree_problems,
)
from civicgrid.domain.cases.categories.classes import (
    CategoryKind,
    Department,
    MajorClass,
    MinorClass,
    Responsibility,
    Season,
    Text,
)
from civicgrid.domain.cases.categories.step_limits import (
    DEFAULT_STAGE_LIMITS,
    MAX_LIMIT_VALUE,
    STEPS_WITH_DEFAULTS,
    StageDefaults,
    StageOverrides,
    Step,
    limit_value_problem,
)
from civicgrid.domain.cases.categories.tree import CategoryTree, UnknownCategory

__all__ = [
    "DEFAULT_STAGE_LIMITS",
    "MAX_DUPLICATE_RADIUS_M",
    "MAX_DUPLICATE_WINDOW_H",
    "MAX_LIMIT_VALUE",
    "STEPS_WITH_DEFAULTS",
    "CategoryKind",
    "CategoryTree",
    "Department",
    "MajorClass",
    "MinorClass",
    "Responsibility",
    "Season",
    "StageDefaults",
    "StageOverrides",
    "Step",
    "Text",
    "UnknownCategory",
    "limit_value_problem",
    "tree_problems",
]
