"""The app's closing work in a process of its own (``services.closing``).

``python -m dnt_desktop.commands.closing --db PATH [--actor ID]`` is started by the app as
its windows close, detached from it, so that closing takes no longer at 500,000 patients
than at 1,000. It writes nothing to the terminal: its outcome is the record in the data
folder's ``closing/`` (read at the next start) and, for an unexpected error, crash.log.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path


def main(argv: Sequence[str] | None = None) -> int:
    """Make the closing backup of ``--db``, check it and note the file as verified."""
    parser = argparse.ArgumentParser(prog="python -m dnt_desktop.commands.closing")
    parser.add_argument("--db", required=True, type=Path)
    parser.add_argument("--actor", type=int, default=None)
    args = parser.parse_args(argv)

    from dnt_desktop.services.closing import close_and_verify

    try:
        close_and_verify(args.db, args.actor)
    except Exception as exc:  # kept in the record for the next start to show
        print(f"dnt-desktop closing backup: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
