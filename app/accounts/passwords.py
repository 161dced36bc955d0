"""What a new sign-in password must be (OWASP ASVS 5.0 §6.2): long enough, not too long, and not easy
to guess — checked by zxcvbn (Dropbox's estimator: common-password and word lists, keyboard patterns,
dates, the user's own name), with no composition rules.

Only here; ``accounts.services.add_user`` applies it to every password set (the CLI, and any later
page or API that sets one, goes through that use case).
"""

from __future__ import annotations

from zxcvbn import zxcvbn

from app.exceptions import N_, ValidationError

MIN_LENGTH = 12  # ASVS 6.2.1 asks at least 8 (15 recommended without MFA; we take 12 with the guess check)
MAX_LENGTH = 1024  # ASVS 6.2.9 asks at least 64 be allowed; the sign-in form reads at most 1024
MIN_SCORE = 3  # zxcvbn 0–4: 3 is "safely unguessable" (about 10^8 guesses or more)
SCORED_PREFIX = 100  # zxcvbn's time grows with length; the first 100 characters decide

#: Words of this registry a password should not lean on (besides the user's name).
CONTEXT = ("registry", "yrd", "delta", "changsanjiao", "长三角", "登记簿")


def check_new_password(password: str, name: str) -> None:
    """Raise ValidationError (field ``password``) when ``password`` may not be set for user ``name``."""
    if len(password) < MIN_LENGTH:
        raise ValidationError.of(
            N_("a password needs at least %(n)s characters (a few words make a good one)"),
            fields={"password": ["too short"]},
            n=MIN_LENGTH,
        )
    if len(password) > MAX_LENGTH:
        raise ValidationError.of(
            N_("a password may have at most %(n)s characters"), fields={"password": ["too long"]}, n=MAX_LENGTH
        )
    if zxcvbn(password[:SCORED_PREFIX], user_inputs=[name, *CONTEXT])["score"] < MIN_SCORE:
        raise ValidationError.of(
            N_(
                "this password is easy to guess (a common password, a pattern or the user name); choose a longer phrase"
            ),
            fields={"password": ["easy to guess"]},
        )
