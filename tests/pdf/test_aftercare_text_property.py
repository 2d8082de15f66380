"""Property tests: whatever users type, the sheet builds and prints it as typed."""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from dnt_desktop.pdf import render_aftercare
from dnt_desktop.pdf.fonts import covers
from dnt_desktop.pdf.markup import escape, template_blocks
from dnt_desktop.services import aftercare

from .conftest import pdf_text, point

_POINT = point("upper_trapezius")
BASE = aftercare.AftercareSheet(
    session_id=1,
    patient_id=1,
    clinic=aftercare.ClinicDetails("Clinic", "1 Road", "0123", "a@b.example"),
    practitioner_name="Pat Practitioner",
    practitioner_registration="PH-1",
    patient_given_name="Jane",
    patient_family_name="Doe",
    patient_date_of_birth=date(1980, 5, 17),
    started_at=datetime(2026, 11, 20, 10, 30, tzinfo=UTC),
    conditions=("Neck pain",),
    points=(aftercare.SheetPoint(1, "Upper trapezius", _POINT),),
    lung_risk=True,
)

# Anything at all, controls and odd code points included.
any_text = st.text(max_size=60)


def _round_trips(char: str) -> bool:
    """Visible, drawn by the embedded font, and extracted back in the same order.

    Left out: astral characters such as emoji (reportlab's ToUnicode map cannot express
    them: they print but do not copy out of the PDF) and right-to-left scripts (pypdf
    reorders them when extracting).
    """
    return covers(char) and unicodedata.bidirectional(char) not in ("R", "AL", "AN")


printable = st.text(
    alphabet=st.characters(categories=("L", "N", "P", "S", "Zs"), max_codepoint=0xFFFF).filter(
        _round_trips
    ),
    min_size=1,
    max_size=30,
).filter(lambda s: s.strip())


def compact(text: str) -> str:
    return "".join(text.split())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(family=any_text, given_name=any_text, stretches=any_text, condition=any_text)
@example(family="\u02ef", given_name="KO\xad", stretches="", condition="")  # a soft hyphen
def test_any_text_never_breaks_the_build(
    family: str, given_name: str, stretches: str, condition: str
) -> None:
    sheet = replace(
        BASE,
        patient_family_name=family,
        patient_given_name=given_name,
        stretches=stretches,
        conditions=(condition,),
        side_effects=(aftercare.SheetSideEffect("other", condition),),
        adjuncts=(stretches,),
    )
    assert render_aftercare(sheet).startswith(b"%PDF")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(family=printable, given_name=printable, stretch=printable, condition=printable)
def test_printable_text_round_trips_through_the_pdf(
    family: str, given_name: str, stretch: str, condition: str
) -> None:
    sheet = replace(
        BASE,
        patient_family_name=family,
        patient_given_name=given_name,
        stretches=stretch,
        conditions=(condition,),
    )
    text = compact(pdf_text(render_aftercare(sheet)))
    for typed in (family, given_name, stretch, condition):
        assert compact(typed) in text


@given(text=any_text)
def test_escaped_text_carries_no_markup(text: str) -> None:
    markup = escape(text)
    assert "<" not in markup.replace("<br/>", "")
    assert ">" not in markup.replace("<br/>", "")


@given(value=any_text, body=any_text)
def test_template_markup_only_has_bold_and_line_breaks(value: str, body: str) -> None:
    for block in template_blocks(body + " {patient_name}", {"patient_name": value}):
        stripped = block.markup.replace("<br/>", "").replace("<b>", "").replace("</b>", "")
        assert "<" not in stripped and ">" not in stripped


LONG = " ".join(["Lorem ipsum dolor sit amet, consectetur adipiscing elit."] * 250)


@pytest.mark.parametrize(
    "change",
    [
        {"templates": {"lung_warning": "**Urgent**\n\n" + LONG}},
        {"clinic": replace(BASE.clinic, emergency_instruction=LONG)},
        {"clinic": replace(BASE.clinic, address="\n".join(f"Line {i}" for i in range(150)))},
        {"clinic": replace(BASE.clinic, name=LONG[:2000])},
        {"patient_family_name": "x" * 3000},
        {"conditions": (LONG,), "stretches": "\n".join([LONG[:300]] * 80)},
        {"side_effects": (aftercare.SheetSideEffect("other", LONG),)},
    ],
    ids=["lung text", "emergency", "address", "clinic name", "name", "long lists", "effect"],
)
def test_texts_longer_than_a_page_flow_onto_more_pages(change: dict[str, object]) -> None:
    data = render_aftercare(replace(BASE, **change))  # type: ignore[arg-type]
    assert "Page 1 of " in pdf_text(data)
