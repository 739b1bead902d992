"""Form tokens on their own: bound to the cookie's nonce, signed with the secret, expiring."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from starlette.requests import Request

from civicgrid.web.csrf import COOKIE, MAX_AGE_S, CsrfGuard

NOW = datetime(2026, 12, 4, 8, 0, tzinfo=UTC)
NONCE = "n" * 32


def request_with(cookie: str | None) -> Request:
    headers = [(b"cookie", f"{COOKIE}={cookie}".encode())] if cookie is not None else []
    return Request({"type": "http", "method": "POST", "path": "/", "headers": headers})


def test_a_fresh_token_for_the_browsers_nonce_is_valid() -> None:
    guard = CsrfGuard("s" * 64)

    assert guard.is_valid(request_with(NONCE), guard.token(NONCE, NOW), NOW + timedelta(hours=1))


@pytest.mark.parametrize(
    ("cookie", "age_s"),
    [
        (None, 0),  # no cookie at all
        ("m" * 32, 0),  # another browser's nonce
        ("short", 0),  # not a nonce we would issue
        (NONCE, MAX_AGE_S + 1),  # expired
        (NONCE, -60),  # issued in the future: a clock trick
    ],
)
def test_a_token_is_refused_without_its_nonce_or_outside_its_lifetime(
    cookie: str | None, age_s: int
) -> None:
    guard = CsrfGuard("s" * 64)
    token = guard.token(NONCE, NOW)

    assert not guard.is_valid(request_with(cookie), token, NOW + timedelta(seconds=age_s))


@pytest.mark.parametrize(
    "token",
    ["", "garbage", "1795395600.", "1795395600.00", "x.y", "99999999999999.ab"],
)
def test_malformed_tokens_are_refused(token: str) -> None:
    assert not CsrfGuard("s" * 64).is_valid(request_with(NONCE), token, NOW)


def test_a_token_signed_with_another_secret_is_refused() -> None:
    forged = CsrfGuard("f" * 64).token(NONCE, NOW)

    assert not CsrfGuard("s" * 64).is_valid(request_with(NONCE), forged, NOW)


def test_a_changed_issue_time_breaks_the_signature() -> None:
    guard = CsrfGuard("s" * 64)
    issued, _, signature = guard.token(NONCE, NOW).partition(".")
    later = f"{int(issued) + 3600}.{signature}"

    assert not guard.is_valid(request_with(NONCE), later, NOW + timedelta(hours=1))
