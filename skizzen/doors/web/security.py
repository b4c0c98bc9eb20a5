"""Passwords, session tokens, CSRF tokens and the security headers of the review page.

Passwords are hashed with argon2id (argon2-cffi defaults). The session cookie holds a random
token; the database keeps only its sha256, so a leaked database does not log anyone in.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

SESSION_COOKIE = "skizzen_session"
LOGIN_CSRF_COOKIE = "skizzen_login_csrf"

HASHER = PasswordHasher()
"""argon2id with the library's defaults (tests swap in cheaper parameters)."""

CSP = (
    "default-src 'none'; script-src 'none'; style-src 'self'; img-src 'self' data:; "
    "frame-src 'self'; object-src 'self'; form-action 'self'; frame-ancestors 'self'; "
    "base-uri 'none'"
)
"""No script at all, no inline styles, nothing from other origins."""


def hash_password(password: str) -> str:
    return HASHER.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return HASHER.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return HASHER.check_needs_rehash(password_hash)


@cache
def _dummy_hash(hasher: PasswordHasher) -> str:
    return hasher.hash(secrets.token_urlsafe(16))


def burn_time(password: str) -> None:
    """Verify against a dummy hash so an unknown user costs as much time as a known one."""
    verify_password(_dummy_hash(HASHER), password)


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def same_token(given: str | None, expected: str | None) -> bool:
    """Constant-time comparison; a missing token never matches."""
    if not given or not expected:
        return False
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def style_hash_csp(css: str) -> str:
    """CSP for a self-contained page with exactly this inline <style> (the HTML report)."""
    digest = hashlib.sha256(css.encode("utf-8")).digest()
    b64 = base64.b64encode(digest).decode("ascii")
    return CSP.replace("style-src 'self'", f"style-src 'sha256-{b64}'")
