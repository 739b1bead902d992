"""The enterprise registry of 万人助万企 and the requests enterprises make."""

from civicgrid.domain.enterprises.enterprise import (
    Enterprise,
    EnterpriseDraft,
    HistoryEntry,
    HistoryKind,
)
from civicgrid.domain.enterprises.requests import ENTERPRISE_SERVICE_CLASS, RequestKind
from civicgrid.domain.enterprises.uscc import check_uscc

__all__ = [
    "ENTERPRISE_SERVICE_CLASS",
    "Enterprise",
    "EnterpriseDraft",
    "HistoryEntry",
    "HistoryKind",
    "RequestKind",
    "check_uscc",
]
