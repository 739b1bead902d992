"""CSRF protection for the public forms: a signed token bound to a cookie (double submit).

The cookie holds a random nonce; the form carries `<issued>.<HMAC(secret, nonce, issued)>`.
A cross-site page can make the browser send the cookie but can neither read it nor sign a
token for it, so a forged post fails. Tokens expire, so an old copied page cannot be replayed.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime

from starlette.requests import Request
from starlette.responses import Response

COOKIE = "csrf"
FIELD = "csrf_token"
MAX_AGE_S = 4 * 3600  # long enough to fill a form on a slow phone, short enough to expire


class CsrfGuard:
    def __init__(self, secret_key: str, max_age_s: int = MAX_AGE_S) -> None:
        self._key = hashlib.sha256(b"civicgrid-web-csrf:" + secret_key.encode()).digest()
        self.max_age_s = max_age_s

    def nonce(self, request: Request) -> str:
        """The browser's nonce, or a new one that `remember` must then set."""
        current = request.cookies.get(COOKIE, "")
        return current if _well_formed(current) else secrets.token_urlsafe(24)

    def token(self, nonce: str, now: datetime) -> str:
        issued = str(int(now.timestamp()))
        return f"{issued}.{self._sign(nonce, issued)}"

    def is_valid(self, request: Request, token: str, now: datetime) -> bool:
        nonce = request.cookies.get(COOKIE, "")
        issued, _, signature = token.partition(".")
        if not (_well_formed(nonce) and issued.isdigit() and len(issued) < 12):
            return False
        if not hmac.compare_digest(signature, self._sign(nonce, issued)):
            return False
        return 0 <= now.timestamp() - int(issued) <= self.max_age_s

    def remember(self, response: Response, nonce: str, *, secure: bool) -> None:
        response.set_cookie(COOKIE, nonce, httponly=True, samesite="lax", secure=secure, path="/")

    def _sign(self, nonce: str, issued: str) -> str:
        message = f"{nonce}|{issued}".encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()


def _well_formed(nonce: str) -> bool:
    return 16 <= len(nonce) <= 64 and all(c.isalnum() or c in "-_" for c in nonce)
