"""Plain data the screens fill in and the services validate and store (no ORM, no Qt).

The session records below (``SessionDraft`` and the condition, adjunct, point and side
effect in it) are also the declaration of what a session holds: the save, the draft read
back, the signature's canonical content, the aftercare sheet's points, the demo data and
the editor's tables all take their fields from these classes (see ``session_shape``). A
new charted field is added here, once, and the column of the same name in the models.
"""

from __future__ import annotations

from dataclasses import Field, dataclass, field, fields
from datetime import date, datetime
from typing import Any

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


@dataclass(frozen=True)
class FieldSpec:
    """What the declaration says about a field of a session record besides its type.

    Kept in the dataclass field's metadata (``spec``); a field without one is plain:
    charted, saved as typed. More facts about a field belong here as they come, read by
    whoever needs them: a maximum text length, for instance, would be a
    ``max_length: int | None = None`` attribute, declared as
    ``notes: str = field(default="", metadata=spec(trimmed=True, max_length=4000))``.
    """

    charted: bool = True
    """Charted by the practitioner: saved in the record's column of the same name and
    covered by the signature. False for a list of child records (each declared on its
    own) and for the editor's bookkeeping (``session_id``, ``version``)."""
    trimmed: bool = False
    """Surrounding whitespace is removed when it is saved."""
    on_chart: bool = False
    """Placed by clicking the body chart, not typed (a point's view and position)."""
    carried: bool = False
    """Copied into a follow-up session by copy forward (and kept by a protocol, for a
    point): what was treated and how, never what the patient reported or what happened
    (pain, side effects, notes, twitches), which take their defaults in the copy."""
    signed_when_set: bool = False
    """Added after sessions were signed: the signature's content leaves this field (and
    the record's other such fields) out while all of them hold their defaults, so that a
    session signed before they existed still hashes as it was signed."""


_PLAIN = FieldSpec()
_SPEC = "dnt_desktop.field_spec"


def spec(**values: Any) -> dict[str, FieldSpec]:
    """The metadata of a dataclass field with this ``FieldSpec``:
    ``notes: str = field(default="", metadata=spec(trimmed=True))``."""
    return {_SPEC: FieldSpec(**values)}


TRIMMED = spec(trimmed=True)
ON_CHART = spec(on_chart=True)
NOT_CHARTED = spec(charted=False)
CARRIED = spec(carried=True)
CARRIED_ON_CHART = spec(on_chart=True, carried=True)
NOTE_SECTION = spec(trimmed=True, signed_when_set=True)


def spec_of(item: Field[Any]) -> FieldSpec:
    """The ``FieldSpec`` of a dataclass field."""
    return item.metadata.get(_SPEC, _PLAIN)


def charted_fields(record: type) -> tuple[str, ...]:
    """The charted fields of a session record class, in declaration order."""
    return tuple(f.name for f in fields(record) if spec_of(f).charted)


def carried_fields(record: type) -> tuple[str, ...]:
    """The fields of a session record that copy forward copies, in declaration order."""
    return tuple(f.name for f in fields(record) if spec_of(f).carried)


def typed_fields(record: type) -> tuple[str, ...]:
    """The charted fields the practitioner types or picks (not placed on the chart)."""
    return tuple(f.name for f in fields(record) if spec_of(f).charted and not spec_of(f).on_chart)


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
    height_cm: float | None = None
    """Height and weight for the BMI of the lung-risk depth limits (optional)."""
    weight_kg: float | None = None


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

    muscle_code: str = field(metadata=CARRIED)
    side: Side = field(metadata=CARRIED)
    view: ChartView = field(metadata=CARRIED_ON_CHART)
    x: float = field(metadata=CARRIED_ON_CHART)
    y: float = field(metadata=CARRIED_ON_CHART)
    depth_class: DepthClass = field(metadata=CARRIED)
    depth_mm: float = field(metadata=CARRIED)
    needle_gauge_mm: float = field(default=0.25, metadata=CARRIED)
    needle_length_mm: float = field(default=30.0, metadata=CARRIED)
    insertions: int = 1
    twitch_response: bool = False
    technique: Technique = field(default=Technique.STATIC, metadata=CARRIED)
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

    code: str = field(metadata=CARRIED)
    other_text: str = field(default="", metadata=spec(trimmed=True, carried=True))


@dataclass
class AdjunctDraft:
    """An adjunct treatment; ``detail`` says which when the code is 'other'."""

    code: str = field(metadata=CARRIED)
    detail: str = field(default="", metadata=spec(trimmed=True, carried=True))


@dataclass
class SessionDraft:
    """Everything the session editor holds before it is saved."""

    patient_id: int
    practitioner_id: int
    started_at: datetime
    conditions: list[ConditionDraft] = field(
        default_factory=list, metadata=spec(charted=False, carried=True)
    )
    pain_before: int | None = None
    pain_after: int | None = None
    adjuncts: list[AdjunctDraft] = field(
        default_factory=list, metadata=spec(charted=False, carried=True)
    )
    notes: str = field(default="", metadata=TRIMMED)
    """Other notes: free text beside the sections (all of a session's notes before them)."""
    points: list[PointDraft] = field(
        default_factory=list, metadata=spec(charted=False, carried=True)
    )
    side_effects: list[SideEffectDraft] = field(default_factory=list, metadata=NOT_CHARTED)
    thermal_advice: ThermalAdvice = ThermalAdvice.GENERAL
    stretches: str = field(default="", metadata=TRIMMED)
    next_appointment: datetime | None = None
    subjective: str = field(default="", metadata=NOTE_SECTION)
    """Note sections (SOAP), each optional: what the patient reports..."""
    objective: str = field(default="", metadata=NOTE_SECTION)
    """...what the practitioner found..."""
    assessment: str = field(default="", metadata=NOTE_SECTION)
    """...their assessment, and..."""
    plan: str = field(default="", metadata=NOTE_SECTION)
    """...the plan."""
    session_id: int | None = field(default=None, metadata=NOT_CHARTED)
    version: int | None = field(default=None, metadata=NOT_CHARTED)
