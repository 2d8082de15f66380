"""`dnt-desktop safety-report`: the same report as the app, as PDF or CSV."""

from __future__ import annotations

import csv
from pathlib import Path

from ..test_cli import run


def test_safety_report_writes_csv_and_pdf_of_the_demo(tmp_path: Path) -> None:
    db = tmp_path / "demo.sqlite3"
    assert run("demo", "--patients", "60", "--db", str(db)).returncode == 0
    out = tmp_path / "safety.csv"
    result = run("safety-report", "--db", str(db), "--from", "2000-01-01", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert "treatments) written to" in result.stdout
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    by_code = {r["category"]: r for r in rows}
    assert {"bruising", "bleeding", "pneumothorax", "any_mild", "any_serious"} <= set(by_code)
    bruising = by_code["bruising"]
    assert bruising["brady2014_percent"] == "7.550" and bruising["boyce2020_percent"] == "7.700"
    assert int(bruising["treatments"]) > 100
    assert float(bruising["ci95_low_percent"]) <= float(bruising["rate_percent"])
    assert by_code["pneumothorax"]["interval"] == "rule of three"
    pdf = tmp_path / "safety.pdf"
    result = run("safety-report", "--db", str(db), "-o", str(pdf))
    assert result.returncode == 0, result.stderr
    assert pdf.read_bytes().startswith(b"%PDF")
    assert run("check", "--db", str(db)).returncode == 0  # the exports were audited soundly


def test_bad_dates_and_file_types_get_one_clear_line(tmp_path: Path) -> None:
    db = tmp_path / "demo.sqlite3"
    result = run("safety-report", "--db", str(db), "--from", "31/01/2026", "-o", "x.csv")
    assert result.returncode != 0 and "write it as YYYY-MM-DD" in result.stderr
    result = run("safety-report", "--db", str(db), "-o", str(tmp_path / "x.txt"))
    assert result.returncode != 0 and "name a .pdf or a .csv file" in result.stderr
    assert "Traceback" not in result.stderr
