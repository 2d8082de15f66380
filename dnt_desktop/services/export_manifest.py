"""The manifest of an export: one SHA-256 per file, in the form ``sha256sum -c`` reads.

Plain Python, no database: ``manifest_text`` writes it, ``manifest_problems`` checks a
set of files against it (a reader can also run ``sha256sum -c MANIFEST.sha256``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

MANIFEST_NAME = "MANIFEST.sha256"


def manifest_text(files: Mapping[str, bytes]) -> str:
    """``<sha256>  <path>`` per file, sorted by path, each line ending in a newline."""
    for path in files:
        if "\n" in path or "\r" in path or path.startswith("/") or ".." in path.split("/"):
            raise ValueError(f"not a plain relative path: {path!r}")
    return "".join(f"{hashlib.sha256(files[path]).hexdigest()}  {path}\n" for path in sorted(files))


def read_manifest(text: str) -> dict[str, str]:
    """Path -> SHA-256 from a manifest's text; ValueError for a line that is not one."""
    sums: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        digest, separator, path = line.partition("  ")
        if not separator or len(digest) != 64 or not path:
            raise ValueError(f"line {number} of the manifest is not '<sha256>  <path>'")
        sums[path] = digest
    return sums


def manifest_problems(files: Mapping[str, bytes], text: str) -> list[str]:
    """What does not match between *files* and the manifest *text* (empty when all do)."""
    sums = read_manifest(text)
    problems = [f"{path} is listed but missing" for path in sorted(set(sums) - set(files))]
    problems += [f"{path} is not listed" for path in sorted(set(files) - set(sums))]
    problems += [
        f"{path} does not match its SHA-256"
        for path in sorted(set(files) & set(sums))
        if hashlib.sha256(files[path]).hexdigest() != sums[path]
    ]
    return problems
