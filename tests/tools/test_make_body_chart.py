"""tools/make_body_chart.py regenerates resources/body_chart/*.json byte for byte."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TOOL = ROOT / "tools" / "make_body_chart.py"
COMMITTED = ROOT / "resources" / "body_chart"
REGENERATE = "python tools/make_body_chart.py"


def first_difference(expected: bytes, actual: bytes) -> str:
    """Where two files first differ, line by line, for a readable failure."""
    old, new = expected.splitlines(keepends=True), actual.splitlines(keepends=True)
    for number, (a, b) in enumerate(zip(old, new, strict=False), start=1):
        if a != b:
            pairs = enumerate(zip(a, b, strict=False))
            col = next((i for i, (x, y) in pairs if x != y), min(len(a), len(b)))
            start = max(0, col - 40)
            return (
                f"line {number}, column {col + 1}: committed {a[start : col + 40]!r}, "
                f"tool writes {b[start : col + 40]!r}"
            )
    return f"committed file has {len(old)} lines, the tool writes {len(new)}"


def test_the_tool_writes_exactly_the_committed_body_chart(tmp_path: Path) -> None:
    out = tmp_path / "body_chart"
    # -S: no site-packages, so the tool runs on the standard library alone (no Qt);
    # -I: the environment and the current folder change nothing.
    run = subprocess.run(
        [sys.executable, "-I", "-S", str(TOOL), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    written = sorted(p.name for p in out.iterdir())
    assert written == ["back.json", "front.json"]
    assert sorted(p.name for p in COMMITTED.glob("*.json")) == written
    for name in written:
        expected = (COMMITTED / name).read_bytes()
        actual = (out / name).read_bytes()
        assert actual == expected, (
            f"resources/body_chart/{name} is not what the tool writes "
            f"({first_difference(expected, actual)}): edit tools/make_body_chart.py, "
            f"never the JSON, and run `{REGENERATE}`"
        )
