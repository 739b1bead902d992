"""English names for zh-CN area names: a pinyin stem plus a translated suffix.

"花园路街道" → "Huayuan Road Subdistrict". Pragmatic, not an official gazetteer:
the suffix table covers what Chinese division lists actually use, and anything
unmatched is romanised whole.
"""

from __future__ import annotations

from functools import lru_cache

from pypinyin import Style, lazy_pinyin

# Longest suffix first, so "社区居民委员会" wins over "委员会" and "回族区" over "区".
_SUFFIXES: tuple[tuple[str, str], ...] = tuple(
    sorted(
        {
            "市": "City",
            "县": "County",
            "区": "District",
            "回族区": "Hui District",
            "新区": "New Area",
            "风景区": "Scenic Area",
            "产业集聚区": "Industrial Cluster",
            "国家级森林公园": "National Forest Park",
            "街道": "Subdistrict",
            "街道办事处": "Subdistrict",
            "镇": "Town",
            "乡": "Township",
            "回族乡": "Hui Ethnic Township",
            "社区": "Community",
            "社区居民委员会": "Community",
            "社区居民管理委员会": "Community",
            "社区管理委员会": "Community",
            "社区委员会": "Community",
            "社区居委会": "Community",
            "居民委员会": "Community",
            "居委会": "Community",
            "拟居委会": "Community",
            "拟社区": "Community",
            "村": "Village",
            "村委会": "Village",
            "村民委员会": "Village",
        }.items(),
        key=lambda item: -len(item[0]),
    )
)

# Street words at the end of a stem read better translated (花园路 → Huayuan Road),
# but only after two or more characters: 上街区 is Shangjie, not "Shang Street".
_STEM_ENDINGS: tuple[tuple[str, str], ...] = (
    ("大道", "Avenue"),
    ("大街", "Street"),
    ("路", "Road"),
    ("街", "Street"),
)


def to_english(name_zh: str) -> str:
    """English form of a division name; the stem's pinyin is cached per stem."""
    stem, suffix = _split_suffix(name_zh.strip())
    words = [_stem_words(stem)] if stem else []
    if suffix:
        words.append(suffix)
    return " ".join(words)


def _split_suffix(name: str) -> tuple[str, str]:
    for zh, en in _SUFFIXES:
        if name.endswith(zh):
            # A name that is only a suffix ("社区") is romanised whole.
            return (name[: -len(zh)], en) if len(name) > len(zh) else (name, "")
    return name, ""


@lru_cache(maxsize=8192)
def _stem_words(stem: str) -> str:
    for zh, en in _STEM_ENDINGS:
        if stem.endswith(zh) and len(stem) >= len(zh) + 2:
            return f"{_romanise(stem[: -len(zh)])} {en}"
    return _romanise(stem)


def _romanise(text: str) -> str:
    """One title-cased word of toneless pinyin, with the apostrophe rule (Xi'an)."""
    syllables = lazy_pinyin(text, style=Style.NORMAL, v_to_u=True, errors="default")
    word = ""
    for syllable in syllables:
        if word and syllable[:1] in ("a", "o", "e"):
            word += "'"
        word += syllable
    return word[:1].upper() + word[1:]
