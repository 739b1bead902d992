"""Who may issue, and what a directive must say before it goes out."""

from __future__ import annotations

from datetime import datetime

from civicgrid.domain.access import Principal, Role
from civicgrid.domain.areas import AreaPath
from civicgrid.domain.areas.area import is_within
from civicgrid.domain.directives.model import Content
from civicgrid.domain.errors import Forbidden, InvalidInput

# The officers who run an area (and the city's administrators) direct the units below.
ISSUING_ROLES = frozenset(
    {Role.CITY_ADMIN, Role.DISTRICT_OFFICER, Role.STREET_OFFICER, Role.COMMUNITY_OFFICER}
)
MAX_TITLE = 200
MAX_BODY = 20_000


def access_issuer_area(principal: Principal, issuer_path: AreaPath, what: str) -> None:
    """Raise Forbidden unless `principal` holds an issuing role at or above `issuer_path`."""
    for grant in principal.grants:
        if grant.role in ISSUING_ROLES and is_within(issuer_path, grant.area_path):
            return
    raise Forbidden(
        f"{principal.username} may not {what}: it takes an officer's role over that area"
    )


def check_content(content: Content, now: datetime, previous: Content | None = None) -> None:
    """`previous`: the version being revised; deadlines it had already need not be future."""
    if not content.title_zh.strip():
        raise InvalidInput("title_zh is required", field="title_zh")
    if len(content.title_zh) > MAX_TITLE or len(content.title_en) > MAX_TITLE:
        raise InvalidInput(f"a title has at most {MAX_TITLE} characters", field="title_zh")
    if len(content.body_zh) > MAX_BODY or len(content.body_en) > MAX_BODY:
        raise InvalidInput(f"a body has at most {MAX_BODY} characters", field="body_zh")
    sign, done = content.sign_deadline_at, content.complete_deadline_at
    for name, moment in (("sign_deadline_at", sign), ("complete_deadline_at", done)):
        if moment is not None and moment.tzinfo is None:
            raise InvalidInput(f"{name} must say its time zone", field=name)
        unchanged = previous is not None and getattr(previous, name) == moment
        if moment is not None and moment <= now and not unchanged:
            raise InvalidInput(f"{name} must lie in the future", field=name)
    if sign is not None and done is not None and sign > done:
        raise InvalidInput(
            "sign_deadline_at must not fall after complete_deadline_at", field="sign_deadline_at"
        )
