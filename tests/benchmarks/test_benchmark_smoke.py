"""The benchmark command still runs end to end on a tiny database (no timing is judged)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from benchmarks.results import Figure, Goal, growth
from benchmarks.timing import Samples

ROOT = Path(__file__).resolve().parents[2]
FIGURE_KEYS = {
    "cold_start",
    "start_command",
    "memory",
    "search.surname",
    "search.chart",
    "search.birth",
    "search.letter",
    "search.rare_letter",
    "signin_dialog",
    "start_to_register",
    "first_chart",
    "close",
    "closing_work",
    "open_chart",
    "point_defaults",
    "save_session",
    "aftercare_pdf",
    "aftercare_pdf_longest",
    "check",
}


def run_benchmarks(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "benchmarks", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_every_figure_is_measured_on_a_tiny_database_and_the_cache_is_reused(
    tmp_path: Path,
) -> None:
    data, results = tmp_path / "data", tmp_path / "results.json"
    first = run_benchmarks(
        *("--sizes", "50", "--repeat", "1", "--data-dir", str(data), "--json", str(results))
    )
    assert first.returncode == 0, first.stderr[-4000:]
    assert "building the 50-patient demo database" in first.stderr
    for title in ("cold start to usable main window", "open a chart (100 sessions)", "met"):
        assert title in first.stdout
    report = json.loads(results.read_text(encoding="utf-8"))
    assert report["databases"][0]["reused"] is False
    assert report["databases"][0]["sessions"] > 100
    figures = {f["key"]: f for f in report["figures"]}
    assert set(figures) == FIGURE_KEYS
    assert all(f["patients"] == 50 and f["median"] > 0 for f in figures.values())
    for key in (
        "cold_start",
        "start_command",
        "search.surname",
        "save_session",
        "aftercare_pdf",
        "aftercare_pdf_longest",
        "check",
    ):
        assert figures[key]["floor_median"] > 0, key

    again = run_benchmarks(
        *("--sizes", "50", "--repeat", "1", "--data-dir", str(data), "--only", "search", "--json")
    )
    assert again.returncode == 0, again.stderr[-4000:]
    assert "building" not in again.stderr
    report = json.loads(again.stdout)
    assert report["databases"][0]["reused"] is True
    assert {f["key"] for f in report["figures"]} == {
        "search.surname",
        "search.chart",
        "search.birth",
        "search.letter",
        "search.rare_letter",
    }


def figure(key: str, size: int, median: float, floor: float | None = None) -> Figure:
    return Figure(
        key=key,
        title=key,
        size=size,
        samples=Samples([median]),
        floor=Samples([floor]) if floor is not None else None,
        goal=Goal("<= 2x floor; < 30 ms at 100k", 2.0, 30.0, 100_000),
    )


def test_goals_and_growth_verdicts() -> None:
    assert figure("search.x", 1_000, 3.0, 2.0).met
    assert not figure("search.x", 1_000, 5.0, 2.0).met
    assert not figure("search.x", 100_000, 40.0, 39.0).met  # ratio fine, too slow at 100k
    assert figure("search.x", 20_000, 40.0, 39.0).met  # the ceiling is for 100k only
    rows = growth(
        [
            figure("search.x", 1_000, 2.0, 1.0),
            figure("search.x", 100_000, 5.0, 4.0),
            figure("open_chart", 1_000, 10.0),
            figure("open_chart", 100_000, 31.0),
            figure("save_session", 1_000, 1.0, 1.0),
        ]
    )
    assert {row.key: row.verdict for row in rows} == {"search.x": "flat", "open_chart": "GROWS"}
