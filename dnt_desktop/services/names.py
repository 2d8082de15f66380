"""Search keys for names: lower-case, accents removed, so 'Ångström' is found by 'angs'."""

from __future__ import annotations

import unicodedata

_SPECIAL = str.maketrans({"ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "ß": "ss", "æ": "ae", "œ": "oe"})


def search_key(text: str) -> str:
    """The form of *text* stored in the indexed ``*_key`` columns and used to query them."""
    text = text.translate(_SPECIAL)
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())
