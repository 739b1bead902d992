"""The principal an intake channel (12345 hotline, enterprise service) reports as.

A channel is no user: it takes reports in, as a 受理员 (case acceptor) would, over one
subtree only. The guard judges it like anybody else, so a hotline import restricted
to a district cannot file a case outside it.
"""

from __future__ import annotations

from civicgrid.domain.access.principal import Grant, Principal
from civicgrid.domain.access.roles import Role
from civicgrid.domain.areas.area import AreaPath

CHANNEL_USER_ID = 0


def channel_principal(channel: str, area_code: str, area_path: AreaPath) -> Principal:
    """`channel` acting as a case acceptor over `area_path` and nothing else."""
    return Principal(
        user_id=CHANNEL_USER_ID,
        username=f"channel:{channel}",
        grants=(Grant(role=Role.CASE_ACCEPTOR, area_code=area_code, area_path=area_path),),
    )
