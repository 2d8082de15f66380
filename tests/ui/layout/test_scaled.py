"""The layout tests again at 125 % (Windows' default on small laptops).

Qt reads QT_SCALE_FACTOR once, when the application starts, so the screens are checked
at 1.25 in a second test process: the 1366x768 screen is then 1093x614 logical pixels.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SCALE = "1.25"


@pytest.mark.skipif(bool(os.environ.get("QT_SCALE_FACTOR")), reason="this is the scaled run")
def test_every_screen_fits_1366x768_at_125_percent() -> None:
    here = Path(__file__).parent
    root = here.parents[2]
    env = dict(os.environ, QT_SCALE_FACTOR=SCALE, DNT_TEST_SCREEN="1366x768")
    for name in ("QT_QPA_PLATFORM", "XDG_DATA_HOME", "XDG_CONFIG_HOME"):
        env.pop(name, None)  # the child's conftest sets its own
    targets = [
        str(here / "test_screens.py"),
        str(here / "test_progress_screens.py"),  # issue 15
        str(here / "test_record_screens.py"),  # issue 17
        str(root / "tests/ui/test_keyboard.py"),
    ]
    result = subprocess.run(
        [sys.executable, "-m", "pytest", *targets, "-q", "-p", "no:cacheprovider"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
