"""What an operation changed, as a typed value the ui broadcasts once (Anki's OpChanges).

A service that writes returns a ``Changes``: directly when it has nothing else to return
(``update_patient``, ``set_setting``...), or as the ``changes`` of its result
(``SavedSession``, ``SignedSession``, ``Delivery``). A service that creates a record and
returns only the new id (``register_patient``, ``record_screening``, ``amend_session``...)
keeps that signature; its caller names the change with the constructor of the same kind
(``Changes.patient(new_id)``). Values merge with ``|``; an empty value is false.

Listeners read the fields, never strings: ``patients`` for a patient's own record,
``charts`` to know whether a change concerns the patient they show at all, the id sets to
know what to read again, and the flags for clinic-wide data.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

_NONE: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Changes:
    """Which records an operation changed (ids), and which clinic-wide data (flags)."""

    patients: frozenset[int] = _NONE
    """Patients whose own record changed: details, medical history, archived or not."""
    charts: frozenset[int] = _NONE
    """Every patient these changes concern: those above and the patients of the
    screenings, consents and sessions below. A window showing one patient checks this."""
    sessions: frozenset[int] = _NONE
    """Sessions saved, signed, amended, or whose aftercare sheet was given."""
    screenings: frozenset[int] = _NONE
    """Contraindication screenings recorded."""
    consents: frozenset[int] = _NONE
    """Consents recorded or withdrawn."""
    accounts: frozenset[int] = _NONE
    """Practitioners' accounts added, changed, deactivated or reactivated."""
    settings: bool = False
    """The clinic-wide settings (idle lock, draft reminder, backups)."""
    clinic: bool = False
    """The clinic's details and its aftercare sheet settings (letterhead, page size...)."""
    aftercare_texts: bool = False
    """The texts of the aftercare sheet."""
    measures: frozenset[int] = _NONE
    """Outcome measures recorded or set aside as entered in error."""
    letters: frozenset[int] = _NONE
    """Letters sent (printed or saved) and kept with the patient."""
    referrers: bool = False
    """The list of referrers, or a patient's chosen referrer."""
    letter_templates: bool = False
    """The clinic's letter templates."""
    protocols: bool = False
    """Protocols (named sets of points) saved, renamed, shared or deleted."""
    note_phrases: bool = False
    """The clinic's phrases for the session notes."""
    files: frozenset[int] = _NONE
    """Patients whose attachments (files kept with the record) changed."""
    consent_texts: bool = False
    """The clinic's consent text (a new version)."""
    erased: frozenset[int] = _NONE
    """Patients whose record was erased (no row of it is left: a chart showing one closes)."""

    # --- one kind of record ------------------------------------------------------------

    @classmethod
    def patient(cls, patient_id: int) -> Changes:
        """A patient's own record changed."""
        return cls(patients=frozenset({patient_id}), charts=frozenset({patient_id}))

    @classmethod
    def session(cls, session_id: int, patient_id: int) -> Changes:
        """A session of *patient_id* changed."""
        return cls(sessions=frozenset({session_id}), charts=frozenset({patient_id}))

    @classmethod
    def screening(cls, screening_id: int, patient_id: int) -> Changes:
        """A screening of *patient_id* was recorded."""
        return cls(screenings=frozenset({screening_id}), charts=frozenset({patient_id}))

    @classmethod
    def consent(cls, consent_id: int, patient_id: int) -> Changes:
        """A consent of *patient_id* was recorded or withdrawn."""
        return cls(consents=frozenset({consent_id}), charts=frozenset({patient_id}))

    @classmethod
    def measure(cls, measure_id: int, patient_id: int) -> Changes:
        """An outcome measure of *patient_id* was recorded or set aside."""
        return cls(measures=frozenset({measure_id}), charts=frozenset({patient_id}))

    @classmethod
    def letter(cls, letter_id: int, patient_id: int) -> Changes:
        """A letter about *patient_id* was sent."""
        return cls(letters=frozenset({letter_id}), charts=frozenset({patient_id}))

    @classmethod
    def patient_files(cls, patient_id: int) -> Changes:
        """A file was attached to *patient_id*'s record."""
        return cls(files=frozenset({patient_id}), charts=frozenset({patient_id}))

    @classmethod
    def erasure(cls, patient_id: int) -> Changes:
        """*patient_id*'s record was erased (issue 17)."""
        ids = frozenset({patient_id})
        return cls(patients=ids, charts=ids, files=ids, erased=ids)

    @classmethod
    def account(cls, practitioner_id: int) -> Changes:
        """A practitioner's account changed."""
        return cls(accounts=frozenset({practitioner_id}))

    # --- reading -----------------------------------------------------------------------

    def concerns(self, patient_id: int | None) -> bool:
        """True when these changes touch anything of *patient_id*'s chart."""
        return patient_id is not None and patient_id in self.charts

    def __or__(self, other: Changes) -> Changes:
        """Both changes together."""
        if not isinstance(other, Changes):
            return NotImplemented
        return Changes(
            **{f.name: getattr(self, f.name) | getattr(other, f.name) for f in fields(self)}
        )

    def __bool__(self) -> bool:
        """False when nothing changed."""
        return any(getattr(self, f.name) for f in fields(self))


NO_CHANGES = Changes()
"""Nothing changed."""
SETTINGS_CHANGED = Changes(settings=True)
"""The clinic-wide settings changed."""
CLINIC_CHANGED = Changes(clinic=True)
"""The clinic's details or sheet settings changed."""
AFTERCARE_TEXTS_CHANGED = Changes(aftercare_texts=True)
"""The aftercare sheet's texts changed."""
PROTOCOLS_CHANGED = Changes(protocols=True)
"""A protocol was saved, renamed, shared or deleted."""
NOTE_PHRASES_CHANGED = Changes(note_phrases=True)
"""The clinic's note phrases changed."""
