"""Sending a finished PDF to a printer through CUPS (Linux, macOS): the document as it is.

CUPS takes PDF jobs and rasterises them for the printer itself, so the printout (and a
PDF printer's file) keeps the sheet's real text: searchable, and readable by a screen
reader. ``lp`` is run without a shell, the document on its standard input. Where there is
no ``lp`` (Windows), the GUI draws the pages as images instead.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass

LP_TIMEOUT_SECONDS = 30
SIDES = {
    "none": "one-sided",
    "long": "two-sided-long-edge",
    "short": "two-sided-short-edge",
}


class PrintError(Exception):
    """The job could not be handed to the printer; ``str(error)`` says why."""


@dataclass(frozen=True)
class PrintJob:
    """What the print dialog chose: printer, copies, paper, sides and pages."""

    printer: str
    title: str = "Aftercare sheet"
    copies: int = 1
    media: str = "A4"
    sides: str | None = None
    """'none', 'long' or 'short' (two-sided, binding edge); None: the printer's default."""
    first_page: int = 0
    last_page: int = 0
    """A page range (1-based, inclusive); 0 and 0: every page."""


def can_print_pdf() -> bool:
    """True where CUPS's ``lp`` can take the PDF itself (not on Windows)."""
    return sys.platform != "win32" and shutil.which("lp") is not None


def lp_command(job: PrintJob) -> list[str]:
    """The ``lp`` command line of *job*, reading the document from standard input."""
    command = [
        "lp",
        "-d",
        job.printer,
        "-n",
        str(max(1, job.copies)),
        "-t",
        job.title,
        "-o",
        f"media={job.media}",
    ]
    if job.sides in SIDES:
        command += ["-o", f"sides={SIDES[job.sides]}"]
    if job.first_page > 0:
        last = max(job.first_page, job.last_page)
        command += ["-P", f"{job.first_page}-{last}"]
    command.append("-")
    return command


def send_pdf(data: bytes, job: PrintJob) -> str:
    """Hand *data* (a PDF) to the printer of *job*; returns what ``lp`` answered
    ("request id is Laser-12 (1 file(s))"). Raises PrintError with a readable reason."""
    lp = shutil.which("lp")
    if lp is None:
        raise PrintError("the print system (CUPS) is not installed")
    command = lp_command(job)
    command[0] = lp
    try:
        done = subprocess.run(
            command,
            input=data,
            capture_output=True,
            timeout=LP_TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise PrintError(
            f"the print system did not answer within {LP_TIMEOUT_SECONDS} seconds"
        ) from None
    except OSError as exc:
        raise PrintError(f"the print system could not be started ({exc.strerror or exc})") from exc
    answer = done.stdout.decode("utf-8", "replace").strip()
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip() or answer
        reason = reason.removeprefix("lp:").strip() or f"lp ended with code {done.returncode}"
        raise PrintError(reason)
    return answer
