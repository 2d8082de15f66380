"""The desktop launcher: a valid freedesktop entry for this install's program and icon."""

from __future__ import annotations

from pathlib import Path

from dnt_desktop import launcher


def entry_fields(text: str) -> dict[str, str]:
    lines = text.splitlines()
    assert lines[0] == "[Desktop Entry]"
    return dict(line.split("=", 1) for line in lines[1:])


def test_the_entry_starts_the_program_with_the_apps_icon(tmp_path: Path) -> None:
    exe = tmp_path / "venv" / "bin" / "dnt-desktop"
    fields = entry_fields(launcher.desktop_entry(exe, launcher.icon_file()))
    assert fields["Type"] == "Application"
    assert fields["Exec"] == f'"{exe}"'
    assert fields["TryExec"] == str(exe)
    assert Path(fields["Icon"]).is_file() and fields["Icon"].endswith("app.svg")
    assert fields["Terminal"] == "false"


def test_reserved_characters_in_the_path_are_escaped() -> None:
    exe = Path('/home/a "b"/$x/dnt-desktop')
    fields = entry_fields(launcher.desktop_entry(exe, Path("/i.svg")))
    assert fields["Exec"] == '"/home/a \\\\"b\\\\"/\\\\$x/dnt-desktop"'


def test_install_writes_once_and_rewrites_only_a_changed_entry(tmp_path: Path) -> None:
    exe = tmp_path / "dnt-desktop"
    target = launcher.install(tmp_path / "applications", exe)
    assert target.name == "dnt-desktop.desktop"
    assert target.read_text(encoding="utf-8") == launcher.desktop_entry(exe, launcher.icon_file())
    written = target.stat().st_mtime_ns
    assert launcher.install(tmp_path / "applications", exe) == target
    assert target.stat().st_mtime_ns == written
    other = tmp_path / "moved" / "dnt-desktop"
    launcher.install(tmp_path / "applications", other)
    assert f'Exec="{other}"' in target.read_text(encoding="utf-8")
    assert not list(target.parent.glob(".*partial"))


def test_the_command_refuses_without_an_installed_program(
    tmp_path: Path, monkeypatch, capsys
) -> None:
    monkeypatch.setattr(launcher, "program", lambda: tmp_path / "missing" / "dnt-desktop")
    assert launcher.main(["--dir", str(tmp_path)]) == 1
    assert "install the app first" in capsys.readouterr().err
    assert not list(tmp_path.glob("*.desktop"))
