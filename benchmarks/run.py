"""The benchmark command: ``python -m benchmarks [--sizes 1000,20000] [--quick] [--json]``.

Builds (or reuses) the demo databases, measures every figure beside its floor and prints
the medians as a table (JSON with ``--json``). Run from the repository root.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import sys
import time
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

DEFAULT_SIZES = (1_000, 20_000, 100_000, 500_000)
QUICK_SIZES = (1_000, 20_000)
MAIN_SIZE = 20_000
"""Cold start, memory and saving are measured on this database (or the nearest below)."""
FIGURES = ("startup", "sizes", "search", "chart", "defaults", "save", "pdf", "check")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Speed and memory of dnt-desktop at clinic scale, beside their floors.",
    )
    parser.add_argument(
        "--sizes",
        help="database sizes in patients, comma-separated (default 1000,20000,100000,500000; "
        "--quick: 1000,20000)",
    )
    parser.add_argument("--repeat", type=int, help="measurements per figure (default 7, quick 3)")
    parser.add_argument(
        "--quick", action="store_true", help="fewer sizes and repetitions: a rough look"
    )
    parser.add_argument("--seed", type=int, default=1, help="demo data seed (1)")
    parser.add_argument(
        "--only",
        help=f"comma-separated subset of {','.join(FIGURES)} (default: all)",
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        help="where the databases are cached (default benchmarks/.data)",
    )
    parser.add_argument(
        "--json",
        nargs="?",
        const="-",
        metavar="FILE",
        help="also write the results as JSON to FILE (to stdout instead of the table without FILE)",
    )
    args = parser.parse_args(argv)
    sizes = args.sizes or ",".join(map(str, QUICK_SIZES if args.quick else DEFAULT_SIZES))
    try:
        args.sizes = sorted({int(size.replace("_", "")) for size in sizes.split(",")})
    except ValueError:
        parser.error(f"--sizes wants numbers separated by commas, not {sizes!r}")
    if any(size < 2 for size in args.sizes):
        parser.error("every size must be at least 2 patients")
    args.repeat = args.repeat or (3 if args.quick else 7)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    only = set((args.only or ",".join(FIGURES)).split(","))
    if only - set(FIGURES):
        parser.error(f"--only takes {', '.join(FIGURES)}")
    args.only = only
    return args


def log(message: str) -> None:
    """Progress on stderr (stdout carries the results)."""
    print(message, file=sys.stderr, flush=True)


QUIET_QT_MESSAGES = ("does not support propagateSizeHints",)
"""What the headless platform says about every top-level window: not news."""


def _qt_application() -> Any:
    """A headless QApplication whose message boxes raise instead of waiting for a click."""
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler
    from PySide6.QtWidgets import QApplication, QMessageBox

    def refuse(_parent: object, title: str, text: str, *_args: object, **_kw: object) -> None:
        raise RuntimeError(f"the app showed a message box: {title}: {text}")

    def qt_message(kind: QtMsgType, _context: object, message: str) -> None:
        if not any(quiet in message for quiet in QUIET_QT_MESSAGES):
            print(f"Qt {kind.name}: {message}", file=sys.stderr)

    for name in ("warning", "critical", "information", "question"):
        setattr(QMessageBox, name, staticmethod(refuse))
    qInstallMessageHandler(qt_message)
    return QApplication.instance() or QApplication(sys.argv[:1])


def environment() -> dict[str, Any]:
    """What the figures were measured on."""
    import PySide6
    import sqlalchemy

    cpu = platform.processor()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return {
        "date": datetime.now().isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "pyside6": PySide6.__version__,
        "sqlalchemy": sqlalchemy.__version__,
        "sqlite": sqlite3.sqlite_version,
        "platform": platform.platform(),
        "cpu": cpu,
        "cpus": os.cpu_count(),
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmarks; 0 when every figure was measured (met or not)."""
    args = parse_args(argv)
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    started = time.perf_counter()

    from dnt_desktop.storage.location import sqlite_url
    from dnt_desktop.storage.open import open_database

    from . import results
    from .databases import (
        DEFAULT_DATA_DIR,
        benchmark_database,
        clear_working_copies,
        quick_check_ms,
        working_copy,
    )

    data_dir: Path = (args.data_dir or DEFAULT_DATA_DIR).resolve()
    databases = [benchmark_database(size, args.seed, data_dir, log) for size in args.sizes]
    built = time.perf_counter() - started
    main_db = max(
        (d for d in databases if d.patients <= MAIN_SIZE),
        key=lambda d: d.patients,
        default=databases[0],
    )
    _qt_application()
    clear_working_copies(data_dir)
    figures: list[results.Figure] = []

    checks: dict[int, float] = {}
    if "startup" in args.only:
        from dnt_desktop import demo

        from .startup import startup_figures

        log(f"cold start and memory ({args.repeat} runs of each process)...")
        copy = working_copy(main_db, data_dir, "startup")
        password = getattr(demo, "DEMO_PASSWORD", "")
        figures += startup_figures(
            copy, main_db.patients, main_db.first_user, password, data_dir, args.repeat
        )
        checks = {d.patients: quick_check_ms(d.file) for d in databases}
    if "sizes" in args.only:
        from dnt_desktop import demo

        from .startup import size_figures

        password = getattr(demo, "DEMO_PASSWORD", "")
        for bench in databases:
            log(f"start, first chart and close at {bench.patients:,} patients...")
            copy = working_copy(bench, data_dir, f"sizes-{bench.patients}")
            figures += size_figures(
                copy,
                bench.patients,
                bench.first_user,
                password,
                bench.chart_patient_id,
                data_dir,
                args.repeat,
            )
            clear_working_copies(data_dir)
    for bench in databases:
        if not {"search", "chart", "defaults"} & args.only:
            break
        log(f"search, chart and point defaults at {bench.patients:,} patients...")
        db = open_database(sqlite_url(bench.file))
        try:
            if "search" in args.only:
                from .search import search_figures

                figures += search_figures(db, bench.file, bench.patients, args.repeat)
            if "chart" in args.only:
                from .chart import chart_figure

                figures.append(
                    chart_figure(db, bench.patients, bench.chart_patient_id, args.repeat)
                )
            if "defaults" in args.only:
                from .point_defaults import point_defaults_figure

                figures.append(point_defaults_figure(db, bench.file, bench.patients, args.repeat))
        finally:
            db.dispose()
    if "save" in args.only:
        from .save import save_figure

        log("saving a session...")
        copy = working_copy(main_db, data_dir, "save")
        db = open_database(sqlite_url(copy))
        try:
            patient = min(500, max(1, main_db.patients // 2))
            figures.append(save_figure(db, copy, main_db.patients, patient, args.repeat))
        finally:
            db.dispose()
    if "pdf" in args.only:
        from .aftercare import aftercare_figure, longest_sheet_figure

        log("aftercare PDF...")
        db = open_database(sqlite_url(main_db.file))
        try:
            figures.append(
                aftercare_figure(db, main_db.patients, main_db.chart_session_id, args.repeat)
            )
        finally:
            db.dispose()
        figures.append(longest_sheet_figure(main_db.patients, args.repeat))

    if "check" in args.only:
        from .check import check_figure

        for bench in databases:
            log(f"check at {bench.patients:,} patients...")
            figures.append(check_figure(bench.file, bench.patients, bench.sessions, args.repeat))

    clear_working_copies(data_dir)
    total = time.perf_counter() - started
    report = {
        "environment": environment(),
        "repeat": args.repeat,
        "seconds": {"databases": round(built, 1), "total": round(total, 1)},
        "databases": [
            {
                "patients": d.patients,
                "sessions": d.sessions,
                "file_mb": round(d.file.stat().st_size / 1e6, 1),
                "build_seconds": d.build_seconds,
                "reused": d.reused,
                "quick_check_ms": round(checks[d.patients], 1) if d.patients in checks else None,
            }
            for d in databases
        ],
        "figures": [f.as_dict() for f in figures],
        "growth": results.growth_as_dict(results.growth(figures)),
    }
    if args.json and args.json != "-":
        Path(args.json).write_text(json.dumps(report, indent=2), encoding="utf-8")
    if args.json == "-":
        print(json.dumps(report, indent=2))
    else:
        print(text_report(report, figures))
    return 0


def text_report(report: dict[str, Any], figures: list[Any]) -> str:
    """The table, the growth across sizes and the notes, as printed."""
    from . import results

    env = report["environment"]
    lines = [
        f"dnt-desktop benchmarks, {env['date']}: median of {report['repeat']} runs",
        f"Python {env['python']}, PySide6 {env['pyside6']}, SQLAlchemy {env['sqlalchemy']}, "
        f"SQLite {env['sqlite']}; {env['cpus']} x {env['cpu']}",
        "",
    ]
    for d in report["databases"]:
        how = "reused from the cache" if d["reused"] else f"built in {d['build_seconds']:.0f} s"
        check = d["quick_check_ms"]
        checked = f"; PRAGMA quick_check {check:,.0f} ms" if check is not None else ""
        lines.append(
            f"database: {d['patients']:,} patients, {d['sessions']:,} sessions, "
            f"{d['file_mb']:,} MB ({how}){checked}"
        )
    lines += ["", results.table(figures)]
    growth = results.growth(figures)
    if growth:
        lines += ["", "Growth with the number of patients:", results.growth_table(growth)]
    notes = [f for f in figures if f.detail or f.floor_title]
    if notes:
        lines += ["", "Notes:"]
        for f in notes:
            floor = f"floor: {f.floor_title}" if f.floor_title else ""
            text = "; ".join(part for part in (floor, f.detail) if part)
            lines.append(f"- {f.title} ({f.size:,}): {text}")
    seconds = report["seconds"]
    lines += [
        "",
        f"Finished in {seconds['total']:.0f} s ({seconds['databases']:.0f} s for the databases).",
    ]
    return "\n".join(lines)


if __name__ == "__main__":  # ``python benchmarks/run.py`` works as well as ``-m benchmarks``
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from benchmarks.run import main as run_main

    sys.exit(run_main())
