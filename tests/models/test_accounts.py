"""Staff accounts (``models.accounts``): web sessions expire, a reset user is logged out."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from models import accounts
from models.db import session_scope
from models.tables import utcnow
from models.users import WebSession
from skizzen.settings import RuntimeConfig


@pytest.mark.parametrize(
    ("age", "absolute", "alive"),
    [
        (timedelta(minutes=5), timedelta(hours=8), True),
        (timedelta(minutes=31), timedelta(hours=8), False),
        (timedelta(minutes=5), timedelta(minutes=1), False),
    ],
    ids=["fresh", "idle-expired", "absolute-expired"],
)
def test_web_session_expiry(
    seeded: tuple[RuntimeConfig, dict[str, int]],
    age: timedelta,
    absolute: timedelta,
    alive: bool,
) -> None:
    config, _ = seeded
    idle = timedelta(minutes=30)
    then = utcnow() - age
    with session_scope(config.database_url) as s:
        user = accounts.get_user(s, name="anna")
        assert user is not None
        accounts.open_session(
            s, token_hash="h" * 64, user_id=user.id, csrf_token="c", absolute=absolute, now=then
        )
    with session_scope(config.database_url) as s:
        found = accounts.active_session(s, token_hash="h" * 64, idle=idle)
        assert (found is not None) == alive
    with session_scope(config.database_url) as s:
        assert (s.get(WebSession, "h" * 64) is not None) == alive


def test_resetting_a_user_ends_their_sessions(
    seeded: tuple[RuntimeConfig, dict[str, int]],
) -> None:
    config, _ = seeded
    with session_scope(config.database_url) as s:
        user = accounts.get_user(s, name="lea")
        assert user is not None
        accounts.open_session(
            s, token_hash="a" * 64, user_id=user.id, csrf_token="c", absolute=timedelta(hours=1)
        )
        accounts.upsert_user(s, name="lea", password_hash="x", role="reviewer")
    with session_scope(config.database_url) as s:
        assert list(s.exec(select(WebSession))) == []
        assert accounts.get_user(s, name="lea").role == "reviewer"  # type: ignore[union-attr]
        with pytest.raises(ValueError):
            accounts.upsert_user(s, name="x", password_hash="x", role="admin")
