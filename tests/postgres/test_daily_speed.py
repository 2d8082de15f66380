"""Copy forward, protocols, note sections and phrases on PostgreSQL."""

from __future__ import annotations

from dnt_desktop.services import note_phrases, protocols, records
from dnt_desktop.services.copy_forward import copy_forward
from dnt_desktop.services.integrity import check_database
from dnt_desktop.services.sessions import draft_from, load_session, save_session
from dnt_desktop.services.signing import content_hash
from dnt_desktop.storage.engine import Database

from .conftest import PASSWORD, SESSION_DAY, draft_for


def test_sections_sign_and_a_copy_forward_leaves_the_original_verified(
    db: Database, pg_url, pract_id: int, admin_id: int, patient: int
) -> None:
    draft = draft_for(patient, pract_id)
    draft.subjective, draft.plan = "Neck stiff", "Review in a week"
    session_id = save_session(db, pract_id, draft).session_id
    records.sign_session(db, pract_id, session_id, PASSWORD)
    signed = load_session(db, session_id)
    assert (signed.subjective, signed.plan) == ("Neck stiff", "Review in a week")
    assert signed.content_hash == content_hash(signed)

    copy = copy_forward(db, patient, session_id, pract_id, SESSION_DAY)
    assert copy.subjective == copy.plan == copy.notes == "" and copy.side_effects == []
    assert copy.points == [
        type(p)(**{n: getattr(p, n) for n in protocols.PROTOCOL_POINT_FIELDS})
        for p in draft_from(signed).points
    ]
    save_session(db, pract_id, copy)
    assert records.signature_intact(db, session_id) is True

    protocol_id, _ = protocols.save_protocol(db, pract_id, "Neck", copy.points)
    protocols.share_protocol(db, admin_id, protocol_id, True)
    [view] = protocols.protocols_for(db, admin_id)
    assert view.shared and len(view.points) == len(copy.points)
    note_phrases.save_note_phrases(db, admin_id, ["Tolerated well.", "Review in one week."])
    assert note_phrases.note_phrases(db) == ["Tolerated well.", "Review in one week."]
    protocols.delete_protocol(db, admin_id, protocol_id)
    assert check_database(pg_url).ok
