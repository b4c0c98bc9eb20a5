"""Data access for the staff accounts of the review page: users and their web sessions.

Keyword-only functions that take a session, like ``models.repo``; the tables are in
``models.users`` (which ``models.db`` imports for the schema, so they cannot live there).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlmodel import Session, col, select

from models.db import as_utc
from models.tables import utcnow
from models.users import ROLES, User, WebSession

# --- users ----------------------------------------------------------------------------------


def get_user(session: Session, *, name: str) -> User | None:
    return session.exec(select(User).where(User.name == name)).first()


def upsert_user(session: Session, *, name: str, password_hash: str, role: str) -> User:
    """Create a user or reset password and role of an existing one (logs them out)."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; expected one of {ROLES}")
    user = get_user(session, name=name) or User(name=name, password_hash=password_hash)
    user.password_hash = password_hash
    user.role = role
    user.active = True
    session.add(user)
    session.flush()
    session.exec(delete(WebSession).where(col(WebSession.user_id) == user.id))  # type: ignore[call-overload]
    return user


def set_password_hash(session: Session, *, user_id: int, password_hash: str) -> None:
    """Store a rehashed password (argon2 parameters changed)."""
    user = session.get_one(User, user_id)
    user.password_hash = password_hash
    session.add(user)


# --- web sessions ---------------------------------------------------------------------------


def open_session(
    session: Session,
    *,
    token_hash: str,
    user_id: int,
    csrf_token: str,
    absolute: timedelta,
    now: datetime | None = None,
) -> WebSession:
    now = now or utcnow()
    ws = WebSession(
        id=token_hash,
        user_id=user_id,
        csrf_token=csrf_token,
        created_at=now,
        last_seen_at=now,
        expires_at=now + absolute,
    )
    session.add(ws)
    session.flush()
    return ws


def active_session(
    session: Session, *, token_hash: str, idle: timedelta, now: datetime | None = None
) -> tuple[WebSession, User] | None:
    """The live session and its user, touched; an expired or orphaned one is deleted."""
    now = now or utcnow()
    ws = session.get(WebSession, token_hash)
    if ws is None:
        return None
    user = session.get(User, ws.user_id)
    last_seen = as_utc(ws.last_seen_at) or now
    expires = as_utc(ws.expires_at) or now
    if user is None or not user.active or now >= expires or now - last_seen >= idle:
        session.delete(ws)
        return None
    ws.last_seen_at = now
    session.add(ws)
    return ws, user


def close_session(session: Session, *, token_hash: str) -> None:
    session.exec(delete(WebSession).where(col(WebSession.id) == token_hash))  # type: ignore[call-overload]


def purge_sessions(session: Session, *, idle: timedelta, now: datetime | None = None) -> int:
    """Delete every session past its absolute or idle expiry; returns how many."""
    now = now or utcnow()
    stale = [
        ws
        for ws in session.exec(select(WebSession))
        if now >= (as_utc(ws.expires_at) or now) or now - (as_utc(ws.last_seen_at) or now) >= idle
    ]
    for ws in stale:
        session.delete(ws)
    return len(stale)
