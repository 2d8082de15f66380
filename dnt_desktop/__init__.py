"""dnt-desktop: charting of dry-needling sessions and aftercare handouts for physiotherapists."""

__version__ = "0.1.0"
