"""The whole-file integrity check, started early on its own thread.

SQLite's ``quick_check`` reads every page of the file: about 350 ms for 20,000 patients
and 1.6 s for 100,000. It runs in SQLite's C code without Python's interpreter lock, so
started at the very beginning of the app (before the heavy imports) it overlaps them on
a second core instead of adding to the start-up. The app still waits for its verdict
before it opens the file for writing: the guarantee stays "checked, then opened".

A file that is provably unchanged since ``dnt-desktop check`` last accepted it
(``storage.verified``) is not read again: ``verified`` then holds that proof, and the
verdict is in at once.

Only the standard library is imported here, so starting a check costs nothing.
"""

from __future__ import annotations

import threading
from pathlib import Path

from .errors import StorageError
from .probe import check_integrity
from .verified import Verified, unchanged_since_verified


class FileCheck:
    """``check_integrity(path)`` on a daemon thread; ``result()`` waits for its verdict."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path).absolute()
        self._error: StorageError | None = None
        self.verified: Verified | None = None
        """The proof that the file is unchanged since ``check`` accepted it (no pass then)."""
        self._thread = threading.Thread(target=self._run, name="dnt-file-check", daemon=True)

    def start(self) -> FileCheck:
        """Begin checking in the background (nothing to do for a file provably unchanged
        since it was verified); returns self."""
        self.verified = unchanged_since_verified(self.path)
        if self.verified is None:
            self._thread.start()
        return self

    @property
    def done(self) -> bool:
        """True once the verdict is in."""
        return self.verified is not None or not self._thread.is_alive()

    def result(self) -> None:
        """Wait for the check; raise its StorageError when the file is damaged or unreadable."""
        if self.verified is not None:
            return
        self._thread.join()
        if self._error is not None:
            raise self._error

    def is_for(self, path: Path | None) -> bool:
        """True when this check looked at *path*."""
        return path is not None and Path(path).absolute() == self.path

    def _run(self) -> None:
        try:
            check_integrity(self.path)
        except StorageError as exc:
            self._error = exc
        except Exception as exc:  # reported by result(), never lost on the thread
            self._error = StorageError(f"Cannot check {self.path}: {exc}.")
