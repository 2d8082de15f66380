"""Aftercare sheets: the clinic's editable texts, the data one sheet needs, and deliveries.

Plain Python (no Qt, no reportlab): the PDF is built by ``dnt_desktop.pdf`` from the
:class:`AftercareSheet` gathered by :func:`load_sheet`.
"""

from .delivery import Delivery, deliveries, delivery_summary, record_delivery
from .sample import longest_sheet, sample_sheet
from .settings import (
    MAX_AVOID_ALCOHOL_HOURS,
    SheetSettings,
    edited_keys,
    reset_templates,
    save_templates,
    settings_problems,
    sheet_settings,
    template_bodies,
    template_problems,
)
from .sheet import (
    DEFAULT_EMERGENCY_INSTRUCTION,
    AftercareSheet,
    ClinicDetails,
    SheetPoint,
    SheetSideEffect,
    default_file_name,
    load_sheet,
    placeholder_values,
)
from .texts import (
    PLACEHOLDER_PATTERN,
    PLACEHOLDERS,
    Piece,
    TemplateSpec,
    default_text,
    fill,
    fill_pieces,
    normalise_body,
    side_effect_key,
    spec,
    template_specs,
    unknown_placeholders,
)

__all__ = [
    "DEFAULT_EMERGENCY_INSTRUCTION",
    "MAX_AVOID_ALCOHOL_HOURS",
    "PLACEHOLDERS",
    "PLACEHOLDER_PATTERN",
    "AftercareSheet",
    "ClinicDetails",
    "Delivery",
    "Piece",
    "SheetPoint",
    "SheetSettings",
    "SheetSideEffect",
    "TemplateSpec",
    "default_file_name",
    "default_text",
    "deliveries",
    "delivery_summary",
    "edited_keys",
    "fill",
    "fill_pieces",
    "load_sheet",
    "longest_sheet",
    "normalise_body",
    "placeholder_values",
    "record_delivery",
    "reset_templates",
    "sample_sheet",
    "save_templates",
    "settings_problems",
    "sheet_settings",
    "side_effect_key",
    "spec",
    "template_bodies",
    "template_problems",
    "template_specs",
    "unknown_placeholders",
]
