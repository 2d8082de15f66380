"""What both start-up probes share: reporting lines and the peak memory of the process."""

from __future__ import annotations

import resource
import sys
from pathlib import Path


def say(key: str, value: str) -> None:
    """One ``KEY value`` line on stdout, flushed at once (the parent reads it live)."""
    print(f"{key} {value}", flush=True)


def peak_rss_kb() -> int:
    """The process's peak resident memory in kB (VmHWM; ru_maxrss where /proc is absent)."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // 1024 if sys.platform == "darwin" else peak
