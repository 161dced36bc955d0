"""Account use cases: add/disable users, create/revoke/verify tokens, check sign-in passwords.

Each takes the caller's session; the caller owns the transaction
(``with write_session(engine) as s: add_user(s, ...)``). Who may write what is
``accounts.permissions``. A token is ``<id>.<secret>``; only sha256(secret) is stored, and it
is compared in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from app.accounts import sessions
from app.accounts.passwords import check_new_password
from app.exceptions import AuthenticationRequired, Conflict, NotFound, ValidationError
from app.registry import audit
from app.registry.models import ApiToken, Jurisdiction, User

ROLES = ("admin", "editor", "viewer")


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _checked_rights(session: Session, role: str, jurisdictions: list[str]) -> list[str]:
    """The jurisdiction codes of a role, checked (known role, an editor bound to known jurisdictions),
    with the writers' lock taken; ValidationError naming the problem otherwise."""
    if role not in ROLES:
        raise ValidationError(f"role must be one of {', '.join(ROLES)}")
    if role == "editor" and not jurisdictions:
        raise ValidationError("an editor is bound to one or more jurisdictions: give --jurisdiction")
    codes = [j.upper() for j in jurisdictions]
    audit.lock(session)
    for c in codes:
        if session.get(Jurisdiction, c) is None:
            raise ValidationError(f"unknown jurisdiction code {c!r}")
    return codes


def add_user(session: Session, name: str, role: str, jurisdictions: list[str], password: str | None = None) -> User:
    """A new account; an editor names the jurisdictions where they may write (SPEC §6)."""
    codes = _checked_rights(session, role, jurisdictions)
    if session.scalars(select(User).where(User.name == name)).first():
        raise Conflict(f"user {name} exists")
    if password:
        check_new_password(password, name)
    user = User(
        name=name,
        role=role,
        jurisdictions=codes,
        created_at=audit.utcnow(),
        password_hash=generate_password_hash(password) if password else None,
    )
    session.add(user)
    audit.append(
        session,
        actor="registry user",
        action="user_added",
        target=f"user:{name}",
        detail={"role": role, "jurisdictions": codes},
    )
    return user


def _user(session: Session, name: str) -> User:
    user = session.scalars(select(User).where(User.name == name)).first()
    if user is None:
        raise NotFound(f"no user {name!r}")
    return user


def _end_access(session: Session, user: User) -> dict:
    """End every web session and revoke every API token of ``user``, at once (ASVS 7.4.2)."""
    now = audit.utcnow()
    ended = sessions.end_all(session, user.id)
    revoked = 0
    for tok in session.scalars(select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))):
        tok.revoked_at = now
        revoked += 1
    return {"sessions_ended": ended, "tokens_revoked": revoked}


def disable_user(session: Session, name: str) -> None:
    """Disable an account: its web sessions end and its tokens are revoked, at once."""
    audit.lock(session)
    user = _user(session, name)
    user.disabled = True
    detail = _end_access(session, user)
    audit.append(session, actor="registry user", action="user_disabled", target=f"user:{name}", detail=detail)
    session.flush()


def set_rights(session: Session, name: str, role: str, jurisdictions: list[str]) -> None:
    """Change an account's role and jurisdictions; its web sessions end and its tokens are revoked.

    Rights are read from the database on every request anyway; ending sessions and tokens as well
    makes the holder sign in again (and get a new token) under the new rights.
    """
    codes = _checked_rights(session, role, jurisdictions)
    user = _user(session, name)
    before = {"role": user.role, "jurisdictions": list(user.jurisdictions or [])}
    user.role = role
    user.jurisdictions = codes
    detail = {"before": before, "after": {"role": role, "jurisdictions": codes}, **_end_access(session, user)}
    audit.append(session, actor="registry user", action="user_rights_changed", target=f"user:{name}", detail=detail)
    session.flush()


def end_sessions(session: Session, name: str) -> int:
    """Sign a user out everywhere (an admin's action); their tokens stay valid. Returns sessions ended."""
    audit.lock(session)
    user = _user(session, name)
    n = sessions.end_all(session, user.id)
    audit.append(session, actor="registry user", action="sessions_ended", target=f"user:{name}", detail={"sessions": n})
    return n


def create_token(session: Session, name: str) -> tuple[str, str]:
    """A new API token for user ``name``: returns (token id, the whole token, shown once)."""
    token_id = secrets.token_hex(8)
    secret = secrets.token_urlsafe(32)
    audit.lock(session)
    user = _user(session, name)
    session.add(ApiToken(id=token_id, user_id=user.id, secret_hash=_hash(secret), created_at=audit.utcnow()))
    audit.append(
        session, actor="registry token", action="token_created", target=f"token:{token_id}", detail={"user": name}
    )
    return token_id, f"{token_id}.{secret}"


def revoke_token(session: Session, token_id: str) -> None:
    audit.lock(session)
    tok = session.get(ApiToken, token_id)
    if tok is None:
        raise NotFound(f"no token {token_id!r}")
    tok.revoked_at = audit.utcnow()
    audit.append(session, actor="registry token", action="token_revoked", target=f"token:{token_id}")


def authenticate(session: Session, header: str | None) -> User:
    """The user behind ``Authorization: Bearer <id>.<secret>``, or AuthenticationRequired."""
    if not header or not header.startswith("Bearer "):
        raise AuthenticationRequired("a write needs Authorization: Bearer <token>")
    token = header[len("Bearer ") :].strip()
    token_id, _, secret = token.partition(".")
    tok = session.get(ApiToken, token_id) if token_id and secret else None
    if tok is None or tok.revoked_at is not None or not hmac.compare_digest(tok.secret_hash, _hash(secret)):
        raise AuthenticationRequired("the token is not valid (unknown, revoked or mistyped)")
    if tok.user.disabled:
        raise AuthenticationRequired("the token's user is disabled")
    return tok.user


_DUMMY_HASH: list[str] = []


def _dummy_hash() -> str:
    """A hash of a random password, made once, checked for unknown names so they take as long."""
    if not _DUMMY_HASH:
        _DUMMY_HASH.append(generate_password_hash(secrets.token_urlsafe(16)))
    return _DUMMY_HASH[0]


def check_password(session: Session, name: str, password: str) -> User | None:
    """The user when ``password`` is theirs; None otherwise.

    One password hash is checked whatever the case (unknown name, disabled account, no password,
    wrong password), so the time taken does not tell which user names exist.
    """
    dummy = _dummy_hash()
    user = session.scalars(select(User).where(User.name == name)).first()
    usable = user is not None and not user.disabled and bool(user.password_hash)
    matches = check_password_hash(user.password_hash if usable else dummy, password)  # type: ignore[union-attr]
    return user if usable and matches else None


def active_user(session: Session, name: str | None) -> User | None:
    """The signed-in user by name, or None when unknown or disabled (a disabled user loses the session)."""
    if not name:
        return None
    user = session.scalars(select(User).where(User.name == name)).first()
    return None if user is None or user.disabled else user
