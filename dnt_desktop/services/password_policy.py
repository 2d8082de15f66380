"""The password policy's numbers and the one sign-in refusal text (``accounts`` applies
them). Standard library only: the sign-in dialog shows before the app loads SQLAlchemy."""

from __future__ import annotations

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 256
WRONG_CREDENTIALS = "The user name or password is wrong. Check Caps Lock and try again."
