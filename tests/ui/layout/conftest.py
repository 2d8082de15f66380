"""The showcase patient (long names, danger alerts, eight points) in a clinic with accounts."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from dnt_desktop.demo.showcase import Showcase, add_showcase
from dnt_desktop.storage.engine import Database


@dataclass(frozen=True)
class Scene:
    """The clinic the layout tests look at."""

    accounts: object
    showcase: Showcase


@pytest.fixture
def scene(db: Database, clinic_accounts) -> Scene:
    """Accounts (admin alex, practitioner sam) and sam's showcase patient and session."""
    return Scene(clinic_accounts, add_showcase(db, clinic_accounts.sam_id))
