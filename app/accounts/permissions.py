"""Who may write what (SPEC §6, §8.5): the one place the write rules are stated.

``can_*`` answer yes/no (pages use them to show or hide actions); ``check_*`` raise
``PermissionDenied`` with a message naming the user and what they may not write.
A disabled user may write nothing. No Flask.
"""

from __future__ import annotations

from app.exceptions import PermissionDenied
from app.registry.models import User

#: Innovations belong to the demonstration zone: who may write its rules may write its innovations.
DEMONSTRATION_ZONE = "YRD-DZ"


def can_write(user: User | None, jurisdiction: str) -> bool:
    """Rules of ``jurisdiction``: admins everywhere, editors in their own jurisdictions (codes in any case)."""
    if user is None or user.disabled:
        return False
    if user.role == "admin":
        return True
    return user.role == "editor" and jurisdiction.upper() in {j.upper() for j in (user.jurisdictions or [])}


def check_can_write(user: User, jurisdiction: str) -> None:
    if not can_write(user, jurisdiction):
        raise PermissionDenied(f"user {user.name} may not write rules of {jurisdiction}")


def check_can_bind(user: User, jurisdiction: str, applies_to: list[str] | None) -> None:
    """A rule version binds its ``applies_to`` jurisdictions (SPEC §2): writing it needs rights for
    the rule's own jurisdiction and for every jurisdiction it binds, so that an editor of one
    province cannot set another province's binding values through ``applies_to``."""
    check_can_write(user, jurisdiction)
    for code in applies_to or []:
        if not can_write(user, code):
            raise PermissionDenied(
                f"user {user.name} may not write a rule that binds {code.upper()} (applies_to): "
                f"only admins and editors of {code.upper()} may"
            )


def can_write_innovations(user: User | None) -> bool:
    """The innovation register: admins, and editors whose jurisdictions include YRD-DZ (SPEC §8.5)."""
    return can_write(user, DEMONSTRATION_ZONE)


def check_can_write_innovations(user: User) -> None:
    if not can_write_innovations(user):
        raise PermissionDenied(
            f"user {user.name} may not write innovations: only admins and editors of {DEMONSTRATION_ZONE} may"
        )


def can_write_hard_rules(user: User | None) -> bool:
    """Hard rules (regional targets across jurisdictions): admins only."""
    return user is not None and not user.disabled and user.role == "admin"


def check_can_write_hard_rules(user: User) -> None:
    if not can_write_hard_rules(user):
        raise PermissionDenied("only admins may write hard rules")
