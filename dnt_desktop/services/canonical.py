"""The canonical JSON text and its SHA-256: the one form every record hash is taken of.

Standard library only, so that the worker processes of ``dnt-desktop check`` import it
in a moment (``check_workers``).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any


def canonical_text(document: Any) -> str:
    """The canonical JSON of a document: sorted keys, no spaces, UTF-8 text unescaped."""
    return json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def sha256_hex(text: str) -> str:
    """SHA-256 (hex) of *text* in UTF-8."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def canonical_hash(document: Any) -> str:
    """SHA-256 (hex) of ``canonical_text(document)``."""
    return sha256_hex(canonical_text(document))


def seal_of_text(content_hash: str | None, acknowledgements: str) -> str:
    """A signed session's seal from its content hash and its acknowledgements' JSON list.

    SHA-256 of ``{"acknowledgements": [...], "content_hash": "..."}`` in canonical JSON
    (see ``signing.seal``).
    """
    stored = (
        f'"{content_hash}"'  # the usual hex digest needs no escaping: spare json.dumps
        if content_hash is not None and content_hash.isalnum() and content_hash.isascii()
        else canonical_text(content_hash)
    )
    return sha256_hex('{"acknowledgements":' + acknowledgements + ',"content_hash":' + stored + "}")
