"""The clinic's editable texts, their placeholders, and delivery records."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from dnt_desktop import demo
from dnt_desktop.models import AftercareDelivery, AftercareTemplate, AuditEvent, TreatmentSession
from dnt_desktop.models.enums import DeliveryKind, PageSize, Role, SessionStatus
from dnt_desktop.paths import resources_dir
from dnt_desktop.pdf import render_aftercare
from dnt_desktop.services import aftercare
from dnt_desktop.services.aftercare import SheetSettings
from dnt_desktop.services.errors import NotFoundError, PermissionDeniedError, ValidationError
from dnt_desktop.services.practitioners import PractitionerForm, insert_practitioner
from dnt_desktop.storage.engine import Database

from .conftest import LUNG_RISK, MakeSession, pdf_text, point, squash


def sheet_text(db: Database, session_id: int) -> str:
    return squash(pdf_text(render_aftercare(aftercare.load_sheet(db, session_id))))


@pytest.fixture
def admin_id(db: Database, practitioner_id: int) -> int:
    """An administrator beside the practitioner: only administrators change the texts."""
    with db.transaction() as session:  # set up as the clinic's data would be
        return insert_practitioner(
            session, None, PractitionerForm("Ann Admin", "ann", role=Role.ADMIN), None
        )


def test_only_an_administrator_changes_or_resets_the_texts(
    db: Database, practitioner_id: int
) -> None:
    with pytest.raises(PermissionDeniedError, match="Only an administrator"):
        aftercare.save_templates(db, practitioner_id, {"intro": "Custom intro"})
    with pytest.raises(PermissionDeniedError, match="Only an administrator"):
        aftercare.reset_templates(db, practitioner_id, ["intro"])
    with db.reading() as session:
        assert session.scalars(select(AftercareTemplate)).all() == []


def test_every_block_has_a_default_using_only_known_placeholders() -> None:
    keys = [s.key for s in aftercare.template_specs()]
    assert len(keys) == len(set(keys))
    for item in aftercare.specs_for(translation=False):
        if item.kind == "text":
            assert (resources_dir() / "aftercare" / "en" / f"{item.key}.txt").is_file(), item.key
        text = aftercare.default_text(item.key)
        assert text.strip(), item.key
        assert aftercare.unknown_placeholders(text, item.key) == [], item.key


def test_placeholders_are_filled_once_and_unknown_ones_stay_visible() -> None:
    values = {"patient_name": "{clinic_phone} <b>", "clinic_phone": "0123"}
    body = "Hi {patient_name}, call {clinic_phone}. {nope} {patient_name.__class__} {0}"
    assert aftercare.fill(body, values) == (
        "Hi {clinic_phone} <b>, call 0123. {nope} {patient_name.__class__} {0}"
    )
    assert aftercare.unknown_placeholders(body + " {nope}") == ["nope"]


def test_an_edited_text_appears_in_the_next_sheet_and_reset_restores_it(
    db: Database, admin_id: int, make_session: MakeSession
) -> None:
    session_id = make_session([point(LUNG_RISK)])
    before = sheet_text(db, session_id)
    assert "Drink plenty of water today." in before
    edited = "- Drink **two litres** of water, {patient_first_name}.\n- Rest <well> & {oops}."
    changed = aftercare.save_templates(db, admin_id, {"self_care": edited})
    assert changed == ["self_care"]
    after = sheet_text(db, session_id)
    assert "Drink two litres of water, Jane." in after
    assert "Rest <well> & {oops}." in after
    assert "Drink plenty of water today." not in after
    assert aftercare.edited_keys(db) == {"self_care"}

    assert aftercare.reset_templates(db, admin_id, ["self_care"]) == ["self_care"]
    assert "Drink plenty of water today." in sheet_text(db, session_id)
    assert aftercare.edited_keys(db) == set()
    with db.reading() as session:
        summaries = list(
            session.scalars(
                select(AuditEvent.summary).where(AuditEvent.entity_type == "aftercare_template")
            )
        )
    assert summaries == [
        "Aftercare text 'Looking after yourself' edited",
        "Aftercare text 'Looking after yourself' reset to the default",
    ]


def test_saving_the_default_text_stores_nothing(db: Database, admin_id: int) -> None:
    aftercare.save_templates(db, admin_id, {"intro": "Custom intro"})
    default = aftercare.default_text("intro")
    assert aftercare.save_templates(db, admin_id, {"intro": default + "\n\n"}) == ["intro"]
    with db.reading() as session:
        assert session.scalars(select(AftercareTemplate)).all() == []
    assert aftercare.save_templates(db, admin_id, {"intro": default}) == []


def test_safety_blocks_cannot_be_emptied(db: Database, admin_id: int) -> None:
    with pytest.raises(ValidationError) as caught:
        aftercare.save_templates(db, admin_id, {"lung_warning": "  \n", "intro": ""})
    assert [p.field for p in caught.value.problems] == ["lung_warning"]
    with pytest.raises(ValidationError):
        aftercare.save_templates(db, admin_id, {"no_such_block": "x"})
    with db.reading() as session:
        assert session.scalars(select(AftercareTemplate)).all() == []


def test_sheet_settings_are_validated_and_stored(db: Database, admin_id: int) -> None:
    with pytest.raises(ValidationError) as caught:
        aftercare.save_templates(db, admin_id, {}, SheetSettings(PageSize.A4, 0, "  "))
    assert {p.field for p in caught.value.problems} == {
        "avoid_alcohol_hours",
        "emergency_instruction",
    }
    aftercare.save_templates(db, admin_id, {}, SheetSettings(PageSize.LETTER, 12, "Call 911 now."))
    assert aftercare.sheet_settings(db) == SheetSettings(PageSize.LETTER, 12, "Call 911 now.")


def test_record_delivery_writes_the_row_and_an_audit_event(
    db: Database, practitioner_id: int, patient_id: int, make_session: MakeSession
) -> None:
    session_id = make_session([point("piriformis")])
    with db.reading() as session:
        version = session.get(TreatmentSession, session_id).version  # type: ignore[union-attr]
    delivery = aftercare.record_delivery(
        db, practitioner_id, session_id, DeliveryKind.SAVED, "saved as /tmp/x.pdf"
    )
    assert delivery.patient_id == patient_id
    aftercare.record_delivery(db, practitioner_id, session_id, DeliveryKind.PRINTED, "on HP")
    rows = aftercare.deliveries(db, session_id)
    assert [(r.kind, r.practitioner) for r in rows] == [
        (DeliveryKind.SAVED, "Pat Practitioner"),
        (DeliveryKind.PRINTED, "Pat Practitioner"),
    ]
    with db.reading() as session:
        events = session.execute(
            select(AuditEvent.action, AuditEvent.entity_id, AuditEvent.patient_id).where(
                AuditEvent.action.like("aftercare_%")
            )
        ).all()
        assert session.get(TreatmentSession, session_id).version == version  # type: ignore[union-attr]
    assert [tuple(e) for e in events] == [
        ("aftercare_save", session_id, patient_id),
        ("aftercare_print", session_id, patient_id),
    ]
    with pytest.raises(NotFoundError):
        aftercare.record_delivery(db, practitioner_id, 999, DeliveryKind.SAVED)


def test_a_signed_session_gets_its_sheet_and_delivery(db: Database) -> None:
    demo.generate(db, patients=3, seed=2)
    with db.reading() as session:
        signed = session.scalar(
            select(TreatmentSession.id).where(TreatmentSession.status == SessionStatus.SIGNED)
        )
    assert signed is not None
    sheet = aftercare.load_sheet(db, signed)
    text = squash(pdf_text(render_aftercare(sheet)))
    assert sheet.patient_given_name in text and sheet.points[0].muscle in text
    aftercare.record_delivery(db, 1, signed, DeliveryKind.PRINTED, "on printer")
    with db.reading() as session:
        count = session.query(AftercareDelivery).filter_by(session_id=signed).count()
    assert count == 1
