"""Who may write innovations (SPEC §8.5): admins and editors whose jurisdictions include YRD-DZ."""

from __future__ import annotations

import pytest

from app.accounts.permissions import can_write_innovations, check_can_write_innovations
from app.exceptions import PermissionDenied
from app.registry.innovations import parse_if_match
from app.registry.models import User


@pytest.mark.parametrize(
    ("role", "jurisdictions", "disabled", "allowed"),
    [
        ("admin", [], False, True),
        ("admin", [], True, False),
        ("editor", ["YRD-DZ"], False, True),
        ("editor", ["yrd-dz"], False, True),
        ("editor", ["CN-SH", "YRD-DZ"], False, True),
        ("editor", ["CN-SH"], False, False),
        ("editor", ["YRD"], False, False),
        ("editor", ["YRD-DZ"], True, False),
        ("viewer", ["YRD-DZ"], False, False),
    ],
)
def test_may_write(role, jurisdictions, disabled, allowed):
    user = User(name="u", role=role, jurisdictions=jurisdictions, disabled=disabled)
    assert can_write_innovations(user) is allowed
    if allowed:
        check_can_write_innovations(user)
    else:
        with pytest.raises(PermissionDenied, match="YRD-DZ"):
            check_can_write_innovations(user)


def test_nobody_signed_in_may_not_write():
    assert can_write_innovations(None) is False


@pytest.mark.parametrize(
    ("header", "revision"),
    [("3", "3"), ('"3"', "3"), ('W/"3"', "3"), (" 3 ", "3"), ("", None), ('""', None), (None, None)],
)
def test_if_match_forms(header, revision):
    assert parse_if_match(header) == revision
