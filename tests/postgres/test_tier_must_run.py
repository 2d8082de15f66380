"""The PostgreSQL tier cannot pass on CI by not running."""

from __future__ import annotations

import pytest

from .cluster import find_bin_dir
from .conftest import unavailable


def test_missing_postgresql_fails_on_ci_and_skips_elsewhere(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI is set"):
        unavailable("no initdb")
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="no initdb"):
        unavailable("no initdb")


def test_the_server_binaries_are_found_where_debian_puts_them() -> None:
    bin_dir = find_bin_dir()
    if bin_dir is None:
        unavailable("PostgreSQL server binaries (initdb, pg_ctl) not found")
    assert bin_dir is not None
    assert (bin_dir / "initdb").exists() and (bin_dir / "pg_ctl").exists()
