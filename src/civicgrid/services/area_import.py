"""Importing areas: validated whole, then upserted by code, or rejected whole."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from civicgrid.domain.access import Action, Principal, authorize
from civicgrid.domain.areas import Area
from civicgrid.domain.areas.area import child_path
from civicgrid.domain.areas.geometry_rules import (
    find_children_outside_parents,
    find_overlapping_siblings,
)
from civicgrid.domain.areas.problems import ImportRejected, Problem
from civicgrid.services.ports import UnitOfWork, UpsertCounts

Progress = Callable[[str, int, int], None]
BULK_CHANGE = 1000  # rows after which the storage is asked to refresh its statistics


@dataclass(frozen=True, slots=True)
class ImportReport:
    counts: UpsertCounts

    @property
    def changed(self) -> bool:
        return bool(self.counts.created or self.counts.updated)


def import_areas(
    uow: UnitOfWork,
    areas: Sequence[Area],
    *,
    english_name: Callable[[str], str],
    actor: Principal | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Upsert `areas` by code. `actor` None means the local operator (the CLI)."""
    with uow:
        existing = uow.areas.get_many([a.code for a in areas])
        placed, problems = _place(uow, areas, existing, english_name)
        if actor is not None:
            for area in placed:
                authorize(actor, Action.ADMINISTER, area.path, f"area {area.code}")
        step = _stepper(progress, "importing areas", 3)
        step()
        problems.extend(_geometry_problems(uow, placed))
        step()
        if problems:
            raise ImportRejected(problems)
        new = [a for a in placed if a.code not in existing]
        changed = [a for a in placed if a.code in existing and a != existing[a.code]]
        uow.areas.insert(new)
        uow.areas.update(changed)
        if new or changed:
            uow.areas.bump_version()
        uow.commit()
        step()
    if len(new) + len(changed) >= BULK_CHANGE:
        uow.refresh_statistics()
    return ImportReport(
        UpsertCounts(
            created=len(new), updated=len(changed), unchanged=len(placed) - len(new) - len(changed)
        )
    )


def _stepper(progress: Progress | None, stage: str, total: int) -> Callable[[], None]:
    done = 0

    def step() -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(stage, done, total)

    return step


def _place(
    uow: UnitOfWork,
    areas: Sequence[Area],
    existing: dict[str, Area],
    english_name: Callable[[str], str],
) -> tuple[list[Area], list[Problem]]:
    """Give each area its path, checking that its parent exists and that it does not move."""
    problems: list[Problem] = []
    in_file = {a.code for a in areas}
    outside_parents = {a.parent_code for a in areas if a.parent_code} - in_file
    paths = {code: area.path for code, area in uow.areas.get_many(sorted(outside_parents)).items()}
    placed: list[Area] = []
    for area in sorted(areas, key=lambda a: (a.level, a.code)):
        where = f"area {area.code}"
        old = existing.get(area.code)
        if old is not None and old.parent_code != area.parent_code:
            problems.append(
                Problem(
                    where,
                    "parent_code",
                    f"area {area.code} is stored under {old.parent_code}, not {area.parent_code}; "
                    "import does not move areas",
                )
            )
            continue
        if area.parent_code is None:
            path = child_path(None, area.code)
        elif area.parent_code in paths:
            path = child_path(paths[area.parent_code], area.code)
        else:
            problems.append(
                Problem(
                    where,
                    "parent_code",
                    f"parent {area.parent_code} of area {area.code} is neither in the file "
                    "nor stored",
                )
            )
            continue
        paths[area.code] = path
        if old is not None and area.geometry is None and old.geometry is not None:
            # A file without polygons (a CSV) updates attributes; it does not erase shapes.
            area = replace(area, geometry=old.geometry, synthetic=old.synthetic)
        kept_name = old.name_en if old is not None else ""
        name_en = area.name_en or kept_name or english_name(area.name_zh)
        aliases = tuple(sorted(area.aliases))
        placed.append(replace(area, path=path, name_en=name_en, aliases=aliases))
    return placed, problems


def _geometry_problems(uow: UnitOfWork, placed: list[Area]) -> list[Problem]:
    with_geometry = {a.code: a for a in placed if a.geometry is not None}
    if not with_geometry:
        return []
    parent_codes = sorted({a.parent_code for a in with_geometry.values() if a.parent_code})
    stored_parents = uow.areas.get_many([c for c in parent_codes if c not in with_geometry])
    parents = {
        **stored_parents,
        **{c: with_geometry[c] for c in parent_codes if c in with_geometry},
    }
    pairs = [
        (child, parents[child.parent_code])
        for child in with_geometry.values()
        if child.parent_code in parents and parents[child.parent_code].geometry is not None
    ]
    problems = [
        Problem(f"area {p.code}", "geometry", p.message)
        for p in find_children_outside_parents(
            [(c.code, c.geometry) for c, _ in pairs],
            [(p.code, p.geometry) for _, p in pairs],
        )
    ]
    siblings: dict[str, dict[str, Area]] = defaultdict(dict)
    for stored in uow.areas.children_of(parent_codes):
        if stored.geometry is not None:
            siblings[stored.parent_code or ""][stored.code] = stored
    for area in with_geometry.values():
        siblings[area.parent_code or ""][area.code] = area
    for group in siblings.values():
        problems.extend(
            Problem(f"area {p.code}", "geometry", p.message)
            for p in find_overlapping_siblings([(a.code, a.geometry) for a in group.values()])
        )
    return problems
