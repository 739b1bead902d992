"""Tracking codes: what a reporter without an account holds to follow, rate and reopen.

A code is 16 characters of Crockford base32 (80 random bits), shown in groups of four.
Only its SHA-256 is stored, so a leaked database does not hand out codes.
"""

from __future__ import annotations

import hashlib
import re

from civicgrid.domain.errors import InvalidInput

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U
LENGTH = 16
_CONFUSABLE = str.maketrans({"I": "1", "L": "1", "O": "0", "U": "V"})
_SEPARATORS = re.compile(r"[\s\-_.]")


def code_from_bits(value: int) -> str:
    """`value` (0 ≤ value < 2**80) as a code; the caller draws the bits at random."""
    if not 0 <= value < 1 << (5 * LENGTH):
        raise ValueError("a tracking code holds 80 bits")
    chars = [ALPHABET[(value >> (5 * i)) & 31] for i in reversed(range(LENGTH))]
    return "".join(chars)


def normalize_code(text: str) -> str:
    """A code as typed (any case, dashes, spaces, O for 0) in its canonical form."""
    code = _SEPARATORS.sub("", text.strip()).upper().translate(_CONFUSABLE)
    if len(code) != LENGTH or any(ch not in ALPHABET for ch in code):
        raise InvalidInput(
            f"a tracking code has {LENGTH} letters and digits (e.g. 7K3M-Q9XA-…)",
            field="tracking_code",
        )
    return code


def display_code(code: str) -> str:
    """Groups of four for reading aloud and copying: ABCD-EFGH-JKMN-PQRS."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def code_digest(code: str) -> str:
    """What is stored and looked up: the SHA-256 of the canonical code."""
    return hashlib.sha256(normalize_code(code).encode()).hexdigest()
