from __future__ import annotations

from dataclasses import replace

import pytest
from shapely.geometry import box

from civicgrid.bootstrap import Container
from civicgrid.domain.access import local_operator
from civicgrid.domain.areas import Area, Level
from civicgrid.domain.areas.problems import ImportRejected
from civicgrid.services.area_import import import_areas
from civicgrid.services.areas import get_area, list_subtree
from tests.factories import small_city


def load(container: Container, areas: list[Area]) -> None:
    import_areas(container.uow(), areas, english_name=container.english_name)


def count_at(container: Container, code: str, level: Level | None = None) -> int:
    return list_subtree(container.uow(), local_operator(), code, level=level, page_size=1).count


def test_importing_a_city_stores_every_level_under_its_parent(container: Container) -> None:
    report = import_areas(container.uow(), small_city(), english_name=container.english_name)
    assert report.counts.created == 63
    assert count_at(container, "410100") == 63
    assert count_at(container, "410102", Level.MICRO_GRID) == 16
    assert count_at(container, "410102001", Level.GRID) == 4


def test_reimporting_the_same_areas_changes_nothing(container: Container) -> None:
    load(container, small_city())
    version = _version(container)
    report = import_areas(container.uow(), small_city(), english_name=container.english_name)
    assert (report.counts.created, report.counts.updated, report.counts.unchanged) == (0, 0, 63)
    assert _version(container) == version


def test_a_changed_name_is_updated_in_place(container: Container) -> None:
    areas = small_city()
    load(container, areas)
    renamed = [replace(a, name_zh="新名字") if a.code == "410102001" else a for a in areas]
    report = import_areas(container.uow(), renamed, english_name=container.english_name)
    assert report.counts.updated == 1
    assert (
        get_area(container.uow(), local_operator(), "410102001", with_geometry=False).name_zh
        == "新名字"
    )


def test_a_child_outside_its_parent_rejects_the_whole_file_and_names_the_area(
    container: Container,
) -> None:
    areas = small_city()
    stray = next(a for a in areas if a.code == "41010200100100101")
    bad = [replace(a, geometry=box(113.9, 34.9, 114.5, 35.5)) if a is stray else a for a in areas]
    with pytest.raises(ImportRejected) as caught:
        load(container, bad)
    messages = [p.message for p in caught.value.problems]
    assert any("41010200100100101" in m and "outside its parent" in m for m in messages)
    assert count_at_or_none(container) == 0


def test_overlapping_siblings_are_reported_with_both_codes(container: Container) -> None:
    areas = small_city()
    first, second = "41010200100100101", "41010200100100102"
    second_box = next(a for a in areas if a.code == second).geometry
    bad = [replace(a, geometry=second_box) if a.code == first else a for a in areas]
    with pytest.raises(ImportRejected) as caught:
        load(container, bad)
    assert any(first in p.message and second in p.message for p in caught.value.problems)


def test_an_area_whose_parent_is_missing_is_reported(container: Container) -> None:
    orphan = Area(
        code="410199001", level=Level.STREET, name_zh="孤儿", name_en="", parent_code="410199"
    )
    with pytest.raises(ImportRejected, match="parent 410199 of area 410199001"):
        load(container, [orphan])


def test_import_refuses_to_move_an_area_to_another_parent(container: Container) -> None:
    load(container, small_city())
    moved = Area(
        code="410102001", level=Level.STREET, name_zh="x", name_en="x", parent_code="410103"
    )
    with pytest.raises(ImportRejected, match="does not move areas"):
        load(container, [moved])


def test_alias_codes_find_the_same_area(container: Container) -> None:
    areas = [
        replace(a, aliases=("410102099",)) if a.code == "410102001" else a for a in small_city()
    ]
    load(container, areas)
    found = get_area(container.uow(), local_operator(), "410102099", with_geometry=False)
    assert found.code == "410102001"
    assert found.aliases == ("410102099",)


def test_english_names_are_filled_from_pinyin_when_missing(container: Container) -> None:
    city = replace(small_city()[0], name_zh="郑州市", name_en="")
    load(container, [city])
    stored = get_area(container.uow(), local_operator(), "410100", with_geometry=False)
    assert stored.name_en == "Zhengzhou City"


def test_subtree_pages_follow_path_order_without_gaps(container: Container) -> None:
    load(container, small_city())
    seen: list[str] = []
    for page in (1, 2, 3):
        found = list_subtree(
            container.uow(),
            local_operator(),
            "410102",
            level=Level.MICRO_GRID,
            page=page,
            page_size=7,
        )
        seen.extend(a.code for a in found.items)
    assert len(seen) == 16
    assert seen == sorted(seen)
    assert len(set(seen)) == 16


def test_geometry_round_trips_through_storage(container: Container) -> None:
    areas = small_city()
    load(container, areas)
    stored = get_area(container.uow(), local_operator(), "41010300200200202", with_geometry=True)
    original = next(a for a in areas if a.code == "41010300200200202")
    assert stored.geometry is not None
    assert stored.geometry.equals_exact(original.geometry, 0)
    assert stored.synthetic is True


def _version(container: Container) -> str:
    with container.uow() as uow:
        return uow.areas.version()


def count_at_or_none(container: Container) -> int:
    with container.uow() as uow:
        return uow.areas.subtree("/", level=None, offset=0, limit=1, with_geometry=False).count
