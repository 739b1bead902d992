"""Area tags: short labels that say what a unit has ("flood-risk", "has-underpass")."""

from __future__ import annotations

import re

from civicgrid.domain.errors import InvalidInput

TAG = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")


def check_tag(tag: str, *, field: str = "tags") -> str:
    if not TAG.match(tag):
        raise InvalidInput(
            f"tag {tag!r} must be 1-40 lower-case letters, digits and '-'", field=field
        )
    return tag
