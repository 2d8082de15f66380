"""Dependencies point one way: ui -> services -> models/storage (README, "For developers").

Every import in the package is read, those inside functions too (a late import is still
a dependency): storage and models import neither services nor anything above them,
nothing below ui imports Qt, and ui holds no SQL (no SQLAlchemy, no sqlite3).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "dnt_desktop"
ABOVE_SERVICES = ("dnt_desktop.ui", "dnt_desktop.commands", "dnt_desktop.cli")
QT = ("PySide6", "shiboken6")
SQL = ("sqlalchemy", "sqlite3", "alembic")


def _module_of(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Every module the file *path* imports."""
    return imports_in(
        path.read_text(encoding="utf-8"), _module_of(path), path.name == "__init__.py"
    )


def imports_in(source: str, module: str, is_package: bool = False) -> set[str]:
    """Every module *source* imports as module *module*, relative imports made absolute."""
    package = module if is_package else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                name = ".".join([*base, node.module] if node.module else base)
            else:
                name = node.module or ""
            found.add(name)
            found.update(f"{name}.{alias.name}" for alias in node.names)
    return found


def _files(folder: str) -> list[Path]:
    return sorted((PACKAGE / folder).rglob("*.py"))


def _offending(files: list[Path], banned: tuple[str, ...]) -> list[str]:
    return [
        f"{path.relative_to(PACKAGE.parent)} imports {name}"
        for path in files
        for name in sorted(imports_of(path))
        if any(name == b or name.startswith(b + ".") for b in banned)
    ]


@pytest.mark.parametrize("folder", ["storage", "models"])
def test_storage_and_models_import_nothing_above_them(folder: str) -> None:
    banned = ("dnt_desktop.services", "dnt_desktop.pdf", "dnt_desktop.demo", *ABOVE_SERVICES)
    assert _offending(_files(folder), banned) == []


@pytest.mark.parametrize("folder", ["services", "pdf", "demo"])
def test_below_the_ui_nothing_imports_the_ui(folder: str) -> None:
    assert _offending(_files(folder), ABOVE_SERVICES) == []


@pytest.mark.parametrize("folder", ["storage", "models", "services", "pdf", "demo", "commands"])
def test_nothing_below_the_ui_imports_qt(folder: str) -> None:
    assert _offending(_files(folder), QT) == []


def test_the_ui_holds_no_sql() -> None:
    assert _offending(_files("ui"), SQL) == []


def test_the_reader_finds_a_late_upward_import() -> None:
    """The kind of import these tests exist for: inside a function, relative or not."""
    source = "def upgrade():\n    from dnt_desktop.services import audit\n    from ... import x\n"
    found = imports_in(source, "dnt_desktop.storage.migrations.versions.example")
    assert "dnt_desktop.services" in found and "dnt_desktop.services.audit" in found
    assert "dnt_desktop.storage.x" in found  # '...' from storage/migrations/versions
