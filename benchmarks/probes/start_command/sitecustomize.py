"""Start-command probe: the app_start hook inside the ``dnt-desktop`` that start.sh runs.

``scripts/start.sh`` checks the install and then replaces itself with the console script
``.venv/bin/dnt-desktop``, so the probe cannot call the app itself. Python imports this
module at start-up when its folder is on PYTHONPATH; in the ``dnt-desktop`` process (and
only there, and only when ``DNT_START_PROBE`` holds ``USER PASSWORD``) it installs the
same hook as ``app_start.py`` before the app runs, which prints ``READY`` and the rest.
"""

from __future__ import annotations

import atexit
import os
import sys
from pathlib import Path


def _install() -> None:
    settings = os.environ.get("DNT_START_PROBE")
    if not settings or Path(sys.argv[0]).name != "dnt-desktop":
        return
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from app_start import install_hook, never_ready

    user, _, password = settings.partition(" ")
    hook = install_hook(user, password, chart=False)
    atexit.register(never_ready, hook)


_install()
