"""`python -m dnt_desktop` runs the same command as `dnt-desktop`."""

import sys

from .cli import main

if __name__ == "__main__":  # not when a worker process of `check` imports this module
    sys.exit(main())
