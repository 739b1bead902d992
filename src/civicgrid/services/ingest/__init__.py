"""Ingestion: a batch of readings checked, evaluated by the alert engine and stored with
its alerts; the cases of new alerts opened after the commit."""

from civicgrid.domain.alerts import Silence
from civicgrid.services.ingest.batch import (
    CaseContext,
    Device,
    IncomingReadings,
    IngestResult,
    PipelineSettings,
)
from civicgrid.services.ingest.pipeline import AlertPipeline

__all__ = [
    "AlertPipeline",
    "CaseContext",
    "Device",
    "IncomingReadings",
    "IngestResult",
    "PipelineSettings",
    "Silence",
]
