"""The clinic's lung-risk depth limits and the BMI measured at screening."""

from __future__ import annotations

import pytest

from dnt_desktop.models import AuditEvent, Practitioner, catalogue
from dnt_desktop.models.enums import Role
from dnt_desktop.services.accounts import PermissionDeniedError
from dnt_desktop.services.clinical import clinical_state, record_screening
from dnt_desktop.services.drafts import ScreeningAnswerForm, ScreeningForm
from dnt_desktop.services.errors import ValidationError
from dnt_desktop.services.safety.limit_settings import limit_rows, set_limits
from dnt_desktop.services.safety.lung_limits import DepthLimit, default_limits
from dnt_desktop.services.settings import rule_settings
from dnt_desktop.storage.engine import Database

KEY = ("rhomboid_major", "18_5_to_25")


def make_admin(db: Database, practitioner_id: int) -> int:
    with db.transaction() as s:
        s.get(Practitioner, practitioner_id).role = Role.ADMIN
    return practitioner_id


def test_the_shipped_defaults_are_the_clinics_setting_until_changed(
    db: Database, practitioner_id: int
) -> None:
    rows = {(r.muscle_code, r.band_code): r for r in limit_rows(db)}
    assert rows[KEY].limit == DepthLimit(19, 25) and not rows[KEY].changed
    assert rule_settings(db).lung_limits == default_limits()
    admin = make_admin(db, practitioner_id)
    set_limits(db, admin, {KEY: DepthLimit(17, 25)})
    rows = {(r.muscle_code, r.band_code): r for r in limit_rows(db)}
    assert rows[KEY].limit == DepthLimit(17, 25) and rows[KEY].changed
    assert rows[KEY].default == DepthLimit(19, 25)
    assert rule_settings(db).lung_limits[KEY] == DepthLimit(17, 25)
    with db.reading() as s:
        event = s.query(AuditEvent).order_by(AuditEvent.id.desc()).first()
        assert "Lung-risk limit Rhomboid major" in event.summary
    set_limits(db, admin, {KEY: DepthLimit(19, 25)})  # back to the default: no row kept
    assert not {(r.muscle_code, r.band_code): r for r in limit_rows(db)}[KEY].changed


def test_only_administrators_change_them_and_values_are_checked(
    db: Database, practitioner_id: int
) -> None:
    with pytest.raises(PermissionDeniedError):
        set_limits(db, practitioner_id, {KEY: DepthLimit(17, 25)})
    admin = make_admin(db, practitioner_id)
    with pytest.raises(ValidationError, match="cannot be more than the longest needle"):
        set_limits(db, admin, {KEY: DepthLimit(30, 25)})
    with pytest.raises(ValidationError, match="from 1 to 100 mm"):
        set_limits(db, admin, {KEY: DepthLimit(0, 25)})
    with pytest.raises(ValidationError, match="not a lung-risk muscle"):
        set_limits(db, admin, {("gluteus_medius", "18_5_to_25"): DepthLimit(10, 25)})


def test_height_and_weight_at_screening_give_the_bmi(
    db: Database, practitioner_id: int, patient_id: int
) -> None:
    answers = [ScreeningAnswerForm(c.code) for c in catalogue.contraindications()]
    record_screening(db, practitioner_id, patient_id, ScreeningForm(answers))
    assert clinical_state(db, patient_id).bmi is None
    form = ScreeningForm(answers, height_cm=170.0, weight_kg=55.0)
    record_screening(db, practitioner_id, patient_id, form)
    assert round(clinical_state(db, patient_id).bmi, 1) == 19.0
    with pytest.raises(ValidationError, match="height must be from 50 to 250 cm"):
        record_screening(db, practitioner_id, patient_id, ScreeningForm(answers, height_cm=17.0))
    with pytest.raises(ValidationError, match="weight must be from 20 to 350 kg"):
        record_screening(db, practitioner_id, patient_id, ScreeningForm(answers, weight_kg=550))
