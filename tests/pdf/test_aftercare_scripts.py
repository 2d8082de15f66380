"""Names typed in any script print as typed: Arabic and Hebrew shaped and right to left,
Chinese and emoji in their fonts, never a .notdef box; what no font has is reported."""

from __future__ import annotations

from collections.abc import Callable

from dnt_desktop.models import Clinic
from dnt_desktop.pdf import build_aftercare
from dnt_desktop.services import aftercare
from dnt_desktop.services.clinic_details import CLINIC_ID
from dnt_desktop.storage.engine import Database

from .conftest import MakeSession, pdf_text, point
from .glyphs import contains, drawn_glyphs, harfbuzz_glyphs, postscript_name

ARABIC = "محمد عبد الله"
HEBREW = "מרים"
CHINESE = "王小明"
EMOJI = "😀🌸"


def _drawn(drawn: dict[str, list[int]], text: str, face: str) -> bool:
    """*text* drawn as HarfBuzz shapes it, in the regular face or in its bold one."""
    return any(
        contains(drawn.get(postscript_name(name), []), harfbuzz_glyphs(text, name))
        for name in (face, f"{face}-Bold")
    )


def _unbroken(text: str) -> list[int]:
    """HarfBuzz's glyphs of *text* shaped as one run (spaces made no-break, as the sheet
    does), its no-break spaces as the space glyph reportlab writes for them."""
    nbsp, space = (harfbuzz_glyphs(c, "NotoSansArabic")[0] for c in ("\u00a0", " "))
    glyphs = harfbuzz_glyphs(text.replace(" ", "\u00a0"), "NotoSansArabic")
    return [space if g == nbsp else g for g in glyphs]


def _sheet_pdf(
    db: Database, make_session: MakeSession, add_patient: Callable[[str, str], int], given: str
):
    patient = add_patient(f"{HEBREW} {CHINESE} {EMOJI}", given)
    session_id = make_session([point("gluteus_medius")], patient=patient)
    return build_aftercare(aftercare.load_sheet(db, session_id))


def test_no_glyph_is_a_notdef_box(
    db: Database, make_session: MakeSession, add_patient: Callable[[str, str], int]
) -> None:
    rendered = _sheet_pdf(db, make_session, add_patient, ARABIC)
    drawn = drawn_glyphs(rendered.data)
    assert rendered.missing == ()
    assert all(0 not in glyphs for glyphs in drawn.values())
    assert _drawn(drawn, HEBREW, "NotoSansHebrew")
    assert contains(
        drawn[postscript_name("DroidSansFallback")], harfbuzz_glyphs(CHINESE, "DroidSansFallback")
    )
    emoji = drawn[postscript_name("NotoEmoji")]
    assert all(contains(emoji, harfbuzz_glyphs(e, "NotoEmoji")) for e in EMOJI)


def test_arabic_is_joined_and_in_harfbuzz_right_to_left_order(
    db: Database, make_session: MakeSession, add_patient: Callable[[str, str], int]
) -> None:
    with db.transaction() as session:  # the footer (a canvas string) too
        session.get(Clinic, CLINIC_ID).name = "عيادة النور"
    rendered = _sheet_pdf(db, make_session, add_patient, ARABIC)
    drawn = drawn_glyphs(rendered.data)[postscript_name("NotoSansArabic")]
    # "Dear محمد عبد الله," in the introduction: one right-to-left run, kept unbroken
    expected = _unbroken(ARABIC)
    assert contains(drawn, expected)
    assert expected[0] == harfbuzz_glyphs("الله", "NotoSansArabic")[0]  # read from the right
    for word in ARABIC.split():  # joining forms, not the isolated letters
        unjoined = [harfbuzz_glyphs(c, "NotoSansArabic")[0] for c in reversed(word)]
        assert harfbuzz_glyphs(word, "NotoSansArabic") != unjoined
    assert contains(drawn, _unbroken("عيادة النور"))


def test_a_character_no_font_has_prints_a_mark_and_is_reported(
    db: Database, make_session: MakeSession, add_patient: Callable[[str, str], int]
) -> None:
    rendered = _sheet_pdf(db, make_session, add_patient, "தமிழ் Anbu")  # Tamil: not shipped
    assert set("தமழ") <= set(rendered.missing)
    assert "\ufffd" in pdf_text(rendered.data) and "Anbu" in pdf_text(rendered.data)
    warning = rendered.missing_warning()
    assert "could not be drawn" in warning and "த (U+0BA4)" in warning
    assert all(0 not in glyphs for glyphs in drawn_glyphs(rendered.data).values())
