"""A point beyond the patient's lung-risk depth limit is named in the sheet's red box."""

from __future__ import annotations

from dnt_desktop.models import catalogue
from dnt_desktop.models.enums import ChartView, DepthClass, ScreeningStatus, Side
from dnt_desktop.pdf import render_aftercare
from dnt_desktop.services import aftercare
from dnt_desktop.services.clinical import record_screening
from dnt_desktop.services.drafts import PointDraft, ScreeningAnswerForm, ScreeningForm
from dnt_desktop.services.safety.limit_settings import set_limits
from dnt_desktop.services.safety.lung_limits import DepthLimit
from dnt_desktop.storage.engine import Database

from .conftest import MakeSession, spot
from .layout import text_layout


def rhomboid(depth: float) -> PointDraft:
    view, side, x, y = spot("rhomboid_major")
    return PointDraft(
        "rhomboid_major", Side(side), ChartView(view), x, y, DepthClass.DEEP, depth, 0.25, 25.0
    )


def screen(db: Database, practitioner_id: int, patient_id: int, height: float, weight: float):
    answers = [
        ScreeningAnswerForm(c.code, ScreeningStatus.ABSENT) for c in catalogue.contraindications()
    ]
    form = ScreeningForm(answers=answers, height_cm=height, weight_kg=weight)
    record_screening(db, practitioner_id, patient_id, form)


def sheet_text(db: Database, session_id: int) -> str:
    layout = text_layout(render_aftercare(aftercare.load_sheet(db, session_id)))
    return " ".join(piece[3] for page in layout for piece in page)


def test_bmi_19_beyond_the_clinics_rhomboid_limit_is_named_on_the_sheet(
    db: Database, make_session: MakeSession, practitioner_id: int, patient_id: int
) -> None:
    screen(db, practitioner_id, patient_id, 170.0, 55.0)  # BMI 19.0
    beyond = make_session([rhomboid(22.0)])
    sheet = aftercare.load_sheet(db, beyond)
    assert sheet.lung_limit_muscles == ("Rhomboid major",)
    text = sheet_text(db, beyond)
    assert "deeper than the clinic advises for you over" in text
    assert "Rhomboid major" in text

    within = make_session([rhomboid(15.0)])
    assert aftercare.load_sheet(db, within).lung_limit_muscles == ()
    assert "deeper than the clinic advises" not in sheet_text(db, within)


def test_the_clinics_own_stricter_limit_is_the_one_on_the_sheet(
    db: Database, make_session: MakeSession, practitioner_id: int, patient_id: int
) -> None:
    from dnt_desktop.models import Practitioner
    from dnt_desktop.models.enums import Role

    with db.transaction() as s:  # the fixture's practitioner runs the clinic
        s.get(Practitioner, practitioner_id).role = Role.ADMIN
    screen(db, practitioner_id, patient_id, 170.0, 55.0)
    set_limits(db, practitioner_id, {("rhomboid_major", "18_5_to_25"): DepthLimit(12, 25)})
    session_id = make_session([rhomboid(15.0)])
    assert aftercare.load_sheet(db, session_id).lung_limit_muscles == ("Rhomboid major",)
