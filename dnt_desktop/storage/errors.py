"""Storage failures, each carrying a message a user can act on."""

from __future__ import annotations


class StorageError(Exception):
    """Base of every storage failure; ``str(error)`` is the message to show a user."""


class NotADatabaseError(StorageError):
    """The file exists but is not a SQLite database (or not a dnt-desktop one)."""


class DamagedDatabaseError(StorageError):
    """The file is a SQLite database that fails its integrity check."""


class DatabaseTooNewError(StorageError):
    """The database was written by a newer version of dnt-desktop."""


class UnsafeLocationError(StorageError):
    """The database path is on a network share, where SQLite locking is unsafe."""


class DatabaseBusyError(StorageError):
    """Another program or workstation holds the write lock for too long."""


class DatabaseWriteError(StorageError):
    """A save could not be written (disk full, read-only file, I/O error)."""


class ConcurrentChangeError(StorageError):
    """The record was changed elsewhere since it was opened."""


class RestoreRefusedError(StorageError):
    """The backup cannot be restored; the current database was not changed."""


class WritesStoppedError(StorageError):
    """Saving is stopped: the full check found a problem in the open database."""
