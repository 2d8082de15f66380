"""SQLAlchemy entities and reference catalogues. No Qt here."""

from .audit import AuditEvent
from .base import Base, utcnow
from .clinic import AftercareLanguage, AftercareTemplate, AppSetting, Clinic, Practitioner
from .patient import Consent, Patient, Screening, ScreeningAnswer
from .protocol import NotePhrase, Protocol, ProtocolPoint
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
    "AuditEvent",
    "Base",
    "Clinic",
    "Consent",
    "NeedlingPoint",
    "NotePhrase",
    "Patient",
    "Practitioner",
    "Protocol",
    "ProtocolPoint",
    "Screening",
    "ScreeningAnswer",
    "SessionAdjunct",
    "SessionCondition",
    "SideEffect",
    "TreatmentSession",
    "utcnow",
]
