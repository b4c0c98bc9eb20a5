"""Passwords, session tokens, CSRF tokens, login limits and the security headers of the page.

Passwords are hashed with argon2id (argon2-cffi defaults) and must be strong or long. The
session cookie holds a random token; the database keeps only its sha256, so a leaked database
does not log anyone in. Failed logins are counted per user name and per client address, so
guessing costs time and ends in a lockout instead of 50 free tries a minute.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import math
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from limits import RateLimitItemPerMinute
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

from skizzen.settings import Options

SESSION_COOKIE = "skizzen_session"
LOGIN_CSRF_COOKIE = "skizzen_login_csrf"

HASHER = PasswordHasher()
"""argon2id with the library's defaults (tests swap in cheaper parameters)."""

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-src 'self'; object-src 'self'; form-action 'self'; frame-ancestors 'self'; "
    "base-uri 'none'"
)
"""Only the page's own script files (``/static/app.js``), no inline script or style, nothing
from other origins. Nothing else of this origin runs as script: PDFs and attachments are
served with their own type and ``nosniff`` (a ``<script src>`` to them is refused)."""

PDF_CSP = "sandbox; default-src 'none'; form-action 'none'; base-uri 'none'; frame-ancestors 'self'"
"""A sketch PDF is someone else's file: an opaque origin without script, forms, plugins or
fetches, framed only by the review page. Chromium's PDF viewer still shows it (checked with
Chromium 156, iframe and direct)."""

PASSWORD_MIN_LENGTH = 12
PASSWORD_MIN_SCORE = 3
"""A password is accepted if it is this long, or if zxcvbn rates it at least this (0–4)."""

LOGIN_FREE_FAILURES = 2
"""Failed logins before the wait starts; then it doubles: 1, 2, 4, … s up to the maximum."""


class WeakPasswordError(ValueError):
    """A password that fails the strength rule; the message is German."""


def hash_password(password: str) -> str:
    return HASHER.hash(password)


def password_problem(password: str, *, user_inputs: Sequence[str] = ()) -> str | None:
    """Why ``password`` is too weak (German, naming the rule), or None if it may be set.

    ``user_inputs`` (the user name) count as known words: ``gartenzaun7`` is weak for the
    user gartenzaun (score 1), not for others (3).
    """
    if len(password) >= PASSWORD_MIN_LENGTH:
        return None
    from zxcvbn import zxcvbn  # loads its word lists; only needed when a password is set

    known = [u for u in user_inputs if u]
    if password and zxcvbn(password, user_inputs=known)["score"] >= PASSWORD_MIN_SCORE:
        return None  # zxcvbn fails on "" (and "" is weak anyway)
    return (
        f"Das Passwort ist zu schwach. Erlaubt ist ein Passwort mit mindestens "
        f"{PASSWORD_MIN_LENGTH} Zeichen oder eines, das die Stärkeprüfung (zxcvbn) mit "
        f"mindestens {PASSWORD_MIN_SCORE} von 4 bewertet. Tipp: mehrere ungewöhnliche Wörter, "
        f"z. B. mit Bindestrichen verbunden."
    )


def check_password_strength(password: str, *, user_inputs: Sequence[str] = ()) -> None:
    """Raise ``WeakPasswordError`` for a password that fails ``password_problem``."""
    problem = password_problem(password, user_inputs=user_inputs)
    if problem:
        raise WeakPasswordError(problem)


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


def cookie_secure(setting: bool | None, scheme: str) -> bool:
    """The cookie's ``Secure`` flag: the setting, or (auto, None) whether this request came
    over HTTPS, as the connection or a trusted proxy's ``X-Forwarded-Proto`` says."""
    return scheme == "https" if setting is None else setting


def german_wait(seconds: float) -> str:
    """``1 Sekunde``, ``8 Sekunden``, ``15 Minuten``: how long to wait, rounded up."""
    whole = max(1, math.ceil(seconds))
    if whole == 1:
        return "1 Sekunde"
    if whole < 120:
        return f"{whole} Sekunden"
    return f"{math.ceil(whole / 60)} Minuten"


@dataclass(frozen=True)
class LoginRefusal:
    """Why a login attempt is not even checked now, and for how long (``Retry-After``)."""

    retry_after: int
    message: str

    @classmethod
    def waiting(cls, seconds: float, why: str) -> LoginRefusal:
        """Refused for ``seconds`` (rounded up, at least one): ``why``, then when to try again."""
        return cls(
            retry_after=max(1, math.ceil(seconds)),
            message=f"{why} Bitte in {german_wait(seconds)} erneut versuchen.",
        )


class LoginThrottle:
    """Failed logins per user name and per client address in a moving window (``limits``,
    in memory, per process), plus a growing wait after the first few failures.

    Refused attempts are answered without checking the password, so a guesser learns nothing
    from them, even with the right password; they are not counted either. A successful login
    clears its user name's count (not the address's). ``clock`` must be the clock of the
    ``limits`` memory storage (``time.time``); tests move both.
    """

    def __init__(
        self,
        *,
        per_account: int,
        per_address: int,
        window_minutes: int,
        delay_max_s: float,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.per_account = per_account
        self.per_address = per_address
        self.window_minutes = window_minutes
        self.delay_max_s = delay_max_s
        self._clock = clock
        self._window_s = window_minutes * 60.0
        self._limiter = MovingWindowRateLimiter(MemoryStorage())
        self._items = {
            "konto": RateLimitItemPerMinute(per_account, window_minutes, namespace="login"),
            "adresse": RateLimitItemPerMinute(per_address, window_minutes, namespace="login"),
        }
        self._last_failure: OrderedDict[tuple[str, str], float] = OrderedDict()
        self._lock = threading.Lock()

    @classmethod
    def from_config(
        cls, config: Options, *, clock: Callable[[], float] = time.time
    ) -> LoginThrottle:
        return cls(
            per_account=config.login_failures_per_account,
            per_address=config.login_failures_per_address,
            window_minutes=config.login_window_minutes,
            delay_max_s=config.login_delay_max_s,
            clock=clock,
        )

    def delay_after(self, failures: int) -> float:
        """Seconds to wait after the ``failures``-th failure in the window (0, 0, 1, 2, 4, …)."""
        if failures <= LOGIN_FREE_FAILURES:
            return 0.0
        return min(2.0 ** (failures - LOGIN_FREE_FAILURES - 1), self.delay_max_s)

    def check(self, account: str, address: str) -> LoginRefusal | None:
        """None if an attempt for ``account`` from ``address`` may be checked now."""
        with self._lock:
            now = self._clock()
            locked = 0.0
            delayed = 0.0
            for kind, key in self._keys(account, address):
                item = self._items[kind]
                stats = self._limiter.get_window_stats(item, kind, key)
                if stats.remaining <= 0:
                    locked = max(locked, stats.reset_time - now)
                    continue
                last = self._last_failure.get((kind, key))
                if last is not None:
                    wait = last + self.delay_after(item.amount - stats.remaining) - now
                    delayed = max(delayed, wait)
        if locked > 0:
            return LoginRefusal.waiting(
                locked,
                f"Zu viele fehlgeschlagene Anmeldungen: höchstens {self.per_account} "
                f"Fehlversuche je Benutzername und {self.per_address} je Adresse in "
                f"{self.window_minutes} Minuten.",
            )
        if delayed > 0:
            return LoginRefusal.waiting(
                delayed, "Nach mehreren Fehlversuchen wartet die Anmeldung etwas länger."
            )
        return None

    def failed(self, account: str, address: str) -> None:
        """Count a wrong password (or unknown or inactive user) against name and address."""
        with self._lock:
            now = self._clock()
            for kind, key in self._keys(account, address):
                self._limiter.hit(self._items[kind], kind, key)
                self._last_failure[(kind, key)] = now
                self._last_failure.move_to_end((kind, key))
            while self._last_failure:  # oldest first: forget what the window has dropped
                oldest_key, at = next(iter(self._last_failure.items()))
                if at > now - self._window_s:
                    break
                del self._last_failure[oldest_key]

    def succeeded(self, account: str) -> None:
        """The right password: the user name starts afresh (its address keeps its count)."""
        with self._lock:
            (kind, key), _ = self._keys(account, "")
            self._limiter.clear(self._items[kind], kind, key)
            self._last_failure.pop((kind, key), None)

    @staticmethod
    def _keys(account: str, address: str) -> tuple[tuple[str, str], tuple[str, str]]:
        # a long name is cut: it only shares its count with names of the same first 256 chars
        return ("konto", account[:256]), ("adresse", address)
