"""The aftercare PDF built from sessions charted through the services."""

from __future__ import annotations

import builtins
import io
import urllib.request
from collections.abc import Callable
from datetime import UTC, datetime

import pypdf
import pytest

from dnt_desktop.models import Clinic
from dnt_desktop.models.enums import DepthClass, PageSize, ThermalAdvice
from dnt_desktop.pdf import render_aftercare
from dnt_desktop.services import aftercare
from dnt_desktop.services.drafts import AdjunctDraft, ConditionDraft, SideEffectDraft
from dnt_desktop.services.errors import NotFoundError
from dnt_desktop.storage.engine import Database

from .conftest import LUNG_RISK, NO_LUNG_RISK, MakeSession, pdf_text, point, squash

LUNG_BOX = "Urgent: breathing problems after treatment near the chest"
DEEP_SORENESS = "can last a little longer after deep needling"
MILD_SORENESS = "Mild soreness is possible"


def sheet_text(db: Database, session_id: int) -> str:
    return squash(pdf_text(render_aftercare(aftercare.load_sheet(db, session_id))))


def page_count(data: bytes) -> int:
    return len(pypdf.PdfReader(io.BytesIO(data)).pages)


@pytest.mark.parametrize(
    ("family", "given"),
    [
        ("O'Brien <b>& Sons", "Seán"),
        ("Łódź Żółć", "Gęślą"),
        ("Ångström-Nuñez", "Zoë"),
        ('<img src="/etc/passwd">', "<font color=red>Red</font>"),
    ],
)
def test_the_patients_name_prints_exactly_as_typed(
    db: Database,
    make_session: MakeSession,
    add_patient: Callable[[str, str], int],
    family: str,
    given: str,
) -> None:
    session_id = make_session([point("gluteus_medius")], patient=add_patient(family, given))
    text = sheet_text(db, session_id)
    assert f"{given} {family}" in text
    assert f"Dear {given}," in text


def test_the_sheet_names_conditions_and_every_muscle(
    db: Database, make_session: MakeSession
) -> None:
    session_id = make_session(
        [point(m) for m in NO_LUNG_RISK],
        conditions=[ConditionDraft("back_pain"), ConditionDraft("other", "Hip <stiffness>")],
    )
    text = sheet_text(db, session_id)
    assert "Treated for: Back pain, Hip <stiffness>" in text
    for name in ("Gluteus medius", "Piriformis", "Vastus lateralis", "Gastrocnemius"):
        assert name in text
    assert "Test Clinic" in text and "+44 1632 960 000" in text
    assert "Pat Practitioner" in text and "Reg. no. PH-1" in text
    assert "20 November 2026" in text and "17 May 1980" in text


def test_soreness_wording_follows_the_depth(db: Database, make_session: MakeSession) -> None:
    deep = sheet_text(db, make_session([point("gluteus_medius", DepthClass.DEEP)]))
    superficial = sheet_text(
        db, make_session([point("gluteus_medius", DepthClass.SUPERFICIAL)] * 2)
    )
    assert DEEP_SORENESS in deep and MILD_SORENESS not in deep
    assert MILD_SORENESS in superficial and DEEP_SORENESS not in superficial
    mixed = [point("piriformis", DepthClass.SUPERFICIAL), point("piriformis", DepthClass.DEEP)]
    assert DEEP_SORENESS in sheet_text(db, make_session(mixed))


def test_side_effect_advice_only_when_side_effects_were_recorded(
    db: Database, make_session: MakeSession
) -> None:
    none = sheet_text(db, make_session([point("piriformis")]))
    assert "Side effects seen today" not in none
    assert "turn blue, green or yellow" not in none
    some = sheet_text(
        db,
        make_session(
            [point("piriformis")],
            side_effects=[
                SideEffectDraft("bruising"),
                SideEffectDraft("drowsiness"),
                SideEffectDraft("fainting"),
            ],
        ),
    )
    assert "Side effects seen today" in some
    assert "Bruising: A cold pack" in some and "turn blue, green or yellow" in some
    assert "Drowsiness: Rest today" in some
    assert "Fainting or feeling faint: If you feel faint, lie down" in some
    assert "Bleeding:" not in some


def test_the_pneumothorax_box_appears_exactly_when_a_risk_muscle_was_needled(
    db: Database, make_session: MakeSession
) -> None:
    safe = sheet_text(db, make_session([point(m) for m in NO_LUNG_RISK]))
    assert LUNG_BOX not in safe
    superficial_risk = [point(LUNG_RISK, DepthClass.SUPERFICIAL), point("gluteus_medius")]
    risky = sheet_text(db, make_session(superficial_risk))
    assert LUNG_BOX in risky
    assert "get emergency care now" in risky
    assert "Call the emergency number (112 / 999 / 911)" in risky


def test_the_clinics_emergency_instruction_and_hours_are_used(
    db: Database, make_session: MakeSession
) -> None:
    with db.transaction() as session:
        clinic = session.get(Clinic, 1)
        assert clinic is not None
        clinic.emergency_instruction = "Dial 000 <now> & say 'needling'."
        clinic.avoid_alcohol_hours = 48
    text = sheet_text(db, make_session([point(LUNG_RISK)]))
    assert "Dial 000 <now> & say 'needling'." in text
    assert "Avoid alcohol and caffeine for 48 hours" in text


def test_markup_typed_by_users_prints_as_text(db: Database, make_session: MakeSession) -> None:
    stretches = '<img src="/etc/passwd">\n<font color=red>Calf stretch</font> & hold 30 s'
    session_id = make_session(
        [point("gastrocnemius_medial")],
        stretches=stretches,
        adjuncts=[AdjunctDraft("other", '<a href="http://example.com">walk</a>')],
        side_effects=[SideEffectDraft("other", other_text="<b>dizzy</b>")],
    )
    text = sheet_text(db, session_id)
    assert '<img src="/etc/passwd">' in text
    assert "<font color=red>Calf stretch</font> & hold 30 s" in text
    assert '<a href="http://example.com">walk</a>' in text
    assert "<b>dizzy</b>:" in text


def test_thermal_advice_next_appointment_and_adjuncts(
    db: Database, make_session: MakeSession
) -> None:
    session_id = make_session(
        [point("piriformis")],
        thermal=ThermalAdvice.ICE,
        adjuncts=[AdjunctDraft("exercise"), AdjunctDraft("massage")],
        next_appointment=datetime(2026, 11, 27, 9, 15, tzinfo=UTC),
    )
    text = sheet_text(db, session_id)
    assert "Use ice on sore areas" in text and "Use heat" not in text
    assert "Carry on with the rest of your treatment plan: Exercise; Massage" in text
    assert "Your next appointment" in text and "27 November 2026" in text
    without = sheet_text(db, make_session([point("piriformis")], thermal=ThermalAdvice.HEAT))
    assert "Use heat on sore areas" in without and "Your next appointment" not in without


def test_the_build_opens_no_file_and_no_address(
    db: Database, make_session: MakeSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    session_id = make_session(
        [point(LUNG_RISK)],
        stretches='<img src="/etc/passwd"/> <img src="http://example.com/x.png"/>',
        conditions=[ConditionDraft("other", '<img src="file:///etc/hostname"/>')],
    )
    sheet = aftercare.load_sheet(db, session_id)
    render_aftercare(sheet)  # fonts registered and figures cached by an earlier build
    opened: list[object] = []

    def refuse(*args: object, **kwargs: object) -> None:
        opened.append(args[0] if args else kwargs)
        raise AssertionError(f"the PDF build tried to open {args[:1]}")

    monkeypatch.setattr(builtins, "open", refuse)
    monkeypatch.setattr(io, "open", refuse)
    monkeypatch.setattr(urllib.request, "urlopen", refuse)
    data = render_aftercare(sheet)
    monkeypatch.undo()
    assert opened == []
    assert '<img src="/etc/passwd"/>' in squash(pdf_text(data))


def test_pdf_metadata_and_real_text(db: Database, make_session: MakeSession) -> None:
    data = render_aftercare(aftercare.load_sheet(db, make_session([point("piriformis")])))
    meta = pypdf.PdfReader(io.BytesIO(data)).metadata
    assert meta is not None
    assert meta.title == "Aftercare sheet – Jane Doe – 20 November 2026"
    assert meta.author == "Test Clinic"
    assert meta.subject == "Aftercare advice after dry needling"
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in pypdf.PdfReader(io.BytesIO(data)).pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert any("DejaVuSans" in name for name in fonts), fonts


def test_a_typical_session_fits_one_page(db: Database, make_session: MakeSession) -> None:
    points = [point(m) for m in (LUNG_RISK, "levator_scapulae", "infraspinatus", "deltoid")]
    session_id = make_session(
        (points * 3)[:10],
        side_effects=[SideEffectDraft("bruising")],
        stretches="Upper trapezius stretch, 3 x 30 s each side",
        adjuncts=[AdjunctDraft("exercise")],
        next_appointment=datetime(2026, 11, 27, 9, 15, tzinfo=UTC),
    )
    data = render_aftercare(aftercare.load_sheet(db, session_id))
    assert page_count(data) == 1
    assert "Page 1 of 1" in pdf_text(data)


def test_a_forty_point_session_flows_onto_numbered_pages(
    db: Database, make_session: MakeSession
) -> None:
    muscles = [LUNG_RISK, *NO_LUNG_RISK, "rhomboid_major", "infraspinatus", "tibialis_anterior"]
    session_id = make_session(
        [point(muscles[i % len(muscles)]) for i in range(40)],
        side_effects=[SideEffectDraft("bruising"), SideEffectDraft("headache")],
        stretches="\n".join(f"Stretch {i}, 3 x 30 s" for i in range(1, 6)),
        next_appointment=datetime(2026, 11, 27, 9, 15, tzinfo=UTC),
    )
    data = render_aftercare(aftercare.load_sheet(db, session_id))
    reader = pypdf.PdfReader(io.BytesIO(data))
    total = len(reader.pages)
    assert total >= 2
    for number, page in enumerate(reader.pages, start=1):
        assert f"Page {number} of {total}" in page.extract_text()
    text = squash(pdf_text(data))
    for number in range(1, 41):
        assert f" {number} " in text
    assert LUNG_BOX in squash(reader.pages[0].extract_text())  # the warning stays on page 1
    # No orphaned heading: every heading on a page is followed by text on that page.
    for page in reader.pages:
        lines = [line.strip() for line in page.extract_text().splitlines() if line.strip()]
        for heading in ("What to expect", "Looking after yourself", "When to seek help"):
            if heading in lines:
                assert lines.index(heading) < len(lines) - 2


def test_letter_and_a4_page_sizes(db: Database, make_session: MakeSession) -> None:
    session_id = make_session([point("piriformis")])
    a4 = pypdf.PdfReader(io.BytesIO(render_aftercare(aftercare.load_sheet(db, session_id))))
    assert round(float(a4.pages[0].mediabox.width)) == 595
    with db.transaction() as session:
        clinic = session.get(Clinic, 1)
        assert clinic is not None
        clinic.page_size = PageSize.LETTER
    letter = pypdf.PdfReader(io.BytesIO(render_aftercare(aftercare.load_sheet(db, session_id))))
    assert round(float(letter.pages[0].mediabox.width)) == 612


def test_an_unknown_session_is_a_clear_error(db: Database, practitioner_id: int) -> None:
    with pytest.raises(NotFoundError, match="Session 999 does not exist"):
        aftercare.load_sheet(db, 999)


def test_default_file_name_is_safe_and_readable(db: Database, make_session: MakeSession) -> None:
    sheet = aftercare.load_sheet(db, make_session([point("piriformis")]))
    assert aftercare.default_file_name(sheet) == "Aftercare - Doe, Jane - 2026-11-20.pdf"
    odd = aftercare.AftercareSheet(
        **{**sheet.__dict__, "patient_family_name": 'A/B:C*"?<>|', "patient_given_name": "D\\E"}
    )
    name = aftercare.default_file_name(odd)
    assert name == "Aftercare - A_B_C______, D_E - 2026-11-20.pdf"


def test_reportlab_refuses_every_remote_or_file_url(monkeypatch: pytest.MonkeyPatch) -> None:
    from reportlab.lib import utils

    import dnt_desktop.pdf  # noqa: F401  (locks reportlab down on import)

    fetched: list[object] = []
    monkeypatch.setattr(utils, "urlopen", lambda *args, **kwargs: fetched.append(args))
    for url in (
        "http://example.com/logo.png",
        "https://example.com/logo.png",
        "ftp://example.com/logo.png",
        "file:///etc/hostname",
    ):
        with pytest.raises(OSError):
            utils.open_for_read(url)
    assert fetched == []


def _png(width: int, height: int) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (23, 80, 110)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.parametrize(("logo", "images"), [(_png(300, 120), 1), (b"not an image", 0)])
def test_the_clinic_logo_is_drawn_and_a_broken_one_is_skipped(
    db: Database, make_session: MakeSession, logo: bytes, images: int
) -> None:
    with db.transaction() as session:
        clinic = session.get(Clinic, 1)
        assert clinic is not None
        clinic.logo, clinic.logo_mime = logo, "image/png"
    data = render_aftercare(aftercare.load_sheet(db, make_session([point("piriformis")])))
    page = pypdf.PdfReader(io.BytesIO(data)).pages[0]
    assert len(page.images) == images
    assert "Test Clinic" in page.extract_text()
