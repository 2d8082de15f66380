"""Sheets in Bengali and Hindi for a demo patient: the shipped Noto fonts, every section's
words, conjuncts and vowel signs exactly as HarfBuzz shapes them."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pypdf
import pytest
from reportlab.pdfbase import pdfmetrics
from sqlalchemy import select

from dnt_desktop import demo
from dnt_desktop.models import Patient, Practitioner
from dnt_desktop.models.enums import DepthClass, Role, ThermalAdvice
from dnt_desktop.pdf import build_aftercare
from dnt_desktop.services import aftercare
from dnt_desktop.services.drafts import (
    AdjunctDraft,
    ConditionDraft,
    SessionDraft,
    SideEffectDraft,
)
from dnt_desktop.services.sessions import save_session
from dnt_desktop.storage.engine import Database

from .conftest import LUNG_RISK, point
from .glyphs import contains, drawn_glyphs, harfbuzz_glyphs, postscript_name

CONJUNCT_WORDS = {
    "bn": ("বিজ্ঞান", "স্বাস্থ্য"),
    "hi": ("क्षमा", "स्वास्थ्य"),
}
"""Typed by the practitioner (the stretches): conjuncts, pre-base vowel signs, ya-phala."""

SHEET_WORDS = {
    "bn": ("ড্রাই", "চিকিৎসার", "স্ট্রেচ", "পার্শ্বপ্রতিক্রিয়া", "শ্বাসকষ্ট", "নিউমোথোরাক্স"),
    "hi": ("ड्राई", "स्ट्रेच", "दर्द", "सिकाई", "न्यूमोथोरैक्स", "ज़्यादा", "प्रिय"),
}
"""Words of the shipped texts with conjuncts, reph and vowel signs."""

SECTION_WORDS = {
    "bn": {
        "title": "ড্রাই নিডলিং চিকিৎসার পরে যত্ন",
        "patient box": "চিকিৎসার তারিখ",
        "intro": "মন দিয়ে পড়ুন",
        "what we treated": "আজ আমরা কী চিকিৎসা করেছি",
        "table": "পেশি",
        "muscle in Bengali, Latin beside it": "ঘাড় ও কাঁধের ওপরের পেশি",
        "body chart": "সামনে",
        "lung box": "জরুরি: বুকের কাছে চিকিৎসার পরে শ্বাসকষ্ট",
        "what to expect": "পেশিতে ব্যথা হওয়া স্বাভাবিক",
        "looking after yourself": "আজ প্রচুর জল খান",
        "side effects": "কালশিটে",
        "when to seek help": "কখন সাহায্য নেবেন",
        "next appointment": "আপনার পরের অ্যাপয়েন্টমেন্ট",
        "closing": "যোগাযোগ করুন",
        "page number": "পৃষ্ঠা",
    },
    "hi": {
        "title": "ड्राई नीडलिंग उपचार के बाद देखभाल",
        "patient box": "उपचार की तिथि",
        "intro": "ध्यान से पढ़ें",
        "what we treated": "आज हमने किसका उपचार किया",
        "table": "मांसपेशी",
        "muscle in Hindi, Latin beside it": "गर्दन और कंधे के ऊपर की मांसपेशी",
        "body chart": "सामने",
        "lung box": "छाती के पास उपचार के बाद साँस की तकलीफ़",
        "what to expect": "मांसपेशियों में दर्द होना सामान्य है",
        "looking after yourself": "आज खूब पानी पिएँ",
        "side effects": "नील पड़ना",
        "when to seek help": "कब मदद लें",
        "next appointment": "आपकी अगली अपॉइंटमेंट",
        "closing": "हमसे संपर्क करें",
        "page number": "पृष्ठ",
    },
}

FONTS = {"bn": "NotoSansBengali", "hi": "NotoSansDevanagari"}
SHIPPED_FACES = {
    "DejaVuSans",
    "DejaVuSans-Bold",
    "NotoSansBengali-Regular",
    "NotoSansBengali-Bold",
    "NotoSansDevanagari-Regular",
    "NotoSansDevanagari-Bold",
}


@pytest.fixture(scope="module")
def demo_sheets(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[bytes, object]]:
    """A demo database; a demo patient's full session; its sheet in English, bn and hi."""
    from dnt_desktop.storage.location import sqlite_url
    from dnt_desktop.storage.open import open_database

    db: Database = open_database(sqlite_url(tmp_path_factory.mktemp("demo") / "demo.sqlite3"))
    try:
        demo.generate(db, patients=2, seed=5)
        with db.reading() as session:
            patient_id = session.scalars(select(Patient.id).order_by(Patient.id)).first()
            practitioner_id = session.scalars(
                select(Practitioner.id).where(Practitioner.role == Role.PRACTITIONER)
            ).first()
        draft = SessionDraft(
            patient_id=patient_id,
            practitioner_id=practitioner_id,
            started_at=datetime(2026, 11, 20, 10, 30, tzinfo=UTC),
            conditions=[ConditionDraft("neck_pain")],
            adjuncts=[AdjunctDraft("exercise")],
            points=[point(LUNG_RISK), point("gluteus_medius", DepthClass.SUPERFICIAL)],
            side_effects=[SideEffectDraft("bruising")],
            thermal_advice=ThermalAdvice.HEAT,
            stretches=" ".join(w for words in CONJUNCT_WORDS.values() for w in words),
            next_appointment=datetime(2026, 11, 27, 10, 30, tzinfo=UTC),
        )
        session_id = save_session(db, practitioner_id, draft).session_id
        sheets = {}
        for language in ("en", "bn", "hi"):
            sheet = aftercare.load_sheet(db, session_id, language)
            sheets[language] = (build_aftercare(sheet).data, sheet)
        return sheets
    finally:
        db.dispose()


def _faces(data: bytes) -> set[str]:
    """The faces text is drawn with (reportlab also lists Helvetica, never drawing with it)."""
    return set(drawn_glyphs(data))


def _extractable(text: str, language: str) -> str:
    """*text* as a PDF text extractor reads it back: glyphs in visual order, each read as
    the character the font maps to it (vowel signs before their consonant, conjunct
    glyphs without one dropped), without spaces."""
    face = pdfmetrics.getFont(FONTS[language]).face
    out = []
    for word in text.split():
        if all(ord(c) < 0x0900 for c in word):
            out.append(word)
            continue
        for glyph in harfbuzz_glyphs(word, FONTS[language]):
            chars = [c for c in face.glyphToChar.get(glyph, []) if not 0xE000 <= c <= 0xF8FF]
            out.append(chr(chars[0]) if chars else "")
    return "".join(out)


def _plain(text: str) -> str:
    return "".join(c for c in text if not c.isspace() and not 0xE000 <= ord(c) <= 0xF8FF)


@pytest.mark.parametrize("language", ["bn", "hi"])
def test_the_sheet_is_set_in_the_shipped_noto_fonts(demo_sheets, language: str) -> None:
    data, sheet = demo_sheets[language]
    faces = _faces(data)
    assert f"{FONTS[language]}-Regular" in faces and f"{FONTS[language]}-Bold" in faces
    assert faces <= SHIPPED_FACES
    assert sheet.text_set.code == language and sheet.text_set.unreviewed
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert reader.trailer["/Root"]["/Lang"] == language


@pytest.mark.parametrize("language", ["bn", "hi"])
def test_every_section_prints_its_words(demo_sheets, language: str) -> None:
    data, _ = demo_sheets[language]
    text = _plain("\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages))
    missing = [
        section
        for section, words in SECTION_WORDS[language].items()
        if _plain(_extractable(words, language)) not in text
    ]
    assert missing == []
    assert "Upper trapezius" in text.replace("\n", "") or "(Upper" in text  # the Latin name


@pytest.mark.parametrize("language", ["bn", "hi"])
def test_conjuncts_and_vowel_signs_are_the_glyphs_harfbuzz_forms(
    demo_sheets, language: str
) -> None:
    data, _ = demo_sheets[language]
    drawn = drawn_glyphs(data)
    regular = drawn[postscript_name(FONTS[language])]
    bold = drawn.get(postscript_name(FONTS[language] + "-Bold"), [])
    assert 0 not in regular and 0 not in bold  # no .notdef anywhere
    for word in CONJUNCT_WORDS[language] + SHEET_WORDS[language]:
        in_regular = contains(regular, harfbuzz_glyphs(word, FONTS[language]))
        in_bold = contains(bold, harfbuzz_glyphs(word, FONTS[language] + "-Bold"))
        assert in_regular or in_bold, word
        # shaped, not one glyph per character in typing order: a conjunct or reph glyph,
        # or a vowel sign moved before its consonant
        face = pdfmetrics.getFont(FONTS[language]).face
        unshaped = [face.charToGlyph.get(ord(c), 0) for c in word]
        assert harfbuzz_glyphs(word, FONTS[language]) != unshaped, word


def test_english_sheets_of_the_same_session_use_dejavu_only(demo_sheets) -> None:
    data, sheet = demo_sheets["en"]
    faces = _faces(data)
    # the practitioner's Bengali and Hindi stretches are set in Noto; all else in DejaVu
    assert {"DejaVuSans", "DejaVuSans-Bold"} <= faces <= SHIPPED_FACES
    assert not sheet.text_set.unreviewed and sheet.text_set.warning() == ""
    assert "What we treated today" in pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text()
