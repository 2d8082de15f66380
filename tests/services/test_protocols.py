"""Protocols: saved from a session's points, applied in one action, shared by admins."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from dnt_desktop.models import Practitioner
from dnt_desktop.models.enums import ChartView, DepthClass, Role, Side, Technique
from dnt_desktop.services import protocols
from dnt_desktop.services.clinical import clinical_state, record_screening
from dnt_desktop.services.drafts import PointDraft, SessionDraft, carried_fields
from dnt_desktop.services.errors import PermissionDeniedError, ValidationError
from dnt_desktop.services.rules import RuleSettings, session_alerts
from dnt_desktop.storage.engine import Database

from .test_clinical import screening

WHEN = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


def points() -> list[PointDraft]:
    return [
        PointDraft(
            "upper_trapezius",
            Side.LEFT,
            ChartView.BACK,
            0.4,
            0.2,
            DepthClass.DEEP,
            20.0,
            0.3,
            40.0,
            insertions=3,
            twitch_response=True,
            technique=Technique.PISTONING,
            notes="x",
        ),
        PointDraft(
            "upper_trapezius",
            Side.RIGHT,
            ChartView.BACK,
            0.6,
            0.2,
            DepthClass.DEEP,
            20.0,
            0.3,
            40.0,
        ),
        PointDraft(
            "extensor_carpi_radialis_brevis",
            Side.RIGHT,
            ChartView.BACK,
            0.8,
            0.5,
            DepthClass.SUPERFICIAL,
            8.0,
            0.25,
            25.0,
        ),
    ]


def account(db: Database, name: str, username: str, role: Role = Role.PRACTITIONER) -> int:
    with db.transaction() as session:
        row = Practitioner(full_name=name, username=username, role=role)
        session.add(row)
        session.flush()
        return row.id


@pytest.fixture
def admin_id(db: Database, practitioner_id: int) -> int:
    return account(db, "Ada Admin", "ada", Role.ADMIN)


def test_a_protocol_keeps_what_copy_forward_carries(db: Database, practitioner_id: int) -> None:
    protocol_id, changes = protocols.save_protocol(db, practitioner_id, " Neck ", points())
    assert changes.protocols
    [view] = protocols.protocols_for(db, practitioner_id)
    assert (view.protocol_id, view.name, view.shared) == (protocol_id, "Neck", False)
    assert view.owner_name == "Pat Practitioner" and view.summary == "3 points"
    for kept, placed in zip(view.points, points(), strict=True):
        for name in carried_fields(PointDraft):
            assert getattr(kept, name) == getattr(placed, name)
        assert (kept.insertions, kept.twitch_response, kept.notes) == (1, False, "")


def test_applied_to_a_patient_on_anticoagulants_the_alerts_are_those_by_hand(
    db: Database, practitioner_id: int, patient_id: int
) -> None:
    record_screening(db, practitioner_id, patient_id, screening(bleeding_anticoagulants="Warfarin"))
    protocols.save_protocol(db, practitioner_id, "Neck", points())
    [view] = protocols.protocols_for(db, practitioner_id)
    state = clinical_state(db, patient_id)
    settings = RuleSettings()
    empty = SessionDraft(patient_id, practitioner_id, WHEN)
    by_protocol = protocols.applied(empty, view)
    by_hand = SessionDraft(
        patient_id, practitioner_id, WHEN, points=protocols.protocol_points(points())
    )
    assert by_protocol.points == by_hand.points
    alerts = session_alerts(state, by_protocol, settings)
    assert alerts == session_alerts(state, by_hand, settings)
    codes = {a.code for a in alerts}
    assert any("anticoagulant" in code for code in codes), codes
    assert alerts != session_alerts(state, empty, settings)  # the points add their own


def test_names_must_be_given_and_unique(db: Database, practitioner_id: int) -> None:
    with pytest.raises(ValidationError, match="Enter a name"):
        protocols.save_protocol(db, practitioner_id, "  ", points())
    with pytest.raises(ValidationError, match="Place the protocol's points"):
        protocols.save_protocol(db, practitioner_id, "Empty", [])
    protocols.save_protocol(db, practitioner_id, "Neck", points())
    with pytest.raises(ValidationError, match="already a protocol named"):
        protocols.save_protocol(db, practitioner_id, "Neck", points())


def test_owners_rename_and_delete_their_own_and_admins_share(
    db: Database, practitioner_id: int, admin_id: int
) -> None:
    other = account(db, "Kim Other", "kim")
    protocol_id, _ = protocols.save_protocol(db, practitioner_id, "Neck", points())
    assert protocols.protocols_for(db, other) == []  # not shared yet
    with pytest.raises(PermissionDeniedError):
        protocols.rename_protocol(db, other, protocol_id, "Mine")
    with pytest.raises(PermissionDeniedError):
        protocols.share_protocol(db, practitioner_id, protocol_id, True)
    protocols.rename_protocol(db, practitioner_id, protocol_id, "Neck bilateral")
    protocols.share_protocol(db, admin_id, protocol_id, True)
    [seen] = protocols.protocols_for(db, other)
    assert (seen.name, seen.shared) == ("Neck bilateral", True)
    with pytest.raises(PermissionDeniedError, match="administrator"):
        protocols.delete_protocol(db, practitioner_id, protocol_id)  # shared: admins only
    protocols.rename_protocol(db, admin_id, protocol_id, "Upper trapezius bilateral")
    protocols.delete_protocol(db, admin_id, protocol_id)
    assert protocols.protocols_for(db, practitioner_id) == []
