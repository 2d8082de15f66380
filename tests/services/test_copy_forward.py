"""Copy forward from a signed session: what is copied, what never is, the original intact."""

from __future__ import annotations

from dataclasses import fields, replace
from datetime import date, timedelta
from pathlib import Path

import pytest

from dnt_desktop.services import records
from dnt_desktop.services.copy_forward import CARRIED_LISTS, copy_forward
from dnt_desktop.services.drafts import (
    PatientForm,
    PointDraft,
    SessionDraft,
    SideEffectDraft,
    carried_fields,
)
from dnt_desktop.services.errors import NotFoundError
from dnt_desktop.services.integrity import check_database
from dnt_desktop.services.patients import register_patient
from dnt_desktop.services.sessions import draft_from, load_session, save_session
from dnt_desktop.services.signing import content_hash
from dnt_desktop.storage.engine import Database
from dnt_desktop.storage.location import sqlite_url

from .conftest import PASSWORD, SESSION_DAY, draft_for


@pytest.fixture
def signed_id(db: Database, pract_id: int, patient: int) -> int:
    draft = draft_for(patient, pract_id, points=3)
    draft.points[1] = replace(draft.points[1], twitch_response=True, insertions=3, notes="LTR")
    draft.subjective = "Neck stiff on waking"
    draft.plan = "Review in a week"
    session_id = save_session(db, pract_id, draft).session_id
    records.sign_session(db, pract_id, session_id, PASSWORD)
    return session_id


def test_a_copy_of_a_signed_session_holds_its_points_and_conditions_only(
    db: Database, db_path: Path, pract_id: int, patient: int, signed_id: int
) -> None:
    before = load_session(db, signed_id)
    original = draft_from(before)
    when = SESSION_DAY + timedelta(days=7)

    copy = copy_forward(db, patient, signed_id, pract_id, when)

    assert copy.session_id is None and copy.version is None
    assert copy.patient_id == patient and copy.started_at == when
    assert copy.conditions == original.conditions and copy.adjuncts == original.adjuncts
    assert len(copy.points) == 3
    for copied, source in zip(copy.points, original.points, strict=True):
        for name in ("muscle_code", "side", "view", "x", "y", "depth_class", "depth_mm"):
            assert getattr(copied, name) == getattr(source, name)
        assert copied.needle_length_mm == source.needle_length_mm
        assert copied.needle_gauge_mm == source.needle_gauge_mm
        assert copied.technique == source.technique
        # what happened in that visit is not copied
        assert (copied.twitch_response, copied.insertions, copied.notes) == (False, 1, "")
    assert copy.pain_before is None and copy.pain_after is None
    assert copy.side_effects == []
    assert copy.notes == copy.subjective == copy.objective == copy.plan == ""
    assert copy.assessment == ""

    saved = save_session(db, pract_id, copy)
    assert saved.session_id != signed_id
    after = load_session(db, signed_id)
    assert draft_from(after) == original  # the original is unchanged...
    assert after.content_hash == before.content_hash == content_hash(after)
    assert records.signature_intact(db, signed_id) is True  # ...and still verifies
    assert check_database(sqlite_url(db_path)).ok


def test_what_copy_forward_copies_is_declared_not_listed() -> None:
    assert CARRIED_LISTS == ("conditions", "adjuncts", "points")
    never = {"pain_before", "pain_after", "notes", "side_effects", "subjective", "objective"}
    never |= {"assessment", "plan", "next_appointment", "stretches"}
    assert never.isdisjoint(carried_fields(SessionDraft))
    assert carried_fields(SideEffectDraft) == ()
    point = set(carried_fields(PointDraft))
    assert {"twitch_response", "insertions", "notes"}.isdisjoint(point)
    assert point | {"twitch_response", "insertions", "notes"} == {
        f.name for f in fields(PointDraft)
    }


def test_only_the_patients_own_sessions_are_copied(
    db: Database, pract_id: int, signed_id: int
) -> None:
    other = register_patient(db, pract_id, PatientForm("Roe", "Rick", date(1975, 1, 2)))
    with pytest.raises(NotFoundError):
        copy_forward(db, other, signed_id, pract_id, SESSION_DAY)
