"""SQLModel tables of the review page: staff users and their server-side sessions.

Sessions live in the database (not in a signed cookie) so that logout, idle and absolute
expiry are enforced by the server; the cookie carries a random token whose sha256 is the key.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from models.tables import TZ, utcnow

ROLES: tuple[str, ...] = ("reviewer", "reader")
"""``reviewer`` may change data; ``reader`` may only look."""


class User(SQLModel, table=True):
    """A staff member who may log in to the review page."""

    __tablename__ = "web_user"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, index=True)
    password_hash: str
    role: str = "reader"
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow, sa_type=TZ)


class WebSession(SQLModel, table=True):
    """A login: the key is the sha256 of the cookie token, never the token itself."""

    __tablename__ = "web_session"

    id: str = Field(primary_key=True, max_length=64)
    user_id: int = Field(foreign_key="web_user.id", index=True)
    csrf_token: str
    created_at: datetime = Field(default_factory=utcnow, sa_type=TZ)
    last_seen_at: datetime = Field(default_factory=utcnow, sa_type=TZ)
    expires_at: datetime = Field(sa_type=TZ, index=True)
