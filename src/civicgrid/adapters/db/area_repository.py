"""Areas on SQLAlchemy. Subtrees are prefix ranges over the indexed materialized path."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar
from uuid import uuid4

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry
from sqlalchemy import Row, Select, delete, func, insert, select, update
from sqlalchemy.orm import Session, defer

from civicgrid.adapters.db.base import Base
from civicgrid.adapters.db.tables import AreaAliasRow, AreaRow, MetaRow
from civicgrid.domain.areas import Area, AreaPath, Level
from civicgrid.domain.areas.area import path_codes
from civicgrid.services.ports import Page

_VERSION_KEY = "areas_version"
_CHUNK = 500  # stays under SQLite's bound-parameter limit with room to spare

_AREAS = Base.metadata.tables["areas"]
_ALIASES = Base.metadata.tables["area_aliases"]


def _path_range(root: AreaPath) -> tuple[str, str]:
    # Paths end in "/" and hold only digits and "/": every descendant sorts in
    # [root, root with its final "/" replaced by "0"), the character after "/".
    return root, root[:-1] + "0"


T = TypeVar("T")


def _chunks(items: Sequence[T]) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


_VERSION = select(MetaRow.value).where(MetaRow.key == _VERSION_KEY)


class SqlAreaRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def _select(self, with_geometry: bool) -> Select[AreaRow]:
        stmt = select(AreaRow)
        if not with_geometry:
            stmt = stmt.options(defer(AreaRow.geometry))
        return stmt

    def _to_domain(self, rows: Sequence[Row[AreaRow]], with_geometry: bool) -> list[Area]:
        ids = [row.id for (row,) in rows]
        aliases: dict[int, list[str]] = {}
        for chunk in _chunks(ids):
            for alias_code, area_id in self._session.execute(
                select(AreaAliasRow.alias_code, AreaAliasRow.area_id).where(
                    AreaAliasRow.area_id.in_(chunk)
                )
            ):
                aliases.setdefault(area_id, []).append(alias_code)
        geometries: list[BaseGeometry | None] = [None] * len(rows)
        if with_geometry:
            blobs = [row.geometry for (row,) in rows]
            present = [i for i, blob in enumerate(blobs) if blob is not None]
            if present:
                decoded = shapely.from_wkb(np.array([blobs[i] for i in present], dtype=object))
                for i, geom in zip(present, decoded, strict=True):
                    geometries[i] = geom
        return [
            Area(
                code=row.code,
                level=Level(row.level),
                name_zh=row.name_zh,
                name_en=row.name_en,
                parent_code=_parent_code(row.path),
                geometry=geometries[i],
                synthetic=row.synthetic,
                households=row.households,
                aliases=tuple(sorted(aliases.get(row.id, ()))),
                source=row.source,
                path=row.path,
            )
            for i, (row,) in enumerate(rows)
        ]

    def get(self, code: str, *, with_geometry: bool = True) -> Area | None:
        stmt = self._select(with_geometry).where(AreaRow.code == code)
        row = self._session.execute(stmt).first()
        if row is None:
            alias_of = select(AreaAliasRow.area_id).where(AreaAliasRow.alias_code == code)
            stmt = self._select(with_geometry).where(AreaRow.id.in_(alias_of))
            row = self._session.execute(stmt).first()
        return None if row is None else self._to_domain([row], with_geometry)[0]

    def get_by_path(self, paths: Sequence[AreaPath]) -> list[Area]:
        stmt = self._select(False).where(AreaRow.path.in_(paths)).order_by(AreaRow.path)
        return self._to_domain(self._session.execute(stmt).all(), False)

    def get_many(self, codes: Sequence[str]) -> dict[str, Area]:
        found: dict[str, Area] = {}
        for chunk in _chunks(list(codes)):
            rows = self._session.execute(self._select(True).where(AreaRow.code.in_(chunk)))
            for area in self._to_domain(rows.all(), True):
                found[area.code] = area
        return found

    def children_of(self, codes: Sequence[str]) -> list[Area]:
        children: list[Area] = []
        for chunk in _chunks(list(codes)):
            parents = select(AreaRow.id).where(AreaRow.code.in_(chunk))
            stmt = self._select(True).where(AreaRow.parent_id.in_(parents)).order_by(AreaRow.code)
            children.extend(self._to_domain(self._session.execute(stmt).all(), True))
        return children

    def subtree(
        self,
        root: AreaPath,
        *,
        level: Level | None,
        offset: int,
        limit: int,
        with_geometry: bool,
        include_root: bool = True,
    ) -> Page[Area]:
        low, high = _path_range(root)
        where = [AreaRow.path >= low, AreaRow.path < high]
        if not include_root:
            where.append(AreaRow.path != root)
        if level is not None:
            where.append(AreaRow.level == int(level))
        count = self._session.execute(select(func.count()).where(*where)).scalar_one()
        stmt = self._select(with_geometry).where(*where).order_by(AreaRow.path)
        rows = self._session.execute(stmt.offset(offset).limit(limit)).all()
        return Page(items=self._to_domain(rows, with_geometry), count=count)

    def insert(self, areas: Sequence[Area]) -> None:
        ids = self._ids_of({a.parent_code for a in areas if a.parent_code})
        for level in sorted({a.level for a in areas}):
            batch = [a for a in areas if a.level == level]
            rows = [_row_values(a) | {"parent_id": ids.get(a.parent_code or "")} for a in batch]
            # Plain Core executemany: on PostgreSQL it runs several times faster than
            # the ORM's bulk insert with RETURNING. Ids are read back per level after.
            connection = self._session.connection()
            for chunk in _chunks(rows):
                connection.execute(insert(_AREAS), list(chunk))
            stmt = select(AreaRow.code, AreaRow.id).where(AreaRow.level == int(level))
            ids.update(self._session.execute(stmt).all())
        aliases = [
            {"alias_code": alias, "area_id": ids[a.code]} for a in areas for alias in a.aliases
        ]
        for chunk in _chunks(aliases):
            self._session.connection().execute(insert(_ALIASES), list(chunk))

    def update(self, areas: Sequence[Area]) -> None:
        ids = self._ids_of({a.code for a in areas})
        for area in areas:
            area_id = ids[area.code]
            self._session.execute(
                update(AreaRow).where(AreaRow.id == area_id).values(**_row_values(area))
            )
            self._session.execute(delete(AreaAliasRow).where(AreaAliasRow.area_id == area_id))
            if area.aliases:
                self._session.execute(
                    insert(AreaAliasRow),
                    [{"alias_code": alias, "area_id": area_id} for alias in area.aliases],
                )

    def level_geometries(self, level: Level) -> tuple[list[str], list[BaseGeometry]]:
        stmt = (
            select(AreaRow.code, AreaRow.geometry)
            .where(AreaRow.level == int(level), AreaRow.geometry.is_not(None))
            .order_by(AreaRow.code)
        )
        rows = self._session.execute(stmt).all()
        codes = [code for code, _ in rows]
        blobs = np.array([blob for _, blob in rows], dtype=object)
        return codes, list(shapely.from_wkb(blobs)) if rows else []

    def version(self) -> str:
        # Read by every intake batch: Core on the session's connection, not an ORM query
        # (which would first flush a version row added in this transaction; do so here).
        if self._session.new:
            self._session.flush()
        found = self._session.connection().execute(_VERSION).scalar_one_or_none()
        return found or "empty"

    def bump_version(self) -> None:
        new = uuid4().hex
        changed = self._session.execute(
            update(MetaRow).where(MetaRow.key == _VERSION_KEY).values(value=new)
        )
        if changed.rowcount == 0:  # type: ignore[attr-defined]
            self._session.add(MetaRow(key=_VERSION_KEY, value=new))

    def _ids_of(self, codes: set[str]) -> dict[str, int]:
        ids: dict[str, int] = {}
        for chunk in _chunks(sorted(codes)):
            stmt = select(AreaRow.code, AreaRow.id).where(AreaRow.code.in_(chunk))
            ids.update(self._session.execute(stmt).all())
        return ids


def _row_values(area: Area) -> dict[str, object]:
    geometry = area.geometry
    bounds = geometry.bounds if geometry is not None else (None, None, None, None)
    return {
        "code": area.code,
        "level": int(area.level),
        "path": area.path,
        "name_zh": area.name_zh,
        "name_en": area.name_en,
        "households": area.households,
        "synthetic": area.synthetic,
        "source": area.source,
        "geometry": shapely.to_wkb(geometry) if geometry is not None else None,
        "min_lon": bounds[0],
        "min_lat": bounds[1],
        "max_lon": bounds[2],
        "max_lat": bounds[3],
    }


def _parent_code(path: AreaPath) -> str | None:
    # The path names every ancestor, so the parent needs no join.
    codes = path_codes(path)
    return codes[-2] if len(codes) > 1 else None
