"""What the 三标 use cases need from storage."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Protocol

from civicgrid.domain.areas.area import AreaPath
from civicgrid.domain.sanbiao.catalogue import IndicatorDef
from civicgrid.domain.sanbiao.chains import Chain, Project
from civicgrid.domain.sanbiao.conversion import Lesson, LessonAction
from civicgrid.domain.sanbiao.milestones import Milestone
from civicgrid.domain.sanbiao.peers import Peer, PeerGroup, PeerValue, Practice
from civicgrid.domain.sanbiao.standards import Standard
from civicgrid.domain.sanbiao.values import ValueVersion
from civicgrid.services.ports import UnitOfWork
from civicgrid.services.sensor_ports import StoredAlert


class IndicatorStore(Protocol):
    def custom_indicators(self) -> list[IndicatorDef]: ...

    def add_indicator(self, indicator: IndicatorDef) -> None: ...

    def value_history(self, indicator: str, area_code: str, period: str) -> list[ValueVersion]:
        """Every version, oldest first."""

    def add_value(self, value: ValueVersion, area_path: AreaPath) -> None: ...

    def current_values(
        self, indicator: str, root: AreaPath, period: str | None = None
    ) -> list[tuple[AreaPath, ValueVersion]]:
        """The latest version of each (area, period) in the subtree at `root`."""


class BenchmarkStore(Protocol):
    def add_peer(self, peer: Peer) -> int: ...

    def peers(self) -> list[Peer]: ...

    def set_peer_value(self, value: PeerValue) -> None:
        """Insert, or replace the value for that peer, indicator and year."""

    def peer_values(self, indicator: str | None = None) -> list[PeerValue]: ...

    def add_group(self, group: PeerGroup) -> int: ...

    def groups(self) -> list[PeerGroup]: ...

    def add_practice(self, practice: Practice) -> int: ...

    def practices(self) -> list[Practice]: ...


class StandardStore(Protocol):
    def save_standard(self, standard: Standard, area_path: AreaPath, at: datetime) -> int:
        """Insert, or replace the standard for that (area, indicator, period)."""

    def standards(
        self, root: AreaPath, indicator: str | None = None, period: str | None = None
    ) -> list[Standard]: ...

    def get_standard(self, standard_id: int) -> tuple[Standard, AreaPath] | None: ...


class ProgressStore(Protocol):
    def add_milestone(self, milestone: Milestone, area_path: AreaPath, by: str) -> int: ...

    def milestones(self, root: AreaPath, indicator: str | None = None) -> list[Milestone]: ...

    def get_milestone(self, milestone_id: int) -> tuple[Milestone, AreaPath] | None: ...

    def update_milestone(
        self,
        milestone_id: int,
        *,
        evidence: Sequence[str],
        approved_by: str | None,
        achieved_on: date | None,
    ) -> None: ...

    def add_lesson(self, lesson: Lesson, area_path: AreaPath) -> int: ...

    def lessons(self, root: AreaPath) -> list[Lesson]: ...

    def get_lesson(self, lesson_id: int) -> tuple[Lesson, AreaPath] | None: ...

    def add_action(self, action: LessonAction) -> int: ...

    def actions(self, lesson_ids: Sequence[int]) -> list[LessonAction]: ...

    def add_chain(self, chain: Chain, area_path: AreaPath) -> int: ...

    def chains(self, root: AreaPath) -> list[Chain]: ...

    def get_chain(self, chain_id: int) -> tuple[Chain, AreaPath] | None: ...

    def add_project(self, project: Project, area_path: AreaPath) -> int: ...

    def projects(self, root: AreaPath) -> list[Project]: ...

    def get_project(self, project_id: int) -> tuple[Project, AreaPath] | None: ...

    def update_project(self, project: Project) -> None: ...


class SanbiaoRepository(IndicatorStore, BenchmarkStore, StandardStore, ProgressStore, Protocol):
    pass


class AlertHistory(Protocol):
    """The one alert read the computed alert indicators need."""

    def fired_between(
        self, root: AreaPath, start: datetime, end: datetime
    ) -> list[StoredAlert]: ...


class SanbiaoUnitOfWork(UnitOfWork, Protocol):
    sanbiao: SanbiaoRepository
    alerts: AlertHistory
