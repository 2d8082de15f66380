"""Every entity round-trips, and the schema's constraints hold at the database level."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from dnt_desktop.models import (
    AftercareDelivery,
    AftercareTemplate,
    AlertAcknowledgement,
    Amendment,
    AppSetting,
    AuditEvent,
    Clinic,
    Consent,
    NeedlingPoint,
    Patient,
    Practitioner,
    Screening,
    ScreeningAnswer,
    SessionAdjunct,
    SessionCondition,
    SideEffect,
    TreatmentSession,
)
from dnt_desktop.models.enums import (
    ChartView,
    ConsentMethod,
    DeliveryKind,
    DepthClass,
    Onset,
    Role,
    ScreeningStatus,
    Severity,
    Side,
    Technique,
)
from dnt_desktop.storage.engine import Database

WHEN = datetime(2026, 11, 2, 10, 30, tzinfo=UTC)


def _base(db: Database) -> tuple[int, int]:
    with db.transaction() as s:
        s.add(Clinic(id=1, name="Clinic", logo=b"\x89PNG", logo_mime="image/png"))
        doc = Practitioner(full_name="Dr Who", username="who", role=Role.ADMIN)
        s.add(doc)
        s.flush()
        patient = Patient(
            chart_number="C1",
            family_name="Ångström",
            given_name="Zoë",
            family_name_key="a",
            given_name_key="z",
            date_of_birth=date(1990, 2, 3),
        )
        s.add(patient)
        s.flush()
        return doc.id, patient.id


def _point(**changes: object) -> NeedlingPoint:
    values: dict[str, object] = dict(
        number=1,
        muscle_code="upper_trapezius",
        side=Side.RIGHT,
        view=ChartView.BACK,
        x=0.4,
        y=0.2,
        depth_class=DepthClass.DEEP,
        depth_mm=15.0,
        needle_gauge_mm=0.25,
        needle_length_mm=25.0,
        insertions=3,
        twitch_response=True,
        technique=Technique.PISTONING,
    )
    values.update(changes)
    return NeedlingPoint(**values)


def test_every_entity_round_trips(db: Database) -> None:
    doc, pid = _base(db)
    with db.transaction() as s:
        s.add(
            Screening(
                patient_id=pid,
                practitioner_id=doc,
                screened_at=WHEN,
                answers=[
                    ScreeningAnswer(
                        code="pregnancy", status=ScreeningStatus.PRESENT, detail="12 wk"
                    )
                ],
            )
        )
        s.add(
            Consent(
                patient_id=pid,
                practitioner_id=doc,
                consented_on=date(2026, 11, 1),
                text_version="v1",
                method=ConsentMethod.VERBAL,
            )
        )
        session = TreatmentSession(
            patient_id=pid,
            practitioner_id=doc,
            started_at=WHEN,
            pain_before=7,
            pain_after=3,
            conditions=[SessionCondition(code="other", other_text="Jaw pain")],
            adjuncts=[SessionAdjunct(code="exercise")],
            points=[_point()],
            side_effects=[SideEffect(code="bruising", severity=Severity.MILD, onset=Onset.AFTER)],
        )
        s.add(session)
        s.flush()
        s.add(
            AlertAcknowledgement(
                session_id=session.id, code="x", message="m", acknowledged_by_id=doc
            )
        )
        s.add(Amendment(session_id=session.id, author_id=doc, text="Addendum"))
        s.add(
            AftercareDelivery(session_id=session.id, practitioner_id=doc, kind=DeliveryKind.PRINTED)
        )
        s.add(AppSetting(key="k", value="v"))
        s.add(AftercareTemplate(key="expect", body="Text"))
        s.add(AuditEvent(action="create", entity_type="session", entity_id=session.id))
        sid = session.id
    with db.reading() as s:
        row = s.get(TreatmentSession, sid)
        assert row is not None
        assert row.started_at == WHEN and row.started_at.tzinfo is not None
        assert row.patient.family_name == "Ångström"
        assert row.patient.screenings[0].answers[0].status == ScreeningStatus.PRESENT
        assert row.patient.consents[0].method == ConsentMethod.VERBAL
        assert [c.other_text for c in row.conditions] == ["Jaw pain"]
        assert row.points[0].technique == Technique.PISTONING and row.points[0].twitch_response
        assert row.side_effects[0].onset == Onset.AFTER
        assert row.acknowledgements[0].code == "x"
        assert row.amendments[0].text == "Addendum"
        assert row.deliveries[0].kind == DeliveryKind.PRINTED
        assert s.get(Clinic, 1).logo == b"\x89PNG"  # type: ignore[union-attr]
        assert s.get(AppSetting, "k").value == "v"  # type: ignore[union-attr]
        assert s.scalar(select(AuditEvent.action)) == "create"


@pytest.mark.parametrize(
    "changes",
    [
        dict(depth_class=DepthClass.SUPERFICIAL, depth_mm=15.0),
        dict(depth_class=DepthClass.DEEP, depth_mm=8.0, needle_length_mm=25.0),
        dict(depth_mm=30.0, needle_length_mm=25.0),
        dict(depth_mm=0.0, depth_class=DepthClass.SUPERFICIAL),
        dict(insertions=0),
        dict(x=1.5),
    ],
)
def test_database_rejects_impossible_points(db: Database, changes: dict[str, object]) -> None:
    doc, pid = _base(db)
    with pytest.raises(IntegrityError), db.transaction() as s:
        s.add(
            TreatmentSession(
                patient_id=pid, practitioner_id=doc, started_at=WHEN, points=[_point(**changes)]
            )
        )


def test_pain_outside_0_to_10_and_duplicate_chart_numbers_are_rejected(db: Database) -> None:
    doc, pid = _base(db)
    with pytest.raises(IntegrityError), db.transaction() as s:
        s.add(
            TreatmentSession(patient_id=pid, practitioner_id=doc, started_at=WHEN, pain_before=11)
        )
    with pytest.raises(IntegrityError), db.transaction() as s:
        s.add(
            Patient(
                chart_number="C1",
                family_name="X",
                given_name="Y",
                family_name_key="x",
                given_name_key="y",
                date_of_birth=date(2000, 1, 1),
            )
        )


def test_foreign_keys_are_enforced(db: Database) -> None:
    _base(db)
    with pytest.raises(IntegrityError), db.transaction() as s:
        s.add(TreatmentSession(patient_id=999, practitioner_id=999, started_at=WHEN))


def test_naive_datetimes_are_refused(db: Database) -> None:
    doc, pid = _base(db)
    with pytest.raises(Exception, match="naive datetime"), db.transaction() as s:
        s.add(
            TreatmentSession(patient_id=pid, practitioner_id=doc, started_at=datetime(2026, 1, 1))
        )
