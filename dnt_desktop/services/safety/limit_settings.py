"""The clinic's own lung-risk depth limits: the shipped defaults, changed per muscle and band.

Administrators change them (audited); the table ``lung_depth_limit`` holds only the values
a clinic changed, so every other muscle and band keeps the shipped default of
``resources/safety/lung_depth_limits.json``.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from dnt_desktop.models import LungDepthLimit, catalogue, utcnow
from dnt_desktop.storage.engine import Database

from .. import audit
from ..changes import SETTINGS_CHANGED, Changes
from ..errors import ValidationError
from ..practitioners import require_admin
from ..rules import Problem
from .lung_limits import DepthLimit, bands, default_limits, lung_risk_muscles

MAX_LIMIT_MM = 100.0


@dataclass(frozen=True)
class LimitRow:
    """One muscle and band as the administrator sees it: the value, and the default."""

    muscle_code: str
    muscle_name: str
    band_code: str
    limit: DepthLimit
    default: DepthLimit

    @property
    def changed(self) -> bool:
        """True when the clinic's value is not the shipped default."""
        return self.limit != self.default


def clinic_limits_in(session: Session) -> dict[tuple[str, str], DepthLimit]:
    """Every lung-risk muscle and band: the clinic's value, else the shipped default."""
    table = dict(default_limits())
    for row in session.scalars(select(LungDepthLimit)):
        if (row.muscle_code, row.bmi_band) in table:
            table[(row.muscle_code, row.bmi_band)] = DepthLimit(
                row.max_depth_mm, row.max_needle_length_mm
            )
    return table


def limit_rows(db: Database) -> list[LimitRow]:
    """The table the administrator edits: muscle by muscle, band by band (leanest first)."""
    with db.reading() as session:
        table = clinic_limits_in(session)
    defaults = default_limits()
    return [
        LimitRow(m.code, m.name, b.code, table[(m.code, b.code)], defaults[(m.code, b.code)])
        for m in lung_risk_muscles()
        for b in bands()
    ]


def limit_problems(muscle_code: str, band_code: str, limit: DepthLimit) -> list[Problem]:
    """Why a limit cannot be stored (unknown muscle or band, values out of range)."""
    problems = []
    known = {m.code for m in lung_risk_muscles()}
    if muscle_code not in known:
        problems.append(Problem("muscle_code", f"'{muscle_code}' is not a lung-risk muscle."))
    if band_code not in {b.code for b in bands()}:
        problems.append(Problem("bmi_band", f"Unknown BMI band '{band_code}'."))
    for field, value, what in (
        ("max_depth_mm", limit.max_depth_mm, "The maximum depth"),
        ("max_needle_length_mm", limit.max_needle_length_mm, "The longest needle"),
    ):
        if not 1 <= value <= MAX_LIMIT_MM:
            problems.append(Problem(field, f"{what} must be from 1 to {MAX_LIMIT_MM:g} mm."))
    if not problems and limit.max_depth_mm > limit.max_needle_length_mm:
        problems.append(
            Problem("max_depth_mm", "The maximum depth cannot be more than the longest needle.")
        )
    return problems


def set_limits(db: Database, actor_id: int, values: dict[tuple[str, str], DepthLimit]) -> Changes:
    """Store the clinic's limits (administrators only; each change audited)."""
    problems = [p for (m, b), limit in values.items() for p in limit_problems(m, b, limit)]
    if problems:
        raise ValidationError(problems)
    defaults = default_limits()
    with db.transaction() as session:
        require_admin(session, actor_id, "change the lung-risk depth limits")
        current = clinic_limits_in(session)
        for (muscle_code, band_code), limit in values.items():
            old = current[(muscle_code, band_code)]
            if old == limit:
                continue
            row = session.get(LungDepthLimit, (muscle_code, band_code))
            if limit == defaults[(muscle_code, band_code)]:
                if row is not None:
                    session.delete(row)
            elif row is None:
                session.add(
                    LungDepthLimit(
                        muscle_code=muscle_code,
                        bmi_band=band_code,
                        max_depth_mm=limit.max_depth_mm,
                        max_needle_length_mm=limit.max_needle_length_mm,
                        updated_at=utcnow(),
                        updated_by_id=actor_id,
                    )
                )
            else:
                row.max_depth_mm = limit.max_depth_mm
                row.max_needle_length_mm = limit.max_needle_length_mm
                row.updated_at = utcnow()
                row.updated_by_id = actor_id
            audit.record(
                session,
                actor_id,
                "update",
                entity_type="setting",
                summary=(
                    f"Lung-risk limit {catalogue.label_of('muscle', muscle_code)}, {band_code}: "
                    f"{old.max_depth_mm:g}/{old.max_needle_length_mm:g} mm -> "
                    f"{limit.max_depth_mm:g}/{limit.max_needle_length_mm:g} mm"
                ),
            )
    return SETTINGS_CHANGED
