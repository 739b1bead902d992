from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from civicgrid.domain.areas import Level, level_of_code, validate_code
from civicgrid.domain.errors import InvalidInput


@pytest.mark.parametrize(
    ("code", "parent", "level"),
    [
        ("410100", None, Level.CITY),
        ("410105", "410100", Level.DISTRICT),
        ("410105001", "410105", Level.STREET),
        ("410105001002", "410105001", Level.COMMUNITY),
        ("410105001002003", "410105001002", Level.GRID),
        ("41010500100200304", "410105001002003", Level.MICRO_GRID),
    ],
)
def test_each_level_accepts_a_code_that_extends_its_parents(
    code: str, parent: str | None, level: Level
) -> None:
    assert validate_code(code, parent) is level


@pytest.mark.parametrize(
    ("code", "parent", "fragment"),
    [
        ("410105001", "410106", "does not start with its parent's code 410106"),
        ("410105001002", "410105", "is a community but its parent 410105 is a district"),
        ("41010", "4101", "has 5 digits"),
        ("41a105", "410100", "digits only"),
        ("410105000", "410105", "all-zero own part"),
        ("420105", "410100", "does not start with its parent's code 4101"),
        ("410105", None, "needs a parent"),
        ("410100", "410000", "cannot have a parent"),
    ],
)
def test_a_code_that_does_not_fit_its_parent_is_rejected_with_the_reason(
    code: str, parent: str | None, fragment: str
) -> None:
    with pytest.raises(InvalidInput, match=fragment):
        validate_code(code, parent)


@given(st.text(alphabet="0123456789", min_size=1, max_size=20))
def test_any_digit_string_is_either_a_level_or_a_clear_error(code: str) -> None:
    valid_lengths = {6, 9, 12, 15, 17}
    if len(code) in valid_lengths:
        assert level_of_code(code) in Level
    else:
        with pytest.raises(InvalidInput, match=f"'{code}' has {len(code)} digits"):
            level_of_code(code)


@given(st.sampled_from(list(Level)[1:]), st.data())
def test_a_child_code_built_from_its_parent_always_validates(
    level: Level, data: st.DataObject
) -> None:
    lengths = {
        Level.DISTRICT: 6,
        Level.STREET: 9,
        Level.COMMUNITY: 12,
        Level.GRID: 15,
        Level.MICRO_GRID: 17,
    }
    parent_level = Level(level - 1)
    parent = "410100" if parent_level is Level.CITY else "4101" + "1" * (lengths[parent_level] - 4)
    prefix = parent[:4] if parent_level is Level.CITY else parent
    own_len = lengths[level] - len(prefix)
    own = data.draw(st.integers(min_value=1, max_value=10**own_len - 1)).__str__().zfill(own_len)
    if level is Level.DISTRICT and own.endswith("00"):
        own = own[:-1] + "1"
    assert validate_code(prefix + own, parent) is level
