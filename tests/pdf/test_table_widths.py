"""Table headings keep their words whole (issue 17's record PDF: "Inse-rtion-s")."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from reportlab.pdfbase.pdfmetrics import stringWidth

from dnt_desktop.pdf.table_widths import head_fitted_widths

FONT, SIZE, PAD = "Helvetica-Bold", 8, 6


def _word(text: str) -> float:
    return max(stringWidth(w, FONT, SIZE) for w in text.split()) + PAD


def test_a_narrow_column_gets_its_heading_word_from_the_wide_ones() -> None:
    head = ["No.", "Muscle", "Insertions", "Notes"]
    widths = head_fitted_widths(head, [0.8, 3.8, 1.0, 2.6], 300, FONT, SIZE, PAD)
    assert abs(sum(widths) - 300) < 1e-6
    assert all(w >= _word(h) for h, w in zip(head, widths, strict=True))
    plain = [p * 300 / 8.2 for p in (0.8, 3.8, 1.0, 2.6)]
    assert plain[2] < _word("Insertions")  # the case being fixed
    assert widths[0] <= plain[0]  # a column with room to spare gives some of it


def test_widths_that_fit_are_left_alone() -> None:
    assert head_fitted_widths(["A", "B"], [1, 3], 400, FONT, SIZE, PAD) == [100, 300]


def test_headings_wider_than_the_table_keep_the_proportions() -> None:
    head = ["Extraordinarily", "Incomprehensibilities"]
    assert head_fitted_widths(head, [1, 1], 60, FONT, SIZE, PAD) == [30, 30]


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["No.", "Side", "Insertions", "Technique", "x"]), st.floats(0.3, 5)
        ),
        min_size=1,
        max_size=9,
    ),
    st.floats(200, 600),
)
def test_every_heading_word_fits_whenever_they_can(columns, total) -> None:
    head = [h for h, _ in columns]
    widths = head_fitted_widths(head, [p for _, p in columns], total, FONT, SIZE, PAD)
    assert abs(sum(widths) - total) < 1e-6
    if sum(_word(h) + 0.5 for h in head) <= total:
        assert all(w >= _word(h) - 1e-6 for h, w in zip(head, widths, strict=True))
