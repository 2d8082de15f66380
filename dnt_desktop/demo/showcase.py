"""One demo patient who exercises every screen at its fullest.

Long names, a danger alert with a long text, a screening due for review, consent, and a
session of eight points (two muscles whose names differ only at the end, a long muscle
name, a pneumothorax-risk muscle) with side effects: what the layout tests and the
screenshots in docs/screenshots look at. Written through the services, as the app would.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from dnt_desktop.models.enums import (
    ChartView,
    ConsentMethod,
    DepthClass,
    Onset,
    ScreeningStatus,
    Severity,
    Sex,
    Side,
    Technique,
)
from dnt_desktop.services import body_map
from dnt_desktop.services.clinical import record_consent, record_screening
from dnt_desktop.services.drafts import (
    ConditionDraft,
    ConsentForm,
    PatientForm,
    PointDraft,
    ScreeningAnswerForm,
    ScreeningForm,
    SessionDraft,
    SideEffectDraft,
)
from dnt_desktop.services.patients import register_patient
from dnt_desktop.services.rules import screening_questions
from dnt_desktop.services.sessions import save_session
from dnt_desktop.services.signed_consent import attach_signed_scan
from dnt_desktop.storage.engine import Database

SCREENED_MONTHS_AGO = 14
"""Older than the default review interval (12 months): the chart flags it."""

POINTS: tuple[tuple[str, str, Side, float, float], ...] = (
    ("back", "extensor_carpi_radialis_longus", Side.RIGHT, 25.0, 30.0),
    ("back", "extensor_carpi_radialis_brevis", Side.RIGHT, 20.0, 30.0),
    ("back", "thoracic_paraspinals", Side.LEFT, 8.0, 25.0),
    ("back", "upper_trapezius", Side.LEFT, 12.0, 25.0),
    ("back", "infraspinatus", Side.LEFT, 15.0, 25.0),
    ("back", "gluteus_medius", Side.RIGHT, 40.0, 50.0),
    ("back", "gastrocnemius_medial", Side.LEFT, 20.0, 30.0),
    ("front", "flexor_digitorum_superficialis", Side.RIGHT, 10.0, 30.0),
)
"""View, muscle, side, depth (mm) and needle length (mm) of the showcase session."""


@dataclass(frozen=True)
class Showcase:
    """The showcase patient and their charted session."""

    patient_id: int
    session_id: int


def spot(view: str, muscle: str, side: Side) -> tuple[float, float]:
    """A normalised position inside a region of *view* that lists *muscle*, on *side*."""
    figure = body_map.figure(view)
    regions = [r for r in figure.regions if muscle in r.muscles]
    preferred = [r for r in regions if r.side == side.value] or regions
    for region in preferred:
        left, top, right, bottom = region.bbox
        steps = 16
        for i in range(steps // 2, steps):
            for j in range(steps // 2, steps):
                for x, y in (
                    (left + (right - left) * i / steps, top + (bottom - top) * j / steps),
                    (left + (right - left) * (steps - i) / steps, top + (bottom - top) * j / steps),
                ):
                    if region.contains(x, y) and figure.inside(x, y):
                        return x, y
    raise ValueError(f"No place for {muscle} on the {view} view")


def showcase_session(patient_id: int, practitioner_id: int, started: datetime) -> SessionDraft:
    """The eight-point session with its side effects (not saved)."""
    points = []
    for view, muscle, side, depth, length in POINTS:
        x, y = spot(view, muscle, side)
        points.append(
            PointDraft(
                muscle_code=muscle,
                side=side,
                view=ChartView(view),
                x=x,
                y=y,
                depth_class=DepthClass.SUPERFICIAL if depth <= 10 else DepthClass.DEEP,
                depth_mm=depth,
                needle_gauge_mm=0.25,
                needle_length_mm=length,
                insertions=3 if muscle.startswith("extensor") else 1,
                twitch_response=muscle == "infraspinatus",
                technique=Technique.PISTONING if muscle == "gluteus_medius" else Technique.STATIC,
                notes="Marked twitch, referral to the lateral arm"
                if muscle == "infraspinatus"
                else "",
            )
        )
    return SessionDraft(
        patient_id=patient_id,
        practitioner_id=practitioner_id,
        started_at=started,
        conditions=[ConditionDraft("tennis_elbow"), ConditionDraft("neck_pain")],
        pain_before=6,
        pain_after=3,
        notes="Tender taut bands in the right forearm extensors; grip pain reproduced.",
        points=points,
        side_effects=[
            SideEffectDraft("soreness", Severity.MODERATE, Onset.AFTER),
            SideEffectDraft("pain_during", Severity.MILD, Onset.DURING, True, "Paused, breathing"),
            SideEffectDraft("bruising", Severity.MILD, Onset.AFTER, False, "Firm pressure 2 min"),
        ],
        stretches="Wrist extensor stretch, 3 x 30 s, twice a day",
    )


def signed_form(db: Database, patient_id: int, signed_on: date) -> bytes:
    """The consent form as the patient signed it (the shipped text, a made-up signature)."""
    from dnt_desktop.pdf.consent_form import ConsentFormData, build_consent_form
    from dnt_desktop.services.clinic_details import get_clinic
    from dnt_desktop.services.consent_text import default_text
    from dnt_desktop.services.patients import get_patient

    from .signature import signature_png

    patient = get_patient(db, patient_id)
    clinic = get_clinic(db)
    text = default_text()
    return build_consent_form(
        ConsentFormData(
            clinic.name if clinic else "",
            f"{patient.given_name} {patient.family_name}",
            patient.date_of_birth,
            patient.chart_number,
            text.version,
            text.body,
            signature_png(patient_id),
            signed_on,
        )
    )


def add_showcase(db: Database, practitioner_id: int, today: date | None = None) -> Showcase:
    """Register the showcase patient with screening, consent and a saved session."""
    today = today or date.today()
    patient_id = register_patient(
        db,
        practitioner_id,
        PatientForm(
            family_name="Featherstonehaugh-Okonkwo",
            given_name="Maximiliana Josephine",
            date_of_birth=date(1968, 2, 29),
            sex=Sex.FEMALE,
            phone="+44 1632 960 481",
            email="m.featherstonehaugh-okonkwo@example.org",
            address="Flat 4, The Old Rope Works\n27 Lower Riverside Terrace\nRiverton RT2 9QP",
            emergency_contact="Chidi Okonkwo (husband), +44 1632 960 990",
            medical_history="Lateral epicondylalgia (right) since March; neck pain at work.",
            medications="Apixaban 5 mg twice daily (atrial fibrillation)",
            allergies="Nickel (rash)",
        ),
    )
    screened = datetime.now(UTC) - timedelta(days=round(SCREENED_MONTHS_AGO * 30.5))
    answers = [
        ScreeningAnswerForm(
            item.code,
            ScreeningStatus.PRESENT
            if item.code in ("bleeding_anticoagulants", "metal_latex_allergy")
            else ScreeningStatus.ABSENT,
            {
                "bleeding_anticoagulants": "Apixaban 5 mg twice daily",
                "metal_latex_allergy": "Nickel",
            }.get(item.code, ""),
        )
        for item in screening_questions(Sex.FEMALE)
    ]
    record_screening(db, practitioner_id, patient_id, ScreeningForm(answers, screened_at=screened))
    consented = today - timedelta(days=400)
    consent_id = record_consent(
        db,
        practitioner_id,
        patient_id,
        ConsentForm(consented, ConsentMethod.WRITTEN, "DN-consent-v1"),
    )
    attach_signed_scan(
        db,
        practitioner_id,
        consent_id,
        "signed-consent.pdf",
        signed_form(db, patient_id, consented),
    )
    started = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(hours=1)
    saved = save_session(
        db, practitioner_id, showcase_session(patient_id, practitioner_id, started)
    )
    return Showcase(patient_id, saved.session_id)
