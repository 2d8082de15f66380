"""reportlab's HarfBuzz shaping, made right for a word set in more than one font.

reportlab shapes each word of a paragraph (text between spaces) in one HarfBuzz buffer
with the font of its first fragment, then looks the glyph ids up in each fragment's own
font: a word such as ``বিজ্ঞান,`` whose comma comes from another font, or a Bengali name
glued to Latin text, would print wrong glyphs. Here such a word is shaped one font at a
time and the pieces are joined again. Imported for its effect by :mod:`.fonts`.
"""

from __future__ import annotations

from typing import Any

from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.platypus import paragraph

_shape_one_font = ttfonts.shapeFragWord
FEATURES = {"kern": True, "liga": True}
"""HarfBuzz's defaults (the script's required forms, kerning, standard ligatures), without
the discretionary ligatures reportlab adds: those change a name (Arabic ﷴ for محمد)."""


def _font_groups(word: list[Any]) -> list[list[Any]]:
    """The (fragment, text) items of *word* in runs of one font (specials stay in place)."""
    groups: list[list[Any]] = []
    font = None
    for item in word[1:]:
        frag = item[0]
        name = None if hasattr(frag, "cbDefn") else frag.fontName
        if not groups or (name is not None and name != font and font is not None):
            groups.append([])
        if name is not None:
            font = name
        groups[-1].append(item)
    return groups


def _width(items: list[Any]) -> float:
    return sum(
        getattr(frag, "width", 0)
        if hasattr(frag, "cbDefn")
        else pdfmetrics.stringWidth(text, frag.fontName, frag.fontSize)
        for frag, text in items
    )


def shape_frag_word(word: list[Any], features: Any = None, force: bool = False) -> list[Any]:
    """Shape *word* (reportlab's [width, (frag, text), ...]) one font at a time."""
    if isinstance(word, ttfonts.ShapedFragWord):
        return word
    groups = _font_groups(word)
    if len(groups) < 2:
        return _shape_one_font(word, FEATURES, force)
    shaped = [
        _shape_one_font(word.__class__([_width(items), *items]), FEATURES, force)
        for items in groups
    ]
    if all(not isinstance(part, ttfonts.ShapedFragWord) for part in shaped):
        return word
    joined = ttfonts.makeShapedFragWord(word)([sum(part[0] for part in shaped)])
    for part in shaped:
        joined.extend(part[1:])
    return joined


paragraph.shapeFragWord = shape_frag_word
ttfonts.shapeFragWord = shape_frag_word  # what canvas strings are shaped with (shapeStr)
