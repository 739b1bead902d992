"""What goes into the ingestion pipeline and what comes out of it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

import numpy as np
import numpy.typing as npt

from civicgrid.domain.alerts import AlertEvent
from civicgrid.services.area_chains import AreaChainProvider
from civicgrid.services.case_ports import CaseRules
from civicgrid.services.feed import FeedPublisher
from civicgrid.services.ports import LocatorProvider


@dataclass(frozen=True, slots=True)
class IncomingReadings:
    sensor_ids: list[str]
    ts_ms: npt.NDArray[np.int64]
    values: npt.NDArray[np.float64]
    rows: npt.NDArray[np.int64]  # each reading's row number in the request
    rejected: list[tuple[int, str]] = field(default_factory=list)  # rows that did not decode
    senders: list[str] | None = None  # per reading, the device that sent it (MQTT topics)


@dataclass(frozen=True, slots=True)
class Device:
    subject: str  # a sensor id or a gateway id
    kind: str  # sensor | gateway


@dataclass(frozen=True, slots=True)
class IngestResult:
    accepted: int
    late: int  # accepted and stored, but not evaluated
    duplicates: list[int]  # row numbers
    rejected: list[tuple[int, str]]  # (row number, reason)
    events: list[AlertEvent]


@dataclass(frozen=True, slots=True)
class CaseContext:
    """What opening cases needs; without it alerts are stored but open no case."""

    locators: LocatorProvider
    case_rules: CaseRules
    feed: FeedPublisher | None = None
    chains: AreaChainProvider | None = None  # one per process: areas' chains, cached


@dataclass
class PipelineSettings:
    partition: str = "default"
    max_lateness: timedelta = timedelta(hours=1)
    future_skew: timedelta = timedelta(minutes=5)
    reuse_window: timedelta = timedelta(hours=2)
    snapshot_every: timedelta = timedelta(seconds=30)
    owns: Callable[[str], bool] | None = None  # a partition's share of the sensors
