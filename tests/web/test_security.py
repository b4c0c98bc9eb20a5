"""Login limits, password strength, the cookie's Secure flag and trusted proxies.

Time is a fake clock that the throttle and ``limits``' memory storage both read, so the
15-minute window and the growing waits pass in no time and never flake.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import limits.storage.memory as limits_memory
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response
from pydantic import ValidationError
from typer.testing import CliRunner

from models.accounts import get_user
from models.db import session_scope
from skizzen.doors.cli import app as cli_app
from skizzen.doors.web.app import add_user, create_app
from skizzen.doors.web.security import (
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    LoginThrottle,
    WeakPasswordError,
    german_wait,
    password_problem,
)
from skizzen.settings import Options
from tests.web.conftest import WebEnv
from tests.web.factory import PASSWORD, csrf_from

WRONG = PASSWORD + "x"


class FakeClock:
    """Seconds since the epoch that only move when a test says so."""

    def __init__(self) -> None:
        self.now = 1_700_000_000.0

    def time(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture()
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    fake = FakeClock()
    monkeypatch.setattr(limits_memory, "time", fake)  # the storage reads time.time() itself
    return fake


@dataclass
class Site:
    """One app (one throttle) with clients from chosen addresses."""

    app: FastAPI
    clock: FakeClock
    clients: list[TestClient] = field(default_factory=list)

    def client(
        self, address: str = "10.0.0.1", *, base_url: str = "http://testserver"
    ) -> TestClient:
        c = TestClient(self.app, base_url=base_url, client=(address, 50000), follow_redirects=False)
        self.clients.append(c)
        return c


@pytest.fixture()
def make_site(web_env: WebEnv, clock: FakeClock) -> Iterator[Callable[..., Site]]:
    sites: list[Site] = []

    def make(**options: object) -> Site:
        config = web_env.config.model_copy(update=options)
        throttle = LoginThrottle.from_config(config, clock=clock.time)
        site = Site(create_app(config, login_throttle=throttle), clock)
        sites.append(site)
        return site

    yield make
    for site in sites:
        for c in site.clients:
            c.close()


def attempt(client: TestClient, name: str, password: str, **headers: str) -> Response:
    token = csrf_from(client.get("/login", headers=headers).text)
    return client.post(
        "/login",
        data={"benutzer": name, "passwort": password, "csrf_token": token},
        headers=headers,
    )


# --- login limits ---------------------------------------------------------------------------


def test_fifty_wrong_passwords_lock_the_account_until_the_window_passes(
    make_site: Callable[..., Site],
) -> None:
    site = make_site()
    client = site.client()
    answers: list[Response] = []
    for _ in range(50):  # one guess a second
        answers.append(attempt(client, "anna", WRONG))
        site.clock.advance(1)
    statuses = [r.status_code for r in answers]
    # failures at 0, 1, 2, 3 s; the 4th buys a 2 s wait (429 at 4 s); the 5th at 5 s locks
    assert statuses == [401, 401, 401, 401, 429, 401] + [429] * 44
    assert answers[4].headers["retry-after"] == "1"
    assert "Bitte in 1 Sekunde erneut versuchen." in answers[4].text
    for r in answers[6:]:
        assert r.status_code == 429 and int(r.headers["retry-after"]) > 800
        assert "höchstens 5 Fehlversuche je Benutzername und 20 je Adresse in 15 Minuten" in r.text
    assert "Bitte in 15 Minuten erneut versuchen." in answers[6].text
    right = attempt(client, "anna", PASSWORD)  # refused unchecked: no hint it was right
    assert right.status_code == 429 and SESSION_COOKIE not in right.headers.get("set-cookie", "")
    wait = int(right.headers["retry-after"])
    assert wait == 900 - 50  # the first failure leaves the window; refusals were not counted
    site.clock.advance(wait - 1)
    assert attempt(client, "anna", PASSWORD).status_code == 429
    site.clock.advance(1)
    r = attempt(client, "anna", PASSWORD)
    assert r.status_code == 303 and SESSION_COOKIE in r.headers["set-cookie"]


def test_a_login_resets_the_accounts_count(make_site: Callable[..., Site]) -> None:
    site = make_site()
    client = site.client()
    for _ in range(2):  # 4 + 4 failures would lock the account if the login did not reset it
        for _ in range(4):
            assert attempt(client, "anna", WRONG).status_code == 401
            site.clock.advance(31)
        assert attempt(client, "anna", PASSWORD).status_code == 303
    assert attempt(client, "anna", WRONG).status_code == 401


def test_one_address_is_limited_across_accounts(make_site: Callable[..., Site]) -> None:
    site = make_site()
    guesser, colleague = site.client("10.0.0.1"), site.client("10.0.0.2")
    for i in range(20):  # other names each time, slower than the longest wait
        assert attempt(guesser, f"gast{i}", WRONG).status_code == 401
        site.clock.advance(31)
    r = attempt(guesser, "anna", PASSWORD)
    assert r.status_code == 429 and "retry-after" in r.headers
    assert attempt(colleague, "anna", PASSWORD).status_code == 303


@pytest.mark.parametrize(
    ("names", "checked_at"),
    [
        (False, [0, 0, 0, 1, 3]),
        (True, [0, 0, 0, 1, 3, 7, 15, 31, *range(61, 392, 30)]),
    ],
    ids=["per-account", "per-address"],
)
def test_the_most_a_guesser_gets_checked_in_a_window(
    make_site: Callable[..., Site], names: bool, checked_at: list[int]
) -> None:
    """A guesser who retries the moment ``Retry-After`` allows, for 15 minutes: 5 passwords
    of one account (all in the first 3 s), or 20 of changing names from one address (8 in
    the first minute)."""
    site = make_site()
    client = site.client()
    start, checked = site.clock.now, []
    while site.clock.now - start < 15 * 60:
        r = attempt(client, f"gast{len(checked)}" if names else "anna", WRONG)
        if r.status_code == 401:
            checked.append(round(site.clock.now - start))
        else:
            assert r.status_code == 429
            site.clock.advance(int(r.headers["retry-after"]))
    assert checked == checked_at


@pytest.mark.parametrize(
    ("failures", "wait"),
    [(1, None), (2, None), (3, 1), (4, 2), (5, 4), (6, 8), (7, 16), (8, 30), (12, 30)],
    ids=lambda v: str(v),
)
def test_the_wait_grows_with_the_failures(
    clock: FakeClock, failures: int, wait: int | None
) -> None:
    throttle = LoginThrottle(
        per_account=100, per_address=100, window_minutes=15, delay_max_s=30, clock=clock.time
    )
    for _ in range(failures):  # each after the wait the one before bought
        if earlier := throttle.check("anna", "10.0.0.1"):
            clock.advance(earlier.retry_after)
        throttle.failed("anna", "10.0.0.1")
    refusal = throttle.check("anna", "10.0.0.1")
    assert (refusal.retry_after if refusal else None) == wait
    if wait:
        clock.advance(wait)
        assert throttle.check("anna", "10.0.0.1") is None


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0.2, "1 Sekunde"), (1, "1 Sekunde"), (1.5, "2 Sekunden"), (119, "119 Sekunden"),
     (894, "15 Minuten")],
    ids=["fraction", "one", "rounded-up", "seconds", "minutes"],
)  # fmt: skip
def test_waits_read_as_german(seconds: float, text: str) -> None:
    assert german_wait(seconds) == text


# --- trusted proxies and the Secure cookie --------------------------------------------------


@pytest.mark.parametrize(
    ("setting", "base_url", "proxies", "headers", "secure"),
    [
        (None, "http://testserver", "", {}, False),
        (None, "https://testserver", "", {}, True),
        (None, "http://testserver", "127.0.0.1", {"x-forwarded-proto": "https"}, True),
        (None, "http://testserver", "", {"x-forwarded-proto": "https"}, False),
        (True, "http://testserver", "", {}, True),
        (False, "https://testserver", "", {}, False),
    ],
    ids=["auto-http", "auto-https", "auto-trusted-proxy", "auto-untrusted-header", "always",
         "never"],
)  # fmt: skip
def test_cookies_are_secure_when_served_over_https(
    make_site: Callable[..., Site],
    setting: bool | None,
    base_url: str,
    proxies: str,
    headers: dict[str, str],
    secure: bool,
) -> None:
    site = make_site(cookie_secure=setting, trusted_proxies=proxies)
    client = site.client("127.0.0.1", base_url=base_url)
    page = client.get("/login", headers=headers)
    csrf_cookie = page.headers["set-cookie"]
    assert csrf_cookie.startswith(LOGIN_CSRF_COOKIE)
    client.cookies.clear()  # a Secure cookie is not sent back over http: send it by hand
    token = csrf_from(page.text)
    r = client.post(
        "/login",
        data={"benutzer": "anna", "passwort": PASSWORD, "csrf_token": token},
        headers={**headers, "cookie": f"{LOGIN_CSRF_COOKIE}={token}"},
    )
    assert r.status_code == 303
    session_cookie = next(
        c for c in r.headers.get_list("set-cookie") if c.startswith(SESSION_COOKIE)
    )
    for cookie in (csrf_cookie, session_cookie):
        assert ("; secure" in cookie.lower()) is secure, cookie


def test_the_client_address_comes_from_a_trusted_proxy_only(
    make_site: Callable[..., Site],
) -> None:
    site = make_site(trusted_proxies="127.0.0.1")
    proxy, outsider = site.client("127.0.0.1"), site.client("10.9.9.9")
    for i in range(20):
        forwarded = {"x-forwarded-for": "192.0.2.7"}
        assert attempt(proxy, f"gast{i}", WRONG, **forwarded).status_code == 401
        spoofed = {"x-forwarded-for": f"198.51.100.{i}"}  # an outsider cannot pick addresses
        assert attempt(outsider, f"gast{i}", WRONG, **spoofed).status_code == 401
        site.clock.advance(31)
    assert attempt(proxy, "anna", PASSWORD, **{"x-forwarded-for": "192.0.2.7"}).status_code == 429
    assert (
        attempt(outsider, "anna", PASSWORD, **{"x-forwarded-for": "203.0.113.1"}).status_code == 429
    )
    assert attempt(proxy, "anna", PASSWORD, **{"x-forwarded-for": "192.0.2.8"}).status_code == 303


@pytest.mark.parametrize(
    ("given", "value"),
    [("auto", None), ("", None), ("always", True), ("never", False), ("true", True)],
    ids=["auto", "empty", "always", "never", "true"],
)
def test_cookie_secure_setting_words(given: str, value: bool | None) -> None:
    assert Options(cookie_secure=given).cookie_secure is value


@pytest.mark.parametrize(
    ("proxies", "ok"),
    [("127.0.0.1", True), ("10.0.0.0/8, ::1", True), ("", True), ("proxy", False), ("*", False)],
    ids=["address", "network-and-v6", "none", "name", "everyone"],
)
def test_trusted_proxies_must_be_addresses(proxies: str, ok: bool) -> None:
    if ok:
        assert Options(trusted_proxies=proxies).trusted_proxies == proxies
    else:
        with pytest.raises(ValidationError):
            Options(trusted_proxies=proxies)


# --- password strength ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "name", "accepted"),
    [
        ("12345678", "ben", False),
        ("passwort1234", "ben", True),  # 12 characters: the length rule accepts it
        ("aaaaaaaaaaa", "ben", False),
        ("Gartenzaun-Rhabarber-17", "ben", True),
        ("sehr-geheim", "ben", True),  # 11 characters, zxcvbn score 3
        ("gartenzaun7", "ben", True),  # 11 characters, zxcvbn score 3 ...
        ("gartenzaun7", "gartenzaun", False),  # ... but 1 for the user gartenzaun
        ("Passwort1!", "ben", False),
        ("", "ben", False),
    ],
    ids=["digits", "twelve-chars-weak", "eleven-repeated", "long-phrase", "strong-short",
         "other-user", "own-user-name", "common", "empty"],
)  # fmt: skip
def test_password_strength_rule(password: str, name: str, accepted: bool) -> None:
    problem = password_problem(password, user_inputs=[name])
    assert (problem is None) is accepted
    if problem:
        assert "mindestens 12 Zeichen" in problem and "mindestens 3 von 4" in problem


def test_weak_passwords_are_refused_when_set(
    web_env: WebEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(WeakPasswordError, match="zu schwach"):
        add_user(web_env.config, name="ben", password="12345678", role="reader")
    monkeypatch.setenv("SKIZZEN_DATABASE_URL", web_env.config.database_url)
    monkeypatch.setenv("SKIZZEN_DATA_DIR", web_env.config.data_dir)
    monkeypatch.setenv("NEW_PW", "12345678")
    result = CliRunner().invoke(cli_app, ["user", "add", "ben", "--password-env", "NEW_PW"])
    assert result.exit_code == 2
    assert "Das Passwort ist zu schwach" in result.output
    with session_scope(web_env.config.database_url) as s:
        assert get_user(s, name="ben") is None
