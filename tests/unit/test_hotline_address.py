"""Placing 12345 addresses among area names written with their usual suffix variants."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from civicgrid.domain.areas import Level
from civicgrid.domain.errors import InvalidInput
from civicgrid.domain.hotline import AddressIndex, PlaceName, name_forms

PLACES = [
    PlaceName("410102", Level.DISTRICT, "/410100/410102/", "中原区"),
    PlaceName("410103", Level.DISTRICT, "/410100/410103/", "二七区"),
    PlaceName("410102001", Level.STREET, "/410100/410102/410102001/", "林山寨街道"),
    PlaceName("410103001", Level.STREET, "/410100/410103/410103001/", "淮河路街道"),
    PlaceName("410103100", Level.STREET, "/410100/410103/410103100/", "马寨镇"),
    PlaceName(
        "410102001001",
        Level.COMMUNITY,
        "/410100/410102/410102001/410102001001/",
        "互助路社区居委会",
    ),
    PlaceName(
        "410103001001",
        Level.COMMUNITY,
        "/410100/410103/410103001/410103001001/",
        "淮河社区居民委员会",
    ),
    PlaceName(
        "410103001002", Level.COMMUNITY, "/410100/410103/410103001/410103001002/", "互助路社区"
    ),
    PlaceName(
        "410103100001",
        Level.COMMUNITY,
        "/410100/410103/410103100/410103100001/",
        "齐礼阎村民委员会",
    ),
]
INDEX = AddressIndex(PLACES)
DATA = Path(__file__).parents[2] / "src/civicgrid/data/zhengzhou"


def test_a_name_is_known_by_its_usual_suffix_variants() -> None:
    assert name_forms("淮河路街道", Level.STREET) == {
        "淮河路街道",
        "淮河路街道办事处",
        "淮河路街道办",
        "淮河路办事处",
    }
    assert {"淮河社区", "淮河居委会", "淮河社区居委会"} <= name_forms(
        "淮河社区居民委员会", Level.COMMUNITY
    )
    assert {"齐礼阎村", "齐礼阎村委会"} <= name_forms("齐礼阎村民委员会", Level.COMMUNITY)
    assert "马寨镇人民政府" in name_forms("马寨镇", Level.STREET)
    assert name_forms("中原区", Level.DISTRICT) == {"中原区"}


@pytest.mark.parametrize(
    ("address", "code", "level"),
    [
        ("郑州市二七区淮河路办事处淮河社区居委会东100米", "410103001001", Level.COMMUNITY),
        ("淮河社区南门", "410103001001", Level.COMMUNITY),
        ("二七区淮河路街道办事处对面工地", "410103001", Level.STREET),
        ("中原区林山寨街道 建设路 88 号", "410102001", Level.STREET),
        ("二七区马寨镇齐礼阎村委会", "410103100001", Level.COMMUNITY),
        ("马寨镇人民政府门口", "410103100", Level.STREET),
    ],
)
def test_the_deepest_named_area_is_found(address: str, code: str, level: Level) -> None:
    placed = INDEX.place(address)
    assert (placed.code, placed.level) == (code, level)


def test_the_match_lists_the_names_found_from_the_district_down() -> None:
    assert INDEX.place("二七区淮河路街道淮河社区").matched == (
        "二七区",
        "淮河路街道",
        "淮河社区居民委员会",
    )


def test_a_community_name_two_streets_share_is_settled_by_the_district_or_street() -> None:
    assert INDEX.place("中原区互助路社区").code == "410102001001"
    assert INDEX.place("淮河路街道互助路社区").code == "410103001002"
    with pytest.raises(InvalidInput, match="ambiguous") as caught:
        INDEX.place("互助路社区居委会旁")
    assert "410102001001" in caught.value.message
    assert "410103001002" in caught.value.message


def test_a_community_that_contradicts_the_street_named_falls_back_to_the_street() -> None:
    placed = INDEX.place("林山寨街道淮河社区")  # 淮河社区 is not in 林山寨街道
    assert (placed.code, placed.level) == ("410102001", Level.STREET)


def test_an_address_naming_only_a_district_is_refused_with_the_reason() -> None:
    with pytest.raises(InvalidInput, match=r"names only the district \(二七区\)"):
        INDEX.place("郑州市二七区某小区")


def test_an_address_naming_nothing_known_is_refused() -> None:
    with pytest.raises(InvalidInput, match="names no district, street or community"):
        INDEX.place("北京市朝阳区")
    with pytest.raises(InvalidInput, match="no address"):
        INDEX.place("   ")


def test_a_bare_core_name_without_a_suffix_does_not_match() -> None:
    # 淮河路 is a road; without 社区/街道 it names no area.
    with pytest.raises(InvalidInput):
        INDEX.place("淮河路与大学路交叉口")


def _zhengzhou() -> list[PlaceName]:
    with (DATA / "divisions_nbs2023.csv").open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    by_code = {row["code"]: row for row in rows}
    levels = {"3": Level.DISTRICT, "4": Level.STREET, "5": Level.COMMUNITY}

    def path(code: str) -> str:
        chain = []
        while code in by_code and by_code[code]["level"] in levels:
            chain.insert(0, code)
            code = by_code[code]["parent_code"]
        return "/410100/" + "/".join(chain) + "/"

    return [
        PlaceName(row["code"], levels[row["level"]], path(row["code"]), row["name"])
        for row in rows
        if row["level"] in levels
    ]


def test_every_zhengzhou_community_is_found_from_the_way_people_write_it() -> None:
    """3,306 real 社区/村 names: "…区…街道…社区" (or "…村") finds each one exactly."""
    places = _zhengzhou()
    index = AddressIndex(places)
    by_code = {p.code: p for p in places}
    communities = [p for p in places if p.level is Level.COMMUNITY]
    assert len(communities) > 3000
    missed = []
    for place in communities:
        street = by_code[place.path.strip("/").split("/")[-2]]
        district = by_code[place.path.strip("/").split("/")[-3]]
        short = place.name_zh
        for long_form, written in (
            ("社区居民委员会", "社区"),
            ("社区居委会", "社区"),
            ("居民委员会", "社区"),
            ("村民委员会", "村"),
            ("村委会", "村"),
        ):
            if short.endswith(long_form):
                short = short[: -len(long_form)] + written
                break
        for address in (
            f"郑州市{district.name_zh}{street.name_zh}{short}东门",
            f"{district.name_zh}{street.name_zh}{place.name_zh}",  # the official name, last
        ):
            try:
                found = index.place(address).code
            except InvalidInput as error:
                found = error.message
            if found != place.code:
                missed.append((address, found))
    assert missed == []


def test_every_zhengzhou_street_is_found_from_its_district_and_name() -> None:
    places = _zhengzhou()
    index = AddressIndex(places)
    by_code = {p.code: p for p in places}
    streets = [p for p in places if p.level is Level.STREET]
    assert len(streets) > 200
    missed = []
    for street in streets:
        district = by_code[street.path.strip("/").split("/")[-2]]
        address = f"{district.name_zh}{street.name_zh}办公楼"
        placed = index.place(address)
        if (placed.code, placed.level) != (street.code, Level.STREET):
            missed.append(address)
    assert missed == []


def test_a_name_inside_a_longer_name_at_the_end_of_the_address_is_not_matched() -> None:
    index = AddressIndex(
        [
            PlaceName("1", Level.COMMUNITY, "/1/", "小李庄村委会"),
            PlaceName("2", Level.COMMUNITY, "/2/", "李庄村委会"),
        ]
    )
    assert index.place("小李庄村委会").code == "1"
    assert index.place("李庄村委会").code == "2"
