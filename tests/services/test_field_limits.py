"""The one table of text limits: every typed field has one, within its database column."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import String, Text

from dnt_desktop.models import (
    AftercareTemplate,
    Amendment,
    AppSetting,
    Attachment,
    AuditEvent,
    Clinic,
    Consent,
    ConsentText,
    NeedlingPoint,
    NotePhrase,
    Patient,
    Practitioner,
    Protocol,
    Screening,
    ScreeningAnswer,
    SessionAdjunct,
    SessionCondition,
    SideEffect,
    TreatmentSession,
)
from dnt_desktop.services import field_limits
from dnt_desktop.services.rules import text_message

# Where each record of the table is stored: (model, {field: column}) when names differ.
STORED = {
    "patient": (Patient, {}),
    "screening": (Screening, {"detail": None}),
    "consent": (Consent, {}),
    "session": (TreatmentSession, {}),
    "condition": (SessionCondition, {}),
    "adjunct": (SessionAdjunct, {}),
    "point": (NeedlingPoint, {}),
    "side_effect": (SideEffect, {}),
    "amendment": (Amendment, {}),
    "clinic": (Clinic, {}),
    "practitioner": (Practitioner, {}),
    "setting": (AppSetting, {"backup_folder": "value"}),
    "protocol": (Protocol, {}),
    "note_phrase": (NotePhrase, {}),
    # the record as the law sees it (0011): reasons are written to the audit trail
    "attachment": (Attachment, {}),
    "consent_text": (ConsentText, {}),
    "export": (AuditEvent, {"reason": "summary"}),
    "disposal": (AuditEvent, {"reason": "summary"}),
    "aftercare_text": (
        AftercareTemplate,
        {"title": "body", "block": "body", "words": "body", "names": "body"},
    ),
}
NOT_TYPED = {
    # search keys, catalogue codes, hashes and what the app itself writes
    "family_name_key",
    "given_name_key",
    "code",
    "muscle_code",
    "handout_language",  # a text set's code, chosen from a list
    "password_hash",
    "content_hash",
    "logo_mime",
    "key",
    "value",
    "body",
}

# Text that a user can type (in the GUI or through the services), surrogates included:
# PySide6 drops lone surrogates on the way out of a widget, but the services take any str.
ANY_TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=120)


def _column_length(model: type, column: str) -> int | None:
    kind = model.__table__.c[column].type
    assert isinstance(kind, String | Text), f"{model.__name__}.{column} is not text"
    return None if isinstance(kind, Text) else kind.length


@pytest.mark.parametrize("record", sorted(field_limits.FIELD_LIMITS))
def test_every_limit_fits_its_database_column(record: str) -> None:
    model, renamed = STORED[record]
    for field, limit in field_limits.FIELD_LIMITS[record].items():
        column = renamed.get(field, field)
        if column is None:  # screening answers' detail lives in screening_answer
            model, column = ScreeningAnswer, field
        length = _column_length(model, column)
        assert length is None or limit.max_length <= length, f"{record}.{field}"
        assert limit.label and limit.max_length > 0


@pytest.mark.parametrize(
    "model",
    [
        Patient,
        Screening,
        Consent,
        TreatmentSession,
        SideEffect,
        NeedlingPoint,
        Clinic,
        Practitioner,
    ],
)
def test_every_typed_text_column_has_a_limit(model: type) -> None:
    record = next(name for name, (stored, _) in STORED.items() if stored is model)
    limited = set(field_limits.FIELD_LIMITS[record])
    for column in model.__table__.c:
        typed_text = isinstance(column.type, String | Text) and not getattr(
            column.type, "enums", None
        )
        if typed_text and column.name not in NOT_TYPED:
            assert column.name in limited, f"{model.__name__}.{column.name} has no limit"


def test_lengths_are_counted_as_qt_counts_them() -> None:
    assert field_limits.text_length("abc") == 3
    assert field_limits.text_length("é") == 1
    assert field_limits.text_length("😀") == 2  # one character, two UTF-16 units in a QString


def test_unstorable_characters_are_found_and_described() -> None:
    assert field_limits.unstorable_character("Smith") is None
    assert field_limits.unstorable_character("Smi\ud800th") == (3, "an unpaired surrogate U+D800")
    assert field_limits.unstorable_character("a\x00") == (1, "a NUL character (U+0000)")
    assert field_limits.unstorable_character("😀 emoji pairs are fine") is None


def test_clip_cuts_with_an_ellipsis_only_when_needed() -> None:
    assert field_limits.clip("Doe", "patient", "family_name") == "Doe"
    clipped = field_limits.clip("x" * 100_000, "patient", "family_name")
    assert len(clipped) == 100 and clipped.endswith("…")
    assert field_limits.clip("😀" * 60, "patient", "family_name").endswith("…")
    assert field_limits.text_length(field_limits.clip("😀" * 60, "patient", "family_name")) <= 100
    assert len(field_limits.clip_block("closing", "y" * 9_000)) == 1_500
    assert field_limits.clip_block("closing", "y\n" * 99).count("\n") == 39
    assert len(field_limits.clip_block("title", "y" * 9_000)) == 200


def test_unknown_fields_name_themselves() -> None:
    with pytest.raises(KeyError, match=r"patient\.shoe_size"):
        field_limits.limit("patient", "shoe_size")


@given(ANY_TEXT)
def test_a_text_is_refused_exactly_when_it_cannot_be_stored_or_is_too_long(text: str) -> None:
    message = text_message("point", "notes", text * 5)
    value = text * 5
    bad = field_limits.unstorable_character(value)
    too_long = field_limits.text_length(value.strip()) > field_limits.max_length("point", "notes")
    assert (message is None) == (bad is None and not too_long)
    if message is not None:
        assert "the point's notes" in message or message.startswith("The point's notes ")
        value.encode("utf-8", "surrogatepass")  # the check itself never raises


def test_the_messages_say_what_is_wrong_and_what_to_do() -> None:
    long = text_message("patient", "family_name", "x" * 100_000)
    assert long == (
        "The family name can have at most 100 characters (100,000 were entered): shorten it."
    )
    surrogate = text_message("patient", "family_name", "Sm\ud800ith")
    assert surrogate == (
        "There is a character in the family name that cannot be stored (an unpaired "
        "surrogate U+D800 at position 3): delete it and type the text again."
    )
    assert text_message("patient", "family_name", 42) == "The family name must be text."
