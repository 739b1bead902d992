"""The alert pipeline as the reporter of a case: no person in between."""

from __future__ import annotations

from dataclasses import dataclass

from civicgrid.domain.access import Principal

SENSOR_USER_ID = -2
"""No user has it: user ids start at 1, the local operator is 0, the public -1."""


@dataclass(frozen=True, slots=True)
class SensorReporter:
    """Opens cases in the workflow's SYSTEM position, for sensor and video sources only.

    It holds no grant: it reads and operates nowhere else, and the cases it opens are
    those its alerts route to a micro-grid.
    """

    ref: str  # "sensor:<id>" or "camera:<id>"

    @property
    def principal(self) -> Principal:
        return Principal(user_id=SENSOR_USER_ID, username=self.ref, grants=())
