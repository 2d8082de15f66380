"""Closed vocabularies stored in the database (catalogue codes live in resources/)."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    PRACTITIONER = "practitioner"
    ADMIN = "admin"


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"
    UNKNOWN = "unknown"


class ScreeningStatus(StrEnum):
    PRESENT = "present"
    ABSENT = "absent"
    UNKNOWN = "unknown"


class ConsentMethod(StrEnum):
    WRITTEN = "written"
    VERBAL = "verbal"


class SessionStatus(StrEnum):
    DRAFT = "draft"
    SIGNED = "signed"


class Side(StrEnum):
    LEFT = "left"
    RIGHT = "right"
    MIDLINE = "midline"


class ChartView(StrEnum):
    FRONT = "front"
    BACK = "back"


class DepthClass(StrEnum):
    SUPERFICIAL = "superficial"
    DEEP = "deep"


class Technique(StrEnum):
    STATIC = "static"
    PISTONING = "pistoning"


class Severity(StrEnum):
    MILD = "mild"
    MODERATE = "moderate"
    SEVERE = "severe"


class Onset(StrEnum):
    DURING = "during"
    AFTER = "after"


class ThermalAdvice(StrEnum):
    """Which of heat or ice the aftercare sheet recommends."""

    GENERAL = "general"
    HEAT = "heat"
    ICE = "ice"


class PageSize(StrEnum):
    A4 = "A4"
    LETTER = "Letter"


class DeliveryKind(StrEnum):
    """How an aftercare sheet reached the patient."""

    PRINTED = "printed"
    SAVED = "saved"
