"""Placing an address written in words (12345 work orders) among the named areas.

A 12345 address names its district, street and community the way people write them:
"二七区淮河路办事处淮河社区…", with the suffixes varying (街道/街道办事处/办事处,
社区/社区居委会/居民委员会, 村/村委会). Each area is indexed under every usual form of
its name; the address is then scanned for those forms, and the deepest area that
agrees with everything else the address names wins.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from civicgrid.domain.areas import AreaPath, Level
from civicgrid.domain.areas.area import is_within
from civicgrid.domain.errors import InvalidInput

_SUFFIX_FAMILIES: dict[Level, tuple[tuple[str, ...], ...]] = {
    Level.DISTRICT: (),  # district names are written whole
    Level.STREET: (
        ("街道办事处", "街道办", "街道", "办事处"),
        ("镇人民政府", "镇"),
        ("乡人民政府", "乡"),
    ),
    Level.COMMUNITY: (
        ("社区居民委员会", "社区居委会", "居民委员会", "居委会", "社区"),
        ("村民委员会", "村委会", "村"),
    ),
}
PLACED_LEVELS = frozenset(_SUFFIX_FAMILIES)


@dataclass(frozen=True, slots=True)
class PlaceName:
    code: str
    level: Level
    path: AreaPath
    name_zh: str


@dataclass(frozen=True, slots=True)
class Placed:
    code: str
    level: Level
    path: AreaPath
    matched: tuple[str, ...]  # the names found in the address, district first


def name_forms(name: str, level: Level) -> set[str]:
    """Every usual way of writing `name`: the name itself and its suffix variants."""
    forms = {name}
    for family in _SUFFIX_FAMILIES.get(level, ()):
        for suffix in sorted(family, key=len, reverse=True):
            core = name[: -len(suffix)]
            if name.endswith(suffix) and len(core) >= 2:
                forms.update(core + other for other in family)
                break
    return forms


class AddressIndex:
    """District, street and community names of one subtree, ready to scan addresses."""

    def __init__(self, places: Iterable[PlaceName]) -> None:
        self._by_form: dict[str, list[PlaceName]] = defaultdict(list)
        for place in places:
            if place.level in PLACED_LEVELS:
                for form in name_forms(place.name_zh.strip(), place.level):
                    self._by_form[form].append(place)
        self._lengths = sorted({len(form) for form in self._by_form}, reverse=True)

    def __len__(self) -> int:
        return len(self._by_form)

    def place(self, address: str) -> Placed:
        """The street or community the address lies in; InvalidInput saying why not."""
        text = "".join(address.split())
        if not text:
            raise InvalidInput("the row has no address and no coordinates", field="address")
        found = self._scan(text)
        by_level = {
            level: [p for p in found if p.level is level] for level in sorted(PLACED_LEVELS)
        }
        for level in (Level.COMMUNITY, Level.STREET):
            fits = [p for p in by_level[level] if _agrees(p, found)]
            unique = {p.code: p for p in fits}
            if len(unique) == 1:
                place = next(iter(unique.values()))
                return Placed(place.code, place.level, place.path, _chain(place, found))
            if len(unique) > 1:
                names = "、".join(sorted(f"{p.name_zh} ({p.code})" for p in unique.values()))
                raise InvalidInput(
                    f"address {address!r} is ambiguous: it could be {names}; "
                    f"name the district or street too",
                    field="address",
                )
        if by_level[Level.DISTRICT]:
            names = "、".join(sorted({p.name_zh for p in by_level[Level.DISTRICT]}))
            raise InvalidInput(
                f"address {address!r} names only the district ({names}); "
                f"a street or community is needed to file it",
                field="address",
            )
        raise InvalidInput(
            f"address {address!r} names no district, street or community of the area",
            field="address",
        )

    def _scan(self, text: str) -> list[PlaceName]:
        """Every place named in `text`, less those only named inside a longer name of
        the same level (港湾社区 inside 幸福港湾社区, 郑岗村 inside 新郑岗村)."""
        spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
        places: dict[str, PlaceName] = {}
        for start in range(len(text)):
            for length in self._lengths:
                if start + length > len(text):
                    continue  # a slice past the end is shorter than `length`
                for place in self._by_form.get(text[start : start + length], ()):
                    spans[place.code].append((start, start + length))
                    places[place.code] = place

        def nested(span: tuple[int, int], level: Level, code: str) -> bool:
            return any(
                other_code != code
                and places[other_code].level is level
                and a <= span[0]
                and span[1] <= b
                and (a, b) != span
                for other_code, others in spans.items()
                for a, b in others
            )

        return [
            place
            for code, place in places.items()
            if not all(nested(span, place.level, code) for span in spans[code])
        ]


def _agrees(place: PlaceName, found: list[PlaceName]) -> bool:
    """Every level above `place` that the address names includes `place`."""
    for level in (Level.DISTRICT, Level.STREET):
        if level >= place.level:
            continue
        named = [p for p in found if p.level is level]
        if named and not any(is_within(place.path, p.path) for p in named):
            return False
    return True


def _chain(place: PlaceName, found: list[PlaceName]) -> tuple[str, ...]:
    above = [p for p in found if p.level < place.level and is_within(place.path, p.path)]
    return (*(p.name_zh for p in sorted(above, key=lambda p: p.level)), place.name_zh)
