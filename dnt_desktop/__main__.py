"""`python -m dnt_desktop` runs the same command as `dnt-desktop`."""

import sys

from .cli import main

sys.exit(main())
