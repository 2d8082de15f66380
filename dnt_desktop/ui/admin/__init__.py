"""Administration (administrators only): accounts, clinic-wide settings, the audit trail."""
