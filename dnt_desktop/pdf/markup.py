"""From user text and templates to Platypus paragraph markup, safely.

Everything a user typed is escaped, so ``<img src=...>`` or ``<font ...>`` prints as text.
The only tags this module emits are ``<b>``, ``</b>`` and ``<br/>``; templates may use
``**bold**``, ``- `` bullets and blank lines between paragraphs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from dnt_desktop.services.aftercare import fill_pieces

# C0/C1 controls (but tab and newline), lone surrogates and non-characters: invisible
# and unsafe for the paragraph parser, so they never reach it. The soft hyphen (U+00AD)
# too: invisible unless a line breaks there, and reportlab's hyphenation of it fails on
# shaped text (a name typed with one stopped the sheet from building).
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\xad\ud800-\udfff\ufffe\uffff]")
BULLET_PREFIXES = ("- ", "• ", "* ")


def clean(text: str) -> str:
    """Line endings as \\n, tabs as spaces, unprintable characters removed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return _UNPRINTABLE.sub("", text)


def escape(text: str) -> str:
    """User text as markup that prints exactly as typed; line breaks are kept."""
    text = clean(text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("\n", "<br/>")


def inline(text: str) -> str:
    """User text on one line (line breaks become spaces), escaped."""
    return escape(" ".join(clean(text).split("\n")))


@dataclass(frozen=True)
class Block:
    """One paragraph or bullet point of a filled template, as safe markup."""

    kind: Literal["paragraph", "bullet"]
    markup: str


@dataclass
class _Line:
    parts: list[tuple[str, bool]]  # (text, typed in the template)

    @property
    def template_text(self) -> str:
        return "".join(text for text, literal in self.parts if literal)

    @property
    def blank(self) -> bool:
        return all(not text.strip() for text, _ in self.parts)

    def bullet(self) -> bool:
        first = self.parts[0] if self.parts else ("", False)
        return first[1] and first[0].lstrip().startswith(BULLET_PREFIXES)

    def strip_bullet(self) -> _Line:
        text, literal = self.parts[0]
        stripped = text.lstrip()[2:].lstrip()
        return _Line([(stripped, literal), *self.parts[1:]])


def _lines(body: str, values: Mapping[str, str]) -> list[_Line]:
    lines = [_Line([])]
    for piece in fill_pieces(clean(body), {k: clean(v) for k, v in values.items()}):
        if not piece.from_template:
            lines[-1].parts.append((piece.text, False))
            continue
        chunks = piece.text.split("\n")
        for i, chunk in enumerate(chunks):
            if i:
                lines.append(_Line([]))
            if chunk:
                lines[-1].parts.append((chunk, True))
    return lines


def _render(lines: list[_Line]) -> str:
    """Markup of consecutive lines, ``**`` toggling bold in template text only."""
    out: list[str] = []
    bold = False
    for index, line in enumerate(lines):
        if index:
            out.append("<br/>")
        for text, literal in line.parts:
            if not literal:
                out.append(escape(text))
                continue
            for i, chunk in enumerate(text.split("**")):
                if i:
                    bold = not bold
                    out.append("<b>" if bold else "</b>")
                out.append(escape(chunk))
    if bold:
        out.append("</b>")
    return "".join(out).replace("<b></b>", "")


def template_blocks(body: str, values: Mapping[str, str]) -> list[Block]:
    """Paragraphs and bullets of a template with its placeholders filled in."""
    blocks: list[Block] = []
    current: list[_Line] = []
    kind: Literal["paragraph", "bullet"] = "paragraph"

    def flush() -> None:
        nonlocal current
        if current:
            markup = _render(current).strip()
            if markup:
                blocks.append(Block(kind, markup))
        current = []

    for line in _lines(body, values):
        if line.blank:
            flush()
        elif line.bullet():
            flush()
            kind = "bullet"
            current = [line.strip_bullet()]
        else:
            if kind == "bullet":
                flush()
                kind = "paragraph"
            current.append(line)
    flush()
    return blocks
