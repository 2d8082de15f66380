"""The Safety report's figures, computed from sessions saved and signed through the services."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from dnt_desktop.models.enums import Onset, Severity
from dnt_desktop.services import records
from dnt_desktop.services.drafts import SideEffectDraft
from dnt_desktop.services.errors import ValidationError
from dnt_desktop.services.safety.late_events import LateEventForm, record_late_event
from dnt_desktop.services.safety.report import CategoryRow, SafetyReport, safety_report
from dnt_desktop.services.safety.stats import Comparison
from dnt_desktop.services.sessions import save_session
from dnt_desktop.storage.engine import Database

from ..conftest import PASSWORD, SESSION_DAY, draft_for

FIRST = SESSION_DAY.date() - timedelta(days=1)


def chart(db: Database, practitioner: int, patient: int, count: int, bruised: int) -> list[int]:
    """*count* signed sessions of one point each, the first *bruised* with a bruise."""
    ids = []
    for i in range(count):
        draft = draft_for(patient, practitioner, points=1)
        draft.started_at = SESSION_DAY + timedelta(minutes=i)
        draft.side_effects = (
            [SideEffectDraft("bruising", Severity.MILD, Onset.AFTER)] if i < bruised else []
        )
        session_id = save_session(db, practitioner, draft).session_id
        records.sign_session(db, practitioner, session_id, PASSWORD)
        ids.append(session_id)
    return ids


def row(report: SafetyReport, code: str) -> CategoryRow:
    return next(r for r in [*report.categories, *report.totals] if r.code == code)


def test_rates_beside_the_literature_from_saved_sessions(
    db: Database, admin_id: int, pract_id: int, patient: int
) -> None:
    ids = chart(db, pract_id, patient, 1000, bruised=80)
    report = safety_report(db, admin_id, FIRST, FIRST + timedelta(days=3))
    assert report.treatments == 1000
    bruising = row(report, "bruising")
    assert (bruising.rate.events, round(bruising.rate.percent, 1)) == (80, 8.0)
    assert bruising.comparisons["brady2014"] == Comparison.NOT_ABOVE
    assert bruising.above == []

    # the patients of twenty more sessions phone in with a bruise the next day
    for session_id in ids[500:520]:
        form = LateEventForm("bruising", Severity.MILD, 18, "Cold pack advised.")
        record_late_event(db, pract_id, session_id, form)
    report = safety_report(db, admin_id, FIRST, FIRST + timedelta(days=3))
    bruising = row(report, "bruising")
    assert bruising.rate.events == 100
    assert round(bruising.rate.percent, 1) == 10.0
    assert (round(bruising.rate.low, 1), round(bruising.rate.high, 1)) == (8.3, 12.0)
    assert bruising.published["brady2014"].percent == 7.55
    assert "Brady 2014" in bruising.above
    assert report.late_events == 20

    pneumothorax = row(report, "pneumothorax")
    assert pneumothorax.rate.events == 0 and pneumothorax.rate.rule_of_three
    assert round(pneumothorax.rate.high, 1) == 0.3


def test_too_few_treatments_says_so(
    db: Database, admin_id: int, pract_id: int, patient: int
) -> None:
    chart(db, pract_id, patient, 30, bruised=10)
    report = safety_report(db, admin_id, FIRST, FIRST + timedelta(days=3))
    assert report.treatments == 30 and report.too_few
    bruising = row(report, "bruising")
    assert round(bruising.rate.percent, 1) == 33.3
    assert bruising.comparisons["brady2014"] == Comparison.TOO_FEW
    assert bruising.above == []


def test_the_period_drafts_and_practitioner_scope(
    db: Database, admin_id: int, pract_id: int, other_id: int, patient: int
) -> None:
    chart(db, pract_id, patient, 3, bruised=1)
    chart(db, other_id, patient, 2, bruised=0)
    draft = draft_for(patient, pract_id, points=1)
    save_session(db, pract_id, draft)  # a draft is not a treatment of the report
    whole = safety_report(db, admin_id, FIRST, FIRST + timedelta(days=3))
    assert (whole.treatments, whole.scope) == (5, "Whole clinic")
    # a practitioner sees only their own sessions, whatever they ask for
    own = safety_report(db, pract_id, FIRST, FIRST + timedelta(days=3), practitioner_id=other_id)
    assert (own.treatments, own.scope) == (3, "Sessions of Sam Physio")
    by_practitioner = whole.breakdowns[0]
    assert [(g.name, g.rate.treatments, g.rate.events) for g in by_practitioner.rows] == [
        ("Sam Physio", 3, 1),
        ("Kim Other", 2, 0),
    ]
    regions = {b.title: b for b in whole.breakdowns}
    assert [g.name for g in regions["By muscle"].rows] == ["Upper trapezius"]
    assert [g.name for g in regions["Deep against superficial needling"].rows] == ["Deep needling"]
    later = safety_report(db, admin_id, date(2027, 1, 1), date(2027, 12, 31))
    assert later.treatments == 0 and row(later, "bruising").rate.percent is None
    with pytest.raises(ValidationError, match="ends before it starts"):
        safety_report(db, admin_id, date(2027, 1, 2), date(2027, 1, 1))
