"""Accounts at the service level: users, tokens, and who may write where."""

from __future__ import annotations

import pytest

from app.accounts import permissions
from app.accounts import services as accounts
from app.exceptions import AuthenticationRequired, Conflict, NotFound, PermissionDenied, ValidationError


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("x", "root", []), "role must be one of admin, editor, viewer"),
        (("x", "editor", []), "an editor is bound to one or more jurisdictions: give --jurisdiction"),
        (("x", "editor", ["CN-XX"]), "unknown jurisdiction code 'CN-XX'"),
    ],
)
def test_bad_users_are_refused_and_nothing_written(write, count, args, message):
    before = (count("users"), count("audit_log"))
    with pytest.raises(ValidationError) as caught:
        write(accounts.add_user, *args)
    assert caught.value.message == message
    assert (count("users"), count("audit_log")) == before


def test_user_names_are_unique(write):
    write(accounts.add_user, "ed", "editor", ["cn-sh"])
    with pytest.raises(Conflict, match="user ed exists"):
        write(accounts.add_user, "ed", "viewer", [])


def test_token_authenticates_until_revoked_or_disabled(session, write):
    user = write(accounts.add_user, "ed", "editor", ["cn-sh"], "pw-123456-registry-ed")
    assert user.jurisdictions == ["CN-SH"]
    token_id, token = write(accounts.create_token, "ed")
    assert token.startswith(token_id + ".")
    assert accounts.authenticate(session, f"Bearer {token}").name == "ed"
    for header in (None, "Basic x", f"Bearer {token_id}.wrong", "Bearer nope"):
        with pytest.raises(AuthenticationRequired):
            accounts.authenticate(session, header)
    assert accounts.check_password(session, "ed", "pw-123456-registry-ed").name == "ed"
    assert accounts.check_password(session, "ed", "wrong") is None
    write(accounts.revoke_token, token_id)
    with pytest.raises(AuthenticationRequired, match="unknown, revoked or mistyped"):
        accounts.authenticate(session, f"Bearer {token}")
    _, second = write(accounts.create_token, "ed")
    write(accounts.disable_user, "ed")
    with pytest.raises(AuthenticationRequired, match="unknown, revoked or mistyped"):  # disabling revokes tokens
        accounts.authenticate(session, f"Bearer {second}")
    assert accounts.active_user(session, "ed") is None
    assert accounts.check_password(session, "ed", "pw-123456-registry-ed") is None
    with pytest.raises(NotFound, match="no token 'nope'"):
        write(accounts.revoke_token, "nope")
    with pytest.raises(NotFound, match="no user 'ghost'"):
        write(accounts.create_token, "ghost")


@pytest.mark.parametrize(
    ("role", "jurisdictions", "rules_of", "allowed"),
    [
        ("admin", [], "CN-JS", True),
        ("editor", ["CN-SH"], "CN-SH", True),
        ("editor", ["CN-SH"], "cn-sh", True),
        ("editor", ["CN-SH"], "CN-JS", False),
        ("viewer", [], "CN-SH", False),
    ],
)
def test_write_permission_per_jurisdiction(write, role, jurisdictions, rules_of, allowed):
    user = write(accounts.add_user, "u", role, jurisdictions)
    assert permissions.can_write(user, rules_of) is allowed
    assert permissions.can_write_hard_rules(user) is (role == "admin")
    if allowed:
        permissions.check_can_write(user, rules_of)
    else:
        with pytest.raises(PermissionDenied, match=f"user u may not write rules of {rules_of}"):
            permissions.check_can_write(user, rules_of)
    write(accounts.disable_user, "u")
    assert permissions.can_write(user, rules_of) is False
    assert permissions.can_write_hard_rules(user) is False


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("short-pw", "at least 12 characters"),
        ("x" * 1025, "at most 1024 characters"),
        ("password1234", "easy to guess"),  # a common password
        ("qwertyuiop123", "easy to guess"),  # a keyboard pattern
        ("li-wei123456", "easy to guess"),  # the user's name and a run of digits
        ("registry2026!", "easy to guess"),  # the registry's own words
    ],
)
def test_a_new_password_must_be_long_and_hard_to_guess(session, write, count_rows, password, why):
    """ASVS 6.2: length bounds and a guessability check, no composition rules; nothing is written."""
    before = count_rows("users"), count_rows("audit_log")
    with pytest.raises(ValidationError, match=why) as info:
        write(accounts.add_user, "li-wei", "viewer", [], password)
    assert info.value.fields == {"password": [info.value.fields["password"][0]]}
    assert (count_rows("users"), count_rows("audit_log")) == before


def test_a_long_phrase_of_any_characters_is_accepted(session, write):
    for name, password in (
        ("a1", "示范区数据共享规则2026"),
        ("a2", "correct horse battery staple"),
        ("a3", "tide-lantern-74-orchard"),
    ):
        write(accounts.add_user, name, "viewer", [], password)
        assert accounts.check_password(session, name, password).name == name
