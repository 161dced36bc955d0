"""Who may write innovations (SPEC §8.5): admins and editors whose jurisdictions include YRD-DZ."""

from __future__ import annotations

import pytest

from app.exceptions import PermissionDenied
from app.registry.innovations import check_may_write, may_write, parse_if_match
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
    assert may_write(user) is allowed
    if allowed:
        check_may_write(user)
    else:
        with pytest.raises(PermissionDenied, match="YRD-DZ"):
            check_may_write(user)


def test_nobody_signed_in_may_not_write():
    assert may_write(None) is False


@pytest.mark.parametrize(
    ("header", "revision"),
    [("3", "3"), ('"3"', "3"), ('W/"3"', "3"), (" 3 ", "3"), ("", None), ('""', None), (None, None)],
)
def test_if_match_forms(header, revision):
    assert parse_if_match(header) == revision
