"""Failures of a use case that the user can fix."""

from __future__ import annotations

from collections.abc import Sequence

from dnt_desktop.storage.errors import ConcurrentChangeError

from .rules import Problem, describe_problems


class ServiceError(Exception):
    """Base of use-case failures; ``str(error)`` is the message to show."""


class ValidationError(ServiceError):
    """The input breaks a rule; ``problems`` says which fields and what to fix."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__(describe_problems(self.problems))


class NotFoundError(ServiceError):
    """The record asked for does not exist."""


class PermissionDeniedError(ServiceError):
    """The signed-in account may not do this (not an administrator, not its own record)."""


class SignedRecordError(ServiceError):
    """A signed session was about to be changed; signed records are only amended."""


def check_version(stored: int, expected: int | None, what: str) -> None:
    """Refuse to overwrite a record that changed since the user opened it."""
    if expected is not None and stored != expected:
        raise ConcurrentChangeError(
            f"This {what} was changed on another workstation after you opened it. "
            "Your entries are still on screen: reopen the record and enter them again."
        )
