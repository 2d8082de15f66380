"""Opening a database already at the current schema does not load Alembic (start-up time)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from alembic.script import ScriptDirectory

from dnt_desktop.storage.migrate import _scripted_head, alembic_config, head_revision

OPEN_AND_REPORT = """
import sys
from dnt_desktop.storage.location import sqlite_url
from dnt_desktop.storage.open import open_database
open_database(sqlite_url(sys.argv[1])).dispose()
print("alembic loaded" if "alembic" in sys.modules else "alembic not loaded")
"""


def test_the_head_read_from_the_scripts_is_alembics_head() -> None:
    assert _scripted_head() is not None
    assert head_revision() == ScriptDirectory.from_config(alembic_config()).get_current_head()


def test_a_current_database_opens_without_alembic(db_path: Path, tmp_path: Path) -> None:
    def open_in_new_process(path: Path) -> str:
        done = subprocess.run(
            [sys.executable, "-c", OPEN_AND_REPORT, str(path)],
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        )
        return done.stdout.strip()

    assert open_in_new_process(db_path) == "alembic not loaded"
    assert open_in_new_process(tmp_path / "new.sqlite3") == "alembic loaded"  # created: migrated
