"""Aftercare sheets in the app: the preview (print, save as PDF) and the texts' settings."""

from .preview import AftercarePreviewDialog, open_aftercare_preview
from .templates_dialog import AftercareTemplatesDialog, open_aftercare_templates

__all__ = [
    "AftercarePreviewDialog",
    "AftercareTemplatesDialog",
    "open_aftercare_preview",
    "open_aftercare_templates",
]
