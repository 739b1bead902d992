"""/api/v1/sensors: the sensor register, as far as the caller may see."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from civicgrid.api.deps import ContainerDep, CurrentPrincipal
from civicgrid.api.errors import ERROR_RESPONSES
from civicgrid.api.schemas.iot import SensorList, SensorPublic
from civicgrid.services.sensors import list_sensors

router = APIRouter(prefix="/api/v1/sensors", tags=["sensors"], responses=ERROR_RESPONSES)


@router.get("")
def get_sensors(
    container: ContainerDep,
    principal: CurrentPrincipal,
    type: Annotated[str | None, Query(max_length=32)] = None,
    offset: Annotated[int, Query(ge=0, le=2**31 - 1)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> SensorList:
    """Sensors in the caller's subtree, by id."""
    page = list_sensors(
        container.iot_uow(), principal, sensor_type=type, offset=offset, limit=limit
    )
    return SensorList(data=[SensorPublic.of(s) for s in page.items], count=page.count)
