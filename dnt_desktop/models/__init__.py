"""SQLAlchemy entities and reference catalogues. No Qt here."""

from .audit import AuditEvent
from .base import Base, utcnow
from .clinic import AftercareLanguage, AftercareTemplate, AppSetting, Clinic, Practitioner
from .patient import Consent, Patient, Screening, ScreeningAnswer
from .record import Attachment, ConsentText, DisposalPass
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
    "NeedlingPoint",
    "Patient",
    "Practitioner",
    "Screening",
    "ScreeningAnswer",
    "SessionAdjunct",
    "SessionCondition",
    "SideEffect",
    "TreatmentSession",
    "utcnow",
]
