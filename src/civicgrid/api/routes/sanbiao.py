"""三标 (找标杆 提标准 见标志): one router gathering every 三标 resource."""

from __future__ import annotations

from fastapi import APIRouter

from civicgrid.api.routes import (
    sanbiao_benchmarks,
    sanbiao_indicators,
    sanbiao_progress,
    sanbiao_standards,
)

router = APIRouter()
for part in (sanbiao_indicators, sanbiao_benchmarks, sanbiao_standards, sanbiao_progress):
    router.include_router(part.router)
