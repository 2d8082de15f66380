"""Whatever was typed, a sheet stays small: the limits bound it, and text stored before the
limits existed (or dates that overflow local time) is cut or kept in UTC, not a failure.

The time a sheet takes is measured by ``python -m benchmarks`` (the longest-sheet figure);
here its size is bounded, which is what the time follows.
"""

from __future__ import annotations

import io
import time

import pypdf
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.platypus import Paragraph, SimpleDocTemplate
from sqlalchemy import text, update

from dnt_desktop.models import Patient
from dnt_desktop.pdf import render_aftercare
from dnt_desktop.pdf.columns import TwoColumns
from dnt_desktop.pdf.styles import styles
from dnt_desktop.services import aftercare, field_limits
from dnt_desktop.services.aftercare import longest_sheet
from dnt_desktop.storage.engine import Database

from .conftest import MakeSession, pdf_text, point, squash

LONGEST_SHEET_MAX_PAGES = 25
"""The longest sheet the limits allow has 19 pages; more means a limit grew."""


def _pages(data: bytes) -> int:
    return len(pypdf.PdfReader(io.BytesIO(data)).pages)


def test_the_longest_sheet_the_limits_allow_stays_bounded() -> None:
    sheet = longest_sheet()
    assert aftercare.template_problems(dict(sheet.templates)) == []
    limits = field_limits.FIELD_LIMITS
    assert len(sheet.patient_family_name) == limits["patient"]["family_name"].max_length
    assert len(sheet.stretches) == limits["session"]["stretches"].max_length
    data = render_aftercare(sheet)
    assert 10 < _pages(data) <= LONGEST_SHEET_MAX_PAGES
    assert sheet.patient_family_name[:40] in squash(pdf_text(data)).replace(" ", "")


def test_every_default_text_block_is_within_its_limit() -> None:
    bodies = {item.key: aftercare.default_text(item.key) for item in aftercare.template_specs()}
    assert aftercare.template_problems(bodies) == []


def test_a_block_is_limited_as_printed_with_its_placeholders_filled() -> None:
    problems = aftercare.template_problems({"closing": "{clinic_address} " * 3})
    assert [p.field for p in problems] == ["closing"]
    assert "as printed with the longest values in its placeholders" in problems[0].message
    forty_one = "\n".join(f"- line {n}" for n in range(41))
    assert "at most 40 lines" in aftercare.template_problems({"intro": forty_one})[0].message


def test_a_first_paragraph_taller_than_a_page_flows_on_instead_of_failing() -> None:
    style = styles().body
    tall = Paragraph("<br/>".join(f"line {n}" for n in range(150)), style)
    heading = Paragraph("What to expect", styles().heading)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4)
    document.build([TwoColumns([[heading, tall], [Paragraph("Other", style)]], gap=20)])
    assert _pages(buffer.getvalue()) >= 2


def test_a_100000_character_name_stored_before_the_limits_is_cut_on_the_sheet(
    db: Database, make_session: MakeSession, patient_id: int
) -> None:
    session_id = make_session([point("gluteus_medius")])
    with db.transaction() as session:
        session.execute(
            update(Patient).where(Patient.id == patient_id).values(family_name="Q" * 100_000)
        )
    sheet = aftercare.load_sheet(db, session_id)
    assert len(sheet.patient_family_name) == 100 and sheet.patient_family_name.endswith("…")
    assert _pages(render_aftercare(sheet)) == 1


@pytest.mark.parametrize("moment", ["0001-01-01 00:00:00.000000", "9999-12-31 23:59:00.000000"])
def test_an_overflowing_stored_date_prints_in_utc_in_every_time_zone(
    db: Database,
    make_session: MakeSession,
    monkeypatch: pytest.MonkeyPatch,
    moment: str,
) -> None:
    session_id = make_session([point("gluteus_medius")])
    with db.transaction() as session:  # the triggers of signed rows do not apply to drafts
        session.execute(
            text("UPDATE treatment_session SET started_at = :m, next_appointment = :m"),
            {"m": moment},
        )
    for zone in ("Pacific/Kiritimati", "Etc/GMT+12"):
        monkeypatch.setenv("TZ", zone)
        time.tzset()
        try:
            sheet = aftercare.load_sheet(db, session_id)
            assert _pages(render_aftercare(sheet)) >= 1
            assert aftercare.default_file_name(sheet).endswith(f"{moment[:10]}.pdf")
        finally:
            monkeypatch.delenv("TZ")
            time.tzset()
