"""SQLAlchemy entities and reference catalogues. No Qt here."""

from .audit import AuditEvent
from .base import Base, utcnow
from .clinic import AftercareLanguage, AftercareTemplate, AppSetting, Clinic, Practitioner
from .patient import Consent, Patient, Screening, ScreeningAnswer
from .progress import (
    LetterTemplate,
    MeasureAnswer,
    MeasureRetraction,
    OutcomeMeasure,
    PatientReferrer,
    Referrer,
    SentLetter,
)
from .protocol import NotePhrase, Protocol, ProtocolPoint
from .record import Attachment, ConsentText, DisposalPass, ErasurePass
from .safety import LateEvent, LungDepthLimit
from .treatment import (
    AftercareDelivery,
    AlertAcknowledgement,
    Amendment,
    NeedlingPoint,
    SessionAdjunct,
    SessionCondition,
    SideEffect,
    TreatmentSession,
)

__all__ = [
    "AftercareDelivery",
    "AftercareLanguage",
    "AftercareTemplate",
    "AlertAcknowledgement",
    "Amendment",
    "AppSetting",
    "Attachment",
    "AuditEvent",
    "Base",
    "Clinic",
    "Consent",
    "ConsentText",
    "DisposalPass",
    "ErasurePass",
    "LateEvent",
    "LetterTemplate",
    "LungDepthLimit",
    "MeasureAnswer",
    "MeasureRetraction",
    "NeedlingPoint",
    "NotePhrase",
    "OutcomeMeasure",
    "Patient",
    "PatientReferrer",
    "Practitioner",
    "Protocol",
    "ProtocolPoint",
    "Referrer",
    "Screening",
    "ScreeningAnswer",
    "SentLetter",
    "SessionAdjunct",
    "SessionCondition",
    "SideEffect",
    "TreatmentSession",
    "utcnow",
]
