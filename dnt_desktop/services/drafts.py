"""Plain data the screens fill in and the services validate and store (no ORM, no Qt)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

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
    ThermalAdvice,
)


@dataclass
class PatientForm:
    """The registration form of a patient."""

    family_name: str
    given_name: str
    date_of_birth: date | None
    chart_number: str = ""
    sex: Sex = Sex.UNKNOWN
    phone: str = ""
    email: str = ""
    address: str = ""
    emergency_contact: str = ""
    medical_history: str = ""
    medications: str = ""
    allergies: str = ""
    notes: str = ""
    handout_language: str = "en"
    """The language of the patient's aftercare sheets (a text set's code)."""


@dataclass
class ScreeningAnswerForm:
    """One contraindication of a screening."""

    code: str
    status: ScreeningStatus = ScreeningStatus.UNKNOWN
    detail: str = ""


@dataclass
class ScreeningForm:
    """A new dated contraindication screening."""

    answers: list[ScreeningAnswerForm]
    notes: str = ""
    screened_at: datetime | None = None


@dataclass
class ConsentForm:
    """Informed consent given by the patient."""

    consented_on: date
    method: ConsentMethod
    text_version: str = "DN-consent-v1"
    notes: str = ""


@dataclass
class PointDraft:
    """A needled trigger point as charted in the editor."""

    muscle_code: str
    side: Side
    view: ChartView
    x: float
    y: float
    depth_class: DepthClass
    depth_mm: float
    needle_gauge_mm: float = 0.25
    needle_length_mm: float = 30.0
    insertions: int = 1
    twitch_response: bool = False
    technique: Technique = Technique.STATIC
    notes: str = ""


@dataclass
class SideEffectDraft:
    """An adverse event recorded in the editor."""

    code: str
    severity: Severity = Severity.MILD
    onset: Onset = Onset.DURING
    resolved: bool = False
    action_taken: str = ""
    notes: str = ""
    other_text: str = ""


@dataclass
class ConditionDraft:
    """A treated condition; ``other_text`` names it when the code is 'other'."""

    code: str
    other_text: str = ""


@dataclass
class AdjunctDraft:
    """An adjunct treatment; ``detail`` says which when the code is 'other'."""

    code: str
    detail: str = ""


@dataclass
class SessionDraft:
    """Everything the session editor holds before it is saved."""

    patient_id: int
    practitioner_id: int
    started_at: datetime
    conditions: list[ConditionDraft] = field(default_factory=list)
    pain_before: int | None = None
    pain_after: int | None = None
    adjuncts: list[AdjunctDraft] = field(default_factory=list)
    notes: str = ""
    points: list[PointDraft] = field(default_factory=list)
    side_effects: list[SideEffectDraft] = field(default_factory=list)
    thermal_advice: ThermalAdvice = ThermalAdvice.GENERAL
    stretches: str = ""
    next_appointment: datetime | None = None
    session_id: int | None = None
    version: int | None = None
