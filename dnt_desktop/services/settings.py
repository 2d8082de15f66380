"""Clinic-wide settings shared by every workstation (administrators change them)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from dnt_desktop.models import AppSetting
from dnt_desktop.storage.engine import Database

from . import audit
from .changes import SETTINGS_CHANGED, Changes
from .errors import ValidationError
from .practitioners import require_admin
from .rules import Problem, RuleSettings, text_problems
from .safety import limit_settings

SETTING_DEFAULTS: dict[str, str] = {
    "lung_risk_needle_limit_mm": "25",
    "idle_lock_minutes": "10",
    "stale_draft_days": "2",
    "backup_keep": "30",
    "backup_folder": "",
    "screening_review_months": "12",
    # retention of records (issue 17, services/retention.py)
    "retention_years_after_treatment": "8",
    "retention_child_until_age": "25",
    # the disposal offered first for a record past retention: "anonymise" or "erase"
    "disposal_default": "anonymise",
}
CHOICE_SETTINGS: dict[str, tuple[str, ...]] = {"disposal_default": ("anonymise", "erase")}
"""Settings whose value is one of a few words."""
POSITIVE_INTEGER_SETTINGS = frozenset(
    {
        "idle_lock_minutes",
        "stale_draft_days",
        "backup_keep",
        "screening_review_months",
        "retention_years_after_treatment",
        "retention_child_until_age",
    }
)


def setting_problems(key: str, value: str) -> list[Problem]:
    """Validation of a setting's new value (whole numbers of at least 1 where counted)."""
    if key not in SETTING_DEFAULTS:
        return [Problem(key, f"Unknown setting {key}.")]
    if key == "backup_folder":
        return text_problems("setting", {key: value})
    if key in CHOICE_SETTINGS and value not in CHOICE_SETTINGS[key]:
        return [Problem(key, "Choose one of: " + ", ".join(CHOICE_SETTINGS[key]) + ".")]
    if key in POSITIVE_INTEGER_SETTINGS and not (value.strip().isdigit() and int(value) >= 1):
        return [Problem(key, "Enter a whole number of at least 1.")]
    return []


def integer_setting(session: Session, key: str) -> int:
    """A counted setting as a number (its default when the stored value is unusable)."""
    value = get_setting(session, key).strip()
    if value.isdigit() and int(value) >= 1:
        return int(value)
    return int(SETTING_DEFAULTS[key])


def get_setting(session: Session, key: str) -> str:
    """A clinic-wide setting, or its default."""
    row = session.get(AppSetting, key)
    return row.value if row else SETTING_DEFAULTS[key]


def settings_values(db: Database) -> dict[str, str]:
    """Every clinic-wide setting (its default where never set), e.g. for a settings dialog."""
    with db.reading() as session:
        return {key: get_setting(session, key) for key in SETTING_DEFAULTS}


def set_setting(db: Database, actor_id: int, key: str, value: str) -> Changes:
    """Change a clinic-wide setting (administrators only; audited)."""
    problems = setting_problems(key, value)
    if problems:
        raise ValidationError(problems)
    with db.transaction() as session:
        require_admin(session, actor_id, "change the clinic's settings")
        row = session.get(AppSetting, key)
        old = row.value if row else SETTING_DEFAULTS[key]
        if row is None:
            session.add(AppSetting(key=key, value=value))
        else:
            row.value = value
        audit.record(
            session, actor_id, "update", entity_type="setting", summary=f"{key}: {old} -> {value}"
        )
    return SETTINGS_CHANGED


def rule_settings(db: Database) -> RuleSettings:
    """The thresholds the clinical rules apply in this clinic."""
    with db.reading() as session:
        return RuleSettings(
            lung_risk_needle_limit_mm=float(get_setting(session, "lung_risk_needle_limit_mm")),
            screening_review_months=integer_setting(session, "screening_review_months"),
            lung_limits=limit_settings.clinic_limits_in(session),
        )
