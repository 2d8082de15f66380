"""The desktop launcher: a freedesktop menu entry that starts this install with its icon.

``scripts/setup-env.sh`` writes it after installing, and anyone can again with
``.venv/bin/python -m dnt_desktop.launcher``. It goes to
``$XDG_DATA_HOME/applications/dnt-desktop.desktop`` (``~/.local/share/applications``),
where Linux desktops (GNOME, KDE, Xfce, ...) list it with the other applications; it
starts the ``dnt-desktop`` program beside the running Python (``.venv/bin/dnt-desktop``
of this checkout) directly, without the set-up script. No Qt here.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from .paths import resources_dir

DESKTOP_FILE = "dnt-desktop.desktop"
"""File name of the entry; also the app's desktop file name (``setDesktopFileName``)."""


def applications_dir() -> Path:
    """Where per-user menu entries live: ``$XDG_DATA_HOME/applications``."""
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "applications"


def program() -> Path:
    """The ``dnt-desktop`` program of this environment (beside its Python)."""
    return Path(sys.executable).with_name("dnt-desktop")


def icon_file() -> Path:
    """The app's icon (an SVG that every freedesktop menu can draw)."""
    return resources_dir() / "icons" / "app.svg"


def _exec_argument(path: Path) -> str:
    """*path* quoted as one Exec argument (Desktop Entry Specification 1.5, "Exec key")."""
    quoted = "".join("\\" + c if c in '"`$\\' else c for c in str(path))
    # The value of a string key escapes backslashes once more.
    return '"' + quoted.replace("\\", "\\\\") + '"'


def _string_value(text: str) -> str:
    """A value of a string key: backslash and line breaks escaped."""
    return text.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t")


def desktop_entry(exe: Path, icon: Path) -> str:
    """The text of the .desktop file that starts *exe* with *icon*."""
    lines = [
        "[Desktop Entry]",
        "Type=Application",
        "Version=1.5",
        "Name=dnt-desktop",
        "GenericName=Dry-needling charting",
        "Comment=Chart dry-needling sessions and print aftercare sheets",
        f"Exec={_exec_argument(exe)}",
        f"TryExec={_string_value(str(exe))}",
        f"Icon={_string_value(str(icon))}",
        "Terminal=false",
        "Categories=Office;MedicalSoftware;Science;",
        "Keywords=physiotherapy;dry needling;patients;sessions;aftercare;",
        "StartupNotify=true",
        "StartupWMClass=dnt-desktop",
    ]
    return "\n".join(lines) + "\n"


def install(directory: Path | None = None, exe: Path | None = None) -> Path:
    """Write the entry into *directory* (the user's applications folder); returns its path.

    An entry already holding the same text is left untouched.
    """
    target = (directory or applications_dir()) / DESKTOP_FILE
    text = desktop_entry(exe or program(), icon_file())
    if target.is_file() and target.read_text(encoding="utf-8", errors="replace") == text:
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{DESKTOP_FILE}.partial")
    partial.write_bytes(text.encode("utf-8"))
    partial.chmod(0o755)  # some desktops only trust executable entries in user folders
    partial.replace(target)
    return target


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m dnt_desktop.launcher [--quiet] [--dir DIR]``."""
    parser = argparse.ArgumentParser(
        prog="python -m dnt_desktop.launcher",
        description="Add dnt-desktop, with its icon, to this user's applications menu.",
    )
    parser.add_argument("--dir", type=Path, help=f"folder to write into ({applications_dir()})")
    parser.add_argument("--quiet", action="store_true", help="print nothing when it works")
    args = parser.parse_args(argv)
    exe = program()
    if not exe.is_file():
        print(f"launcher: {exe} does not exist: install the app first", file=sys.stderr)
        return 1
    try:
        target = install(args.dir, exe)
    except OSError as exc:
        print(f"launcher: could not write the menu entry: {exc}", file=sys.stderr)
        return 1
    if not args.quiet:
        print(f"Menu entry written: {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
