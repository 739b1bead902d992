from __future__ import annotations

import pytest

from civicgrid.adapters.pinyin import to_english


@pytest.mark.parametrize(
    ("name_zh", "name_en"),
    [
        ("郑州市", "Zhengzhou City"),
        ("金水区", "Jinshui District"),
        ("中牟县", "Zhongmu County"),
        ("巩义市", "Gongyi City"),
        ("花园路街道", "Huayuan Road Subdistrict"),
        ("林山寨街道", "Linshanzhai Subdistrict"),
        ("德化街街道", "Dehua Street Subdistrict"),
        ("马寨镇", "Mazhai Town"),
        ("刁家乡", "Diaojia Township"),
    ],
)
def test_cities_districts_counties_and_streets_get_a_pinyin_stem_and_a_translated_suffix(
    name_zh: str, name_en: str
) -> None:
    assert to_english(name_zh) == name_en


@pytest.mark.parametrize(
    "name_zh",
    [
        "天擎社区居民委员会",
        "天擎社区居委会",
        "天擎社区居民管理委员会",
        "天擎社区委员会",
        "天擎居委会",
        "天擎社区",
    ],
)
def test_every_wording_of_a_residents_committee_reads_community(name_zh: str) -> None:
    assert to_english(name_zh) == "Tianqing Community"


@pytest.mark.parametrize("name_zh", ["石门村委会", "石门村民委员会", "石门村"])
def test_every_wording_of_a_villagers_committee_reads_village(name_zh: str) -> None:
    assert to_english(name_zh) == "Shimen Village"


def test_an_ethnic_district_keeps_its_ethnic_name() -> None:
    assert to_english("管城回族区") == "Guancheng Hui District"
    assert to_english("金寨回族乡") == "Jinzhai Hui Ethnic Township"


def test_a_one_character_stem_before_a_street_word_is_not_translated() -> None:
    assert to_english("上街区") == "Shangjie District"


def test_syllables_that_start_with_a_vowel_are_set_apart_with_an_apostrophe() -> None:
    assert to_english("西安市") == "Xi'an City"


def test_u_umlaut_is_written_as_in_pinyin() -> None:
    assert to_english("绿东村街道") == "Lüdongcun Subdistrict"


def test_a_name_without_a_known_suffix_is_romanised_whole() -> None:
    assert to_english("少林") == "Shaolin"
    assert to_english("社区") == "Shequ"
