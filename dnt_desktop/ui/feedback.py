"""Turning failures of services and storage into clear messages instead of tracebacks."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtWidgets import QMessageBox, QWidget

from dnt_desktop.services.errors import ServiceError, ValidationError
from dnt_desktop.services.rules import Problem
from dnt_desktop.storage.errors import StorageError

T = TypeVar("T")


def user_message(exc: BaseException) -> str | None:
    """The message to show for an expected failure; None for a programming error."""
    if isinstance(exc, ServiceError | StorageError):
        return str(exc)
    return None


def guarded(parent: QWidget | None, title: str, action: Callable[[], T]) -> T | None:
    """Run *action*; on an expected failure show its message and return None.

    Nothing on screen is touched, so what the user typed stays where it was.
    """
    try:
        return action()
    except (ServiceError, StorageError) as exc:
        QMessageBox.warning(parent, title, str(exc))
        return None


def guarded_form(
    parent: QWidget | None,
    title: str,
    action: Callable[[], T],
    show_problems: Callable[[list[Problem]], None],
) -> T | None:
    """As ``guarded``, but validation problems go to *show_problems* (next to their fields)."""
    try:
        return action()
    except ValidationError as exc:
        show_problems(exc.problems)
        return None
    except (ServiceError, StorageError) as exc:
        QMessageBox.warning(parent, title, str(exc))
        return None
