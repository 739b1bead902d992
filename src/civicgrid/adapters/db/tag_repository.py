"""Area tags on SQLAlchemy."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from civicgrid.adapters.db.tables import AreaRow, AreaTagRow
from civicgrid.domain.areas import AreaPath

_CHUNK = 500


def path_range(root: AreaPath) -> tuple[str, str]:
    """Every descendant's path sorts in [root, root with its last "/" as "0")."""
    return root, root[:-1] + "0"


class SqlAreaTagRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def _area_id(self, area_path: AreaPath) -> int:
        return self._session.execute(
            select(AreaRow.id).where(AreaRow.path == area_path)
        ).scalar_one()

    def tags_of(self, area_path: AreaPath) -> list[str]:
        stmt = (
            select(AreaTagRow.tag)
            .join(AreaRow, AreaRow.id == AreaTagRow.area_id)
            .where(AreaRow.path == area_path)
            .order_by(AreaTagRow.tag)
        )
        return list(self._session.execute(stmt).scalars())

    def set_tags(self, area_path: AreaPath, add: Sequence[str], remove: Sequence[str]) -> None:
        area_id = self._area_id(area_path)
        if remove:
            self._session.execute(
                delete(AreaTagRow).where(
                    AreaTagRow.area_id == area_id, AreaTagRow.tag.in_(list(remove))
                )
            )
        have = set(self.tags_of(area_path))
        new = [{"tag": tag, "area_id": area_id} for tag in dict.fromkeys(add) if tag not in have]
        if new:
            self._session.execute(insert(AreaTagRow), new)

    def tag_paths(self, paths: Sequence[AreaPath], tag: str) -> int:
        added = 0
        for start in range(0, len(paths), _CHUNK):
            chunk = list(paths[start : start + _CHUNK])
            tagged = select(AreaTagRow.area_id).where(AreaTagRow.tag == tag)
            ids = list(
                self._session.execute(
                    select(AreaRow.id).where(AreaRow.path.in_(chunk), AreaRow.id.not_in(tagged))
                ).scalars()
            )
            if ids:
                self._session.execute(insert(AreaTagRow), [{"tag": tag, "area_id": i} for i in ids])
            added += len(ids)
        return added

    def known(self, within: AreaPath) -> dict[str, int]:
        low, high = path_range(within)
        stmt = (
            select(AreaTagRow.tag, func.count())
            .join(AreaRow, AreaRow.id == AreaTagRow.area_id)
            .where(AreaRow.path >= low, AreaRow.path < high)
            .group_by(AreaTagRow.tag)
            .order_by(AreaTagRow.tag)
        )
        return dict(self._session.execute(stmt).all())
