"""Files are judged by their content, never by their name."""

from __future__ import annotations

import pytest

from dnt_desktop.services.file_types import JPEG, PDF, PNG, refusal, size_text, sniff
from tests.sample_files import ELF_PROGRAM, JPEG_HEADER, WINDOWS_PROGRAM, pdf_bytes, png_bytes


def test_the_three_kinds_are_known_by_their_first_bytes() -> None:
    assert sniff(pdf_bytes()) is PDF
    assert sniff(png_bytes()) is PNG
    assert sniff(JPEG_HEADER + b"\x00" * 20) is JPEG


@pytest.mark.parametrize(
    "data",
    [
        ELF_PROGRAM,
        WINDOWS_PROGRAM,  # a program with a PDF header inside: not a PDF
        b"#!/bin/sh\nrm -rf /\n",
        b"<svg xmlns='http://www.w3.org/2000/svg'><script/></svg>",
        b"PK\x03\x04 a zip or an office document",
        b"\x89PNG\r\n\x1a\n",  # a signature alone is not an image
        b"",
    ],
)
def test_anything_else_is_refused(data: bytes) -> None:
    assert sniff(data) is None
    assert refusal("letter.pdf", data) is not None


def test_a_program_named_pdf_is_refused_with_what_to_do() -> None:
    message = refusal("referral.pdf", ELF_PROGRAM)
    assert message is not None
    assert "not a PDF, JPEG or PNG" in message and "Scan or save" in message


def test_the_size_limit_counts_bytes_and_says_so() -> None:
    data = pdf_bytes()
    assert refusal("scan.pdf", data, limit=len(data)) is None
    message = refusal("scan.pdf", data + b"%", limit=len(data))
    assert message is not None and "files up to" in message


@pytest.mark.parametrize(
    ("size", "text"), [(812, "812 bytes"), (46_080, "45 KB"), (3_355_443, "3.2 MB")]
)
def test_sizes_read_as_people_say_them(size: int, text: str) -> None:
    assert size_text(size) == text
