"""统一社会信用代码: the GB 32100-2015 check digit, by examples and by properties."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from civicgrid.domain.enterprises.uscc import ALPHABET, WEIGHTS, check_character, check_uscc
from civicgrid.domain.errors import InvalidInput

# Published codes: the standard's own example and two registered enterprises.
REAL = ["91350100M000100Y43", "91110000600037341L", "91440300708461136T"]


def test_the_weights_are_the_powers_of_three_modulo_31() -> None:
    assert WEIGHTS == (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
    assert len(ALPHABET) == 31
    assert not set("IOSVZ") & set(ALPHABET)


@pytest.mark.parametrize("code", REAL)
def test_published_codes_pass(code: str) -> None:
    assert check_uscc(code) == code


def test_a_code_is_read_in_capitals_without_surrounding_space() -> None:
    assert check_uscc("  91350100m000100y43 ") == "91350100M000100Y43"


def test_a_wrong_check_digit_is_named_with_the_expected_one() -> None:
    with pytest.raises(InvalidInput, match="fails its check digit") as caught:
        check_uscc("91350100M000100Y44")
    assert "the first 17 give 3" in caught.value.message
    assert caught.value.field == "uscc"


@pytest.mark.parametrize(
    ("code", "says"),
    [
        ("9135010", "has 7 characters"),
        ("91350100M000100Y4I", "character 18 ('I') is not allowed"),
        ("91ABCDEFM000100Y43", "characters 3-8"),
        ("", "has 0 characters"),
    ],
)
def test_malformed_codes_are_refused_naming_the_problem(code: str, says: str) -> None:
    with pytest.raises(InvalidInput, match=says.replace("(", r"\(").replace(")", r"\)")):
        check_uscc(code)


_symbol = st.sampled_from(ALPHABET)
_digit = st.sampled_from("0123456789")


@st.composite
def valid_codes(draw: st.DrawFn) -> str:
    head = draw(st.text(_symbol, min_size=2, max_size=2))
    division = draw(st.text(_digit, min_size=6, max_size=6))
    organisation = draw(st.text(_symbol, min_size=9, max_size=9))
    body = head + division + organisation
    return body + check_character(body)


@given(valid_codes())
def test_every_code_with_its_check_character_passes(code: str) -> None:
    assert check_uscc(code) == code


@given(valid_codes(), st.integers(0, 17), st.sampled_from(ALPHABET + "IOSVZ-a9"))
def test_any_single_changed_character_is_caught(code: str, position: int, new: str) -> None:
    changed = code[:position] + new + code[position + 1 :]
    if changed.upper() == code:  # the same code (a lower-case letter reads as itself)
        return
    with pytest.raises(InvalidInput):
        check_uscc(changed)


@given(valid_codes(), st.integers(0, 15))
def test_swapping_two_neighbours_that_differ_is_caught_too(code: str, position: int) -> None:
    # Neighbouring weights differ (one is three times the other), so the sum changes.
    a, b = code[position], code[position + 1]
    swapped = code[:position] + b + a + code[position + 2 :]
    if a == b:
        return
    with pytest.raises(InvalidInput):
        check_uscc(swapped)
