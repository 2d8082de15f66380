"""The sheet's text sets, one per language: shipped (English, Bengali, Hindi) or added by
an administrator by copying a set, each with its review status.

A translation is "reviewed" once a clinician who reads the language has checked it; the
app says plainly whenever a sheet is printed from a set that is not (:meth:`TextSet.warning`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from dnt_desktop.models import AftercareLanguage, AftercareTemplate
from dnt_desktop.storage.engine import Database

from .. import audit
from ..dates import long_date
from ..errors import NotFoundError, ValidationError
from ..practitioners import require_admin
from ..rules import Problem
from .texts import text_sets_dir

ENGLISH_CODE = "en"
CODE_PATTERN = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")
"""A language code as BCP 47 writes the common ones: 'bn', 'hi', 'ta', 'pt-BR'."""


@dataclass(frozen=True)
class Review:
    """Whether a clinician who reads the language checked the set, who, and when."""

    reviewed: bool = False
    reviewer: str = ""
    reviewed_on: date | None = None

    def describe(self) -> str:
        """'Reviewed by Dr A. Sen on 4 December 2026', or that nobody has."""
        if not self.reviewed:
            return "Not reviewed by a clinician who reads the language"
        when = f" on {long_date(self.reviewed_on)}" if self.reviewed_on else ""
        return f"Reviewed by {self.reviewer}{when}"


@dataclass(frozen=True)
class TextSet:
    """One language's set of the sheet's texts.

    ``defaults`` is the shipped set whose files give the texts the clinic did not edit
    (the set itself when shipped, the set it was copied from when a clinic added it).
    """

    code: str
    name: str
    native_name: str = ""
    translation: bool = True
    defaults: str = ENGLISH_CODE
    shipped: bool = True
    copied_from: str = ""
    review: Review = field(default_factory=Review)

    @property
    def label(self) -> str:
        """'Bengali (বাংলা)', or the name alone when both are the same."""
        native = self.native_name.strip()
        return f"{self.name} ({native})" if native and native != self.name else self.name

    @property
    def unreviewed(self) -> bool:
        """A translation no clinician who reads the language has checked yet."""
        return self.translation and not self.review.reviewed

    def warning(self) -> str:
        """What the app says when a sheet is printed from this set ('' when reviewed)."""
        if not self.unreviewed:
            return ""
        return (
            f"The {self.name} texts have not been reviewed by a clinician who reads "
            f"{self.name}. Check the sheet before giving it to the patient; an "
            "administrator records the review in Clinic > Aftercare sheet texts."
        )


ENGLISH = TextSet(ENGLISH_CODE, "English", "English", translation=False)


@cache
def shipped_sets() -> tuple[TextSet, ...]:
    """The sets in resources/aftercare (a folder with a language.json each), English first."""
    found = []
    for path in sorted(text_sets_dir().glob("*/language.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            review = data.get("review") or {}
            reviewed_on = review.get("reviewed_on")
            found.append(
                TextSet(
                    code=str(data["code"]),
                    name=str(data["name"]),
                    native_name=str(data.get("native_name", "")),
                    translation=bool(data.get("translation", True)),
                    defaults=str(data["code"]),
                    review=Review(
                        bool(review.get("reviewed", False)),
                        str(review.get("reviewer", "")),
                        date.fromisoformat(reviewed_on) if reviewed_on else None,
                    ),
                )
            )
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"Aftercare text set {path} cannot be read: {exc}") from exc
        if found[-1].code != path.parent.name:
            raise ValueError(f"{path}: code '{found[-1].code}' is not its folder's name")
    found.sort(key=lambda s: (s.code != ENGLISH_CODE, s.name))
    return tuple(found)


def _shipped(code: str) -> TextSet | None:
    return next((s for s in shipped_sets() if s.code == code), None)


def _from_row(row: AftercareLanguage, rows: dict[str, AftercareLanguage]) -> TextSet:
    review = Review(row.reviewed, row.reviewer, row.reviewed_on)
    shipped = _shipped(row.code)
    if shipped is not None:
        return replace(shipped, review=review)
    defaults, seen = row.copied_from, {row.code}
    while _shipped(defaults) is None and defaults in rows and defaults not in seen:
        seen.add(defaults)
        defaults = rows[defaults].copied_from
    return TextSet(
        code=row.code,
        name=row.name,
        native_name=row.native_name,
        translation=True,
        defaults=defaults if _shipped(defaults) is not None else ENGLISH_CODE,
        shipped=False,
        copied_from=row.copied_from,
        review=review,
    )


def sets_in(session: Session) -> list[TextSet]:
    """Every set: shipped ones (with the clinic's review status), then the clinic's own."""
    rows = {row.code: row for row in session.scalars(select(AftercareLanguage))}
    sets = [_from_row(rows[s.code], rows) if s.code in rows else s for s in shipped_sets()]
    shipped = {s.code for s in sets}
    extra = sorted(
        (_from_row(row, rows) for code, row in rows.items() if code not in shipped),
        key=lambda s: s.name,
    )
    return sets + extra


def text_sets(db: Database) -> list[TextSet]:
    """Every language a sheet can be printed in."""
    with db.reading() as session:
        return sets_in(session)


def set_in(session: Session, code: str) -> TextSet:
    """The set *code*; NotFoundError when there is none."""
    for item in sets_in(session):
        if item.code == code:
            return item
    raise NotFoundError(f"There are no aftercare texts in the language '{code}'.")


def text_set(db: Database, code: str) -> TextSet:
    """The set *code*; NotFoundError when there is none."""
    with db.reading() as session:
        return set_in(session, code)


def language_problems(session: Session, code: str, field_name: str) -> list[Problem]:
    """A patient's handout language must be one of the sets."""
    if any(s.code == code for s in sets_in(session)):
        return []
    return [Problem(field_name, f"There are no aftercare texts in the language '{code}'.")]


def review_problems(review: Review, today: date | None = None) -> list[Problem]:
    """A review names its reviewer and a date that is not in the future."""
    if not review.reviewed:
        return []
    problems = []
    if not review.reviewer.strip():
        problems.append(
            Problem("reviewer", "Enter the name of the clinician who reviewed the texts.")
        )
    if review.reviewed_on is None:
        problems.append(Problem("reviewed_on", "Enter the date of the review."))
    elif review.reviewed_on > (today or date.today()):
        problems.append(Problem("reviewed_on", "The date of the review is in the future."))
    if len(review.reviewer.strip()) > 200:
        problems.append(Problem("reviewer", "The reviewer's name is longer than 200 characters."))
    return problems


def _row_for(session: Session, item: TextSet) -> AftercareLanguage:
    row = session.get(AftercareLanguage, item.code)
    if row is None:
        row = AftercareLanguage(
            code=item.code,
            name=item.name,
            native_name=item.native_name,
            copied_from=item.copied_from,
            reviewed=item.review.reviewed,
            reviewer=item.review.reviewer,
            reviewed_on=item.review.reviewed_on,
        )
        session.add(row)
    return row


def set_review(db: Database, actor_id: int, code: str, review: Review) -> TextSet:
    """Record whether a clinician who reads the language reviewed the set (audited)."""
    problems = review_problems(review)
    if problems:
        raise ValidationError(problems)
    if not review.reviewed:
        review = Review()
    with db.transaction() as session:
        require_admin(session, actor_id, "record the review of the aftercare texts")
        item = set_in(session, code)
        if item.review == replace(review, reviewer=review.reviewer.strip()):
            return item
        row = _row_for(session, item)
        row.reviewed, row.reviewer = review.reviewed, review.reviewer.strip()
        row.reviewed_on, row.updated_by_id = review.reviewed_on, actor_id
        session.flush()
        updated = set_in(session, code)
        audit.record(
            session,
            actor_id,
            "update",
            entity_type="aftercare_language",
            summary=f"Aftercare texts in {item.name}: {updated.review.describe()}",
        )
        return updated


def clear_review(session: Session, actor_id: int, code: str) -> bool:
    """After the texts of a reviewed set changed: not reviewed any more (audited).

    Returns True when a review was cleared.
    """
    item = set_in(session, code)
    if not item.review.reviewed:
        return False
    row = _row_for(session, item)
    row.reviewed, row.reviewer, row.reviewed_on = False, "", None
    row.updated_by_id = actor_id
    audit.record(
        session,
        actor_id,
        "update",
        entity_type="aftercare_language",
        summary=f"Aftercare texts in {item.name} changed: to be reviewed again "
        f"({item.review.describe().lower()})",
    )
    return True


@dataclass(frozen=True)
class NewLanguage:
    """A language an administrator adds, starting from a copy of another set."""

    code: str
    name: str
    native_name: str = ""
    copy_from: str = ENGLISH_CODE


def new_language_problems(session: Session, form: NewLanguage) -> list[Problem]:
    """Validation of a new language: a free, well-formed code, a name, a set to copy."""
    problems = []
    code = form.code.strip()
    existing = {s.code: s for s in sets_in(session)}
    if not CODE_PATTERN.match(code):
        problems.append(
            Problem(
                "code",
                "Enter the language's code: two or three small letters (ta for Tamil, "
                "ur for Urdu), optionally a region (pt-BR).",
            )
        )
    elif code in existing:
        taken = existing[code].label
        problems.append(Problem("code", f"There is already a set '{code}': {taken}."))
    if not form.name.strip():
        problems.append(Problem("name", "Enter the language's name in English (Tamil)."))
    elif len(form.name.strip()) > 100 or len(form.native_name.strip()) > 100:
        problems.append(Problem("name", "The language's name is longer than 100 characters."))
    if form.copy_from not in existing:
        problems.append(Problem("copy_from", "Choose the set to start from."))
    return problems


def add_language(db: Database, actor_id: int, form: NewLanguage) -> TextSet:
    """Add a language whose texts start as a copy of *form.copy_from*'s (audited).

    The texts the clinic edited in that set are copied; the rest follow the set's shipped
    defaults until edited. The new set is not reviewed.
    """
    with db.transaction() as session:
        require_admin(session, actor_id, "add a language to the aftercare texts")
        problems = new_language_problems(session, form)
        if problems:
            raise ValidationError(problems)
        source = set_in(session, form.copy_from)
        code = form.code.strip()
        session.add(
            AftercareLanguage(
                code=code,
                name=form.name.strip(),
                native_name=form.native_name.strip(),
                copied_from=source.code,
                updated_by_id=actor_id,
            )
        )
        edits = session.execute(
            select(AftercareTemplate.key, AftercareTemplate.body).where(
                AftercareTemplate.language == source.code
            )
        ).all()
        for key, body in edits:
            session.add(
                AftercareTemplate(language=code, key=key, body=body, updated_by_id=actor_id)
            )
        session.flush()
        added = set_in(session, code)
        audit.record(
            session,
            actor_id,
            "create",
            entity_type="aftercare_language",
            summary=f"Aftercare texts in {added.label} added, copied from {source.name}",
        )
        return added
