"""The clinic's consent text: versioned, edited by administrators, printed for signature.

The shipped default (``resources/consent/default.txt``, version ``DN-consent-v1``) is in
force until an administrator saves the clinic's own text; every saved version is kept
(``consent_text`` rows are only added), so a consent names the exact text it was given
on by its ``text_version``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from dnt_desktop.models import ConsentText
from dnt_desktop.paths import resources_dir
from dnt_desktop.storage.engine import Database

from . import audit
from .changes import Changes
from .errors import ValidationError
from .practitioners import require_admin
from .rules import Problem, text_problems

DEFAULT_VERSION = "DN-consent-v1"


@dataclass(frozen=True)
class ConsentTextVersion:
    """One version of the text ("shipped": the default that ships with the app)."""

    version: str
    body: str
    created_at: datetime | None = None
    shipped: bool = False


@cache
def default_text() -> ConsentTextVersion:
    """The shipped default text."""
    body = (resources_dir() / "consent" / "default.txt").read_text("utf-8").strip()
    return ConsentTextVersion(DEFAULT_VERSION, body, shipped=True)


def current_text_in(session: Session) -> ConsentTextVersion:
    """The version in force: the newest the clinic saved, else the shipped default."""
    row = session.scalars(select(ConsentText).order_by(ConsentText.id.desc()).limit(1)).first()
    if row is None:
        return default_text()
    return ConsentTextVersion(row.version, row.body, row.created_at)


def current_text(db: Database) -> ConsentTextVersion:
    with db.reading() as session:
        return current_text_in(session)


def text_of_version(db: Database, version: str) -> ConsentTextVersion | None:
    """The text a consent was given on (None when the version is not known here)."""
    if version == DEFAULT_VERSION:
        return default_text()
    with db.reading() as session:
        row = session.scalars(select(ConsentText).where(ConsentText.version == version)).first()
        return ConsentTextVersion(row.version, row.body, row.created_at) if row else None


def versions(db: Database) -> list[ConsentTextVersion]:
    """Every version, newest first, the shipped default last."""
    with db.reading() as session:
        rows = session.scalars(select(ConsentText).order_by(ConsentText.id.desc())).all()
        found = [ConsentTextVersion(r.version, r.body, r.created_at) for r in rows]
    return [*found, default_text()]


def save_text(db: Database, actor_id: int, version: str, body: str) -> Changes:
    """Save a new version of the clinic's consent text (administrators; audited)."""
    version, body = version.strip(), body.strip()
    problems = text_problems("consent_text", {"version": version, "body": body})
    if not version:
        problems.append(Problem("version", "Give the new text a version, e.g. DN-consent-v2."))
    if not body:
        problems.append(Problem("body", "Write the consent text."))
    if problems:
        raise ValidationError(problems)
    with db.transaction() as session:
        require_admin(session, actor_id, "change the consent text")
        taken = (
            version == DEFAULT_VERSION
            or session.scalars(select(ConsentText.id).where(ConsentText.version == version)).first()
        )
        if taken:
            raise ValidationError(
                [
                    Problem(
                        "version", f"Version {version} exists already: give the new text a new one."
                    )
                ]
            )
        row = ConsentText(version=version, body=body, created_by_id=actor_id)
        session.add(row)
        session.flush()
        audit.record(
            session,
            actor_id,
            "create",
            entity_type="consent_text",
            entity_id=row.id,
            summary=f"Consent text {version} saved ({len(body)} characters)",
        )
    return Changes(consent_texts=True)
