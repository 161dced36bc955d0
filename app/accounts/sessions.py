"""Signed-in browser sessions kept in the registry's database (ASVS 7.2-7.4).

The cookie carries only a random token (256 bits); the database keeps its sha256, the user and
two times. A session is valid while its row exists, its user is enabled, and neither timeout has
passed: ``idle`` seconds since it was last used, ``absolute`` seconds since sign-in. Who the user
is, their role and their jurisdictions are read from the ``users`` row on every request, never
from the cookie. Ending a session deletes its row, so a copied cookie is worth nothing after
sign-out, after the account is disabled or after its rights change (``services``).

Each function takes the caller's session; the caller owns the transaction. No Flask.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, selectinload

from app.registry.models import User, WebSession

#: ``last_seen_at`` is written at most this often (the idle timeout is counted in these steps).
TOUCH_EVERY = dt.timedelta(seconds=60)


def _key(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start(session: Session, user: User, now: dt.datetime) -> str:
    """A new session for ``user``: returns the token for the cookie (a new one at every sign-in)."""
    token = secrets.token_urlsafe(32)
    session.add(WebSession(id=_key(token), user_id=user.id, created_at=now, last_seen_at=now))
    session.flush()
    return token


def find(session: Session, token: str | None) -> WebSession | None:
    """The session row behind a cookie's token (with its user), or None."""
    if not token or not isinstance(token, str) or len(token) > 200:
        return None
    return session.scalars(
        select(WebSession).where(WebSession.id == _key(token)).options(selectinload(WebSession.user))
    ).first()


def state(row: WebSession | None, now: dt.datetime, *, idle: float, absolute: float) -> str:
    """``"none"`` (no such session), ``"expired"`` (a timeout passed or the user is disabled: end it),
    ``"touch"`` (valid; record that it was used) or ``"valid"``."""
    if row is None:
        return "none"
    if (
        row.user is None
        or row.user.disabled
        or now - row.last_seen_at > dt.timedelta(seconds=idle)
        or now - row.created_at > dt.timedelta(seconds=absolute)
    ):
        return "expired"
    return "touch" if now - row.last_seen_at >= TOUCH_EVERY else "valid"


def touch(session: Session, token: str, now: dt.datetime) -> None:
    row = session.get(WebSession, _key(token))
    if row is not None:
        row.last_seen_at = now


def end(session: Session, token: str | None) -> None:
    """End one session (sign-out); nothing happens when there is none."""
    if token and isinstance(token, str):
        session.execute(delete(WebSession).where(WebSession.id == _key(token)))


def end_all(session: Session, user_id: int) -> int:
    """End every session of a user; returns how many there were."""
    result = session.execute(delete(WebSession).where(WebSession.user_id == user_id))
    return result.rowcount or 0
