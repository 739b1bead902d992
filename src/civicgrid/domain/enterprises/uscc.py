"""统一社会信用代码 (unified social credit code, USCC), GB 32100-2015.

Eighteen characters: the registering authority (1), the kind of entity (1), the
administrative division (6 digits), the organisation code (9), and a check digit.
The characters come from a 31-symbol alphabet (digits and capital letters without
I, O, S, V, Z). Position i (1-based) of the first 17 carries the weight 3^(i-1) mod
31; the check character is the one whose value makes the weighted sum ≡ 0 (mod 31).
31 is prime and no weight is 0 mod 31, so any single changed character changes the
sum and is caught.
"""

from __future__ import annotations

from civicgrid.domain.errors import InvalidInput

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
LENGTH = 18
MODULUS = len(ALPHABET)  # 31
WEIGHTS = tuple(pow(3, i, MODULUS) for i in range(LENGTH - 1))
_VALUE = {char: value for value, char in enumerate(ALPHABET)}


def check_character(body: str) -> str:
    """The 18th character for the first 17; `body` must already be in the alphabet."""
    total = sum(_VALUE[char] * weight for char, weight in zip(body, WEIGHTS, strict=True))
    return ALPHABET[(MODULUS - total % MODULUS) % MODULUS]


def check_uscc(code: str, *, field: str = "uscc") -> str:
    """The code, upper-cased and stripped, or InvalidInput naming what is wrong with it."""
    cleaned = code.strip().upper()
    shown = cleaned if cleaned.isprintable() and len(cleaned) <= 40 else repr(cleaned[:40])
    if len(cleaned) != LENGTH:
        raise InvalidInput(
            f"USCC {shown} has {len(cleaned)} characters; a 统一社会信用代码 has {LENGTH}",
            field=field,
        )
    for position, char in enumerate(cleaned, start=1):
        if char not in _VALUE:
            raise InvalidInput(
                f"USCC {shown}: character {position} ({char!r}) is not allowed; the code uses "
                f"digits and capital letters other than I, O, S, V and Z",
                field=field,
            )
    if not cleaned[2:8].isdigit():
        raise InvalidInput(
            f"USCC {shown}: characters 3-8 ({cleaned[2:8]}) must be the digits of an "
            f"administrative division code",
            field=field,
        )
    expected = check_character(cleaned[:-1])
    if cleaned[-1] != expected:
        raise InvalidInput(
            f"USCC {shown} fails its check digit: the 18th character is {cleaned[-1]}, "
            f"but the first 17 give {expected} (GB 32100-2015); check the code for a typo",
            field=field,
        )
    return cleaned
