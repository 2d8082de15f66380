"""The complete record of one patient as a PDF a patient can read.

Built from the export's data (``services.record_export.RecordData``) and its JSON
document: details, medical history, screenings, consents, every session with its points
on the body chart, side effects, alerts acknowledged, amendments, events reported after
signing and aftercare sheets given; the referrer, the outcome measures (scored as the app
scores them, ``services.progress.scoring``; those entered in error marked, never left
out) and the letters sent; the files kept with the record, and the audit trail. User text
reaches Platypus only escaped (``markup.escape``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from io import BytesIO
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)

from dnt_desktop.models import catalogue
from dnt_desktop.services.dates import format_date, format_datetime
from dnt_desktop.services.errors import ServiceError
from dnt_desktop.services.file_types import BY_MIME, size_text
from dnt_desktop.services.progress.letters import KINDS as LETTER_KINDS
from dnt_desktop.services.progress.scoring import points as score_text
from dnt_desktop.services.progress.scoring import score
from dnt_desktop.services.record_export import RecordData, json_value

from .body_chart import chart_drawing
from .canvas import numbered_canvas
from .markup import clean, escape
from .styles import RULE, TABLE_HEAD, styles
from .table_widths import head_fitted_widths
from .text import Paragraph

MARGIN = 16 * mm
CHART_HEIGHT = 52 * mm
CELL_PADDING = 3


@dataclass(frozen=True)
class _Charted:
    view: str
    x: float
    y: float


@dataclass(frozen=True)
class _Marker:
    """A point as the body chart drawing needs it (its number and where it was charted)."""

    number: int
    charted: _Charted


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return format_datetime(value)
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    return str(json_value(value))


def _type_label(mime: str) -> str:
    kind = BY_MIME.get(mime)
    return kind.label if kind else mime


def _label(kind: str, code: str, other: str = "") -> str:
    try:
        label = catalogue.label_of(kind, code)
    except KeyError:
        label = code
    return f"{label}: {other}" if other else label


class _Builder:
    def __init__(self, data: RecordData, document: Mapping[str, Any], width: float) -> None:
        self.data = data
        self.document = document
        self.width = width
        self.s = styles()
        self.story: list[Flowable] = []

    def p(self, markup: str, style: Any = None) -> Paragraph:
        return Paragraph(markup, style or self.s.body)

    def heading(self, text: str) -> None:
        self.story.append(Spacer(1, 3 * mm))
        self.story.append(self.p(escape(text), self.s.heading))

    def pairs(self, rows: Sequence[tuple[str, str]]) -> None:
        body = [
            [self.p(escape(label), self.s.label), self.p(escape(value), self.s.value)]
            for label, value in rows
            if value
        ]
        if body:
            table = Table(body, colWidths=[42 * mm, self.width - 42 * mm], hAlign="LEFT")
            table.setStyle(_grid(head=False))
            self.story.append(table)

    def table(
        self, head: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float]
    ) -> None:
        if not rows:
            return
        style = self.s.cell_head
        fitted = head_fitted_widths(
            head, widths, self.width, style.fontName, style.fontSize, 2 * CELL_PADDING
        )
        cells = [[self.p(escape(h), style) for h in head]]
        cells += [[self.p(escape(v), self.s.cell) for v in row] for row in rows]
        table = Table(cells, colWidths=fitted, repeatRows=1, hAlign="LEFT")
        table.setStyle(_grid(head=True))
        self.story.append(table)

    def note(self, text: str) -> None:
        self.story.append(self.p(escape(text), self.s.note))

    # --- sections ----------------------------------------------------------------------

    def title(self) -> None:
        doc = self.document
        patient = self.data.patient
        clinic = clean(str(doc["clinic"].get("name") or ""))
        self.story.append(self.p(escape(clinic), self.s.clinic_name))
        self.story.append(self.p("Complete patient record", self.s.title))
        name = f"{patient['family_name']}, {patient['given_name']}"
        self.story.append(self.p(f"<b>{escape(name)}</b>", self.s.heading))
        exported = datetime.fromisoformat(str(doc["exported_at"]).replace("Z", "+00:00"))
        self.note(
            f"Exported {format_datetime(exported)} by {doc['exported_by']}. "
            f"Reason: {doc['reason']}. This PDF is one part of the export; record.json "
            "holds the same record machine-readably and MANIFEST.sha256 the checksum of "
            "every file."
        )

    def details(self) -> None:
        p = self.data.patient
        self.heading("Details")
        self.pairs(
            [
                ("Family name", str(p["family_name"])),
                ("Given name", str(p["given_name"])),
                ("Chart number", str(p["chart_number"])),
                ("Date of birth", _text(p["date_of_birth"])),
                ("Sex", _text(p["sex"])),
                ("Phone", str(p["phone"])),
                ("E-mail", str(p["email"])),
                ("Address", str(p["address"])),
                ("Emergency contact", str(p["emergency_contact"])),
                ("Handout language", str(p["handout_language"])),
                ("Registered", _text(p["created_at"])),
                ("Archived", "yes" if p["archived"] else ""),
                ("Date of death", _text(p.get("died_on"))),
            ]
        )
        self.heading("Medical history")
        self.pairs(
            [
                ("Medical history", str(p["medical_history"]) or "none recorded"),
                ("Medications", str(p["medications"]) or "none recorded"),
                ("Allergies", str(p["allergies"]) or "none recorded"),
                ("Notes", str(p["notes"])),
            ]
        )

    def screenings(self) -> None:
        self.heading("Contraindication screenings")
        rows = self.data.table("screening")
        if not rows:
            self.note("No screening on record.")
        for row in rows:
            who = self.data.practitioner_name(row["practitioner_id"])
            self.story.append(
                self.p(f"<b>{escape(_text(row['screened_at']))}</b> by {escape(who)}")
            )
            answers = self.data.children("screening_answer", "screening_id", row["id"])
            self.table(
                ["Contraindication", "Answer", "Detail"],
                [
                    [_label("contraindication", a["code"]), _text(a["status"]), str(a["detail"])]
                    for a in answers
                ],
                [5, 1.3, 4],
            )
            if row["notes"]:
                self.note(f"Notes: {row['notes']}")

    def consents(self) -> None:
        self.heading("Consent to dry needling")
        rows = self.data.table("consent")
        if not rows:
            self.note("No consent on record.")
        files = self.data.table("attachment")
        self.table(
            ["Given on", "How", "Form version", "Recorded by", "Withdrawn", "Signed copy", "Notes"],
            [
                [
                    _text(r["consented_on"]),
                    _text(r["method"]),
                    str(r["text_version"]),
                    self.data.practitioner_name(r["practitioner_id"]),
                    (_text(r["withdrawn_on"]) + " " + str(r["withdrawal_note"])).strip(),
                    ", ".join(f["filename"] for f in files if f["consent_id"] == r["id"]),
                    str(r["notes"]),
                ]
                for r in rows
            ],
            [2.2, 1.5, 2.2, 2.5, 2.5, 3, 3],
        )

    def sessions(self) -> None:
        rows = sorted(self.data.table("treatment_session"), key=lambda r: r["started_at"])
        self.heading(f"Treatment sessions ({len(rows)})")
        if not rows:
            self.note("No session on record.")
        signatures = {s["session_id"]: s for s in self.document["signatures"]}
        for row in rows:
            self.session(row, signatures.get(row["id"]))

    def session(self, row: Mapping[str, Any], signature: Mapping[str, Any] | None) -> None:
        sid = row["id"]
        d = self.data
        head = (
            f"<b>Session of {escape(_text(row['started_at']))}</b> · "
            f"{escape(d.practitioner_name(row['practitioner_id']))} · session {sid}"
        )
        block: list[Flowable] = [Spacer(1, 2 * mm), self.p(head, self.s.heading)]
        if signature:
            state = "verified" if signature["verified"] else "DOES NOT MATCH its signature"
            block.append(
                self.p(
                    escape(
                        f"Signed by {signature['signed_by']} on {_text(row['signed_at'])}; "
                        f"content hash {signature['content_hash']} ({state}); "
                        f"seal {signature['seal']}"
                        + (
                            f", audit event {signature['audit_event_id']}"
                            if signature["audit_event_id"]
                            else ""
                        )
                    ),
                    self.s.note,
                )
            )
        else:
            block.append(self.p("Draft (not signed)", self.s.note))
        conditions = [
            _label("condition", c["code"], c["other_text"])
            for c in d.children("session_condition", "session_id", sid)
        ]
        adjuncts = [
            _label("adjunct", a["code"], a["detail"])
            for a in d.children("session_adjunct", "session_id", sid)
        ]
        pairs = [
            ("Conditions", "; ".join(conditions)),
            ("Pain before / after", f"{_text(row['pain_before'])} / {_text(row['pain_after'])}"),
            ("Adjuncts", "; ".join(adjuncts)),
            ("Notes", str(row["notes"])),
            ("Heat or ice", _text(row["thermal_advice"])),
            ("Stretches", str(row["stretches"])),
            ("Next appointment", _text(row["next_appointment"])),
        ]
        self.story.append(KeepTogether(block))
        self.pairs(pairs)
        points = d.children("needling_point", "session_id", sid)
        if points:
            views = [v for v in ("front", "back") if any(_text(p["view"]) == v for p in points)]
            drawings = [
                chart_drawing(
                    v,
                    [
                        _Marker(p["number"], _Charted(v, p["x"], p["y"]))  # type: ignore[misc]
                        for p in points
                        if _text(p["view"]) == v
                    ],
                    CHART_HEIGHT,
                )
                for v in views
            ]
            charts = Table(
                [drawings], colWidths=[dr.width + 8 * mm for dr in drawings], hAlign="LEFT"
            )
            self.story.append(charts)
            self.table(
                [
                    "No.",
                    "Muscle",
                    "Side",
                    "Depth",
                    "Needle",
                    "Insertions",
                    "Twitch",
                    "Technique",
                    "Notes",
                ],
                [
                    [
                        str(p["number"]),
                        _label("muscle", p["muscle_code"]),
                        _text(p["side"]),
                        f"{_text(p['depth_class'])}, {p['depth_mm']:g}\u00a0mm",
                        f"{p['needle_gauge_mm']:g} x {p['needle_length_mm']:g} mm",
                        str(p["insertions"]),
                        _text(p["twitch_response"]),
                        _text(p["technique"]),
                        str(p["notes"]),
                    ]
                    for p in sorted(points, key=lambda p: p["number"])
                ],
                [0.8, 3.8, 1.3, 2.3, 2.4, 1.0, 1.4, 2.1, 2.6],
            )
        effects = d.children("side_effect", "session_id", sid)
        self.table(
            ["Side effect", "Severity", "Onset", "Resolved", "Action taken", "Notes"],
            [
                [
                    _label("side_effect", e["code"], e["other_text"]),
                    _text(e["severity"]),
                    _text(e["onset"]),
                    _text(e["resolved"]),
                    str(e["action_taken"]),
                    str(e["notes"]),
                ]
                for e in effects
            ],
            [3, 1.5, 1.3, 1.3, 3, 3],
        )
        acks = d.children("alert_acknowledgement", "session_id", sid)
        self.table(
            ["Alert acknowledged", "By", "When"],
            [
                [
                    str(a["message"]),
                    d.practitioner_name(a["acknowledged_by_id"]),
                    _text(a["acknowledged_at"]),
                ]
                for a in acks
            ],
            [6, 2.5, 2.5],
        )
        amendments = d.children("amendment", "session_id", sid)
        self.table(
            ["Amendment", "By", "When"],
            [
                [str(a["text"]), d.practitioner_name(a["author_id"]), _text(a["created_at"])]
                for a in amendments
            ],
            [6, 2.5, 2.5],
        )
        late = d.children("late_event", "session_id", sid)
        self.table(
            [
                "Event reported after signing",
                "Severity",
                "Onset",
                "Action taken",
                "Notes",
                "Recorded",
            ],
            [
                [
                    _label("side_effect", e["code"], e["other_text"]),
                    _text(e["severity"]),
                    f"{e['onset_hours']:g} h after",
                    str(e["action_taken"]),
                    str(e["notes"]),
                    f"{_text(e['recorded_at'])} by {d.practitioner_name(e['recorded_by_id'])}",
                ]
                for e in late
            ],
            [3, 1.4, 1.3, 3, 2.5, 2.6],
        )
        deliveries = d.children("aftercare_delivery", "session_id", sid)
        self.table(
            ["Aftercare sheet", "By", "When"],
            [
                [
                    f"{_text(a['kind'])} {a['detail']}".strip(),
                    d.practitioner_name(a["practitioner_id"]),
                    _text(a["delivered_at"]),
                ]
                for a in deliveries
            ],
            [6, 2.5, 2.5],
        )

    def progress(self) -> None:
        d = self.data
        self.heading("Referred by")
        referral = d.table("patient_referrer")
        if not referral:
            self.note("No referrer recorded.")
        for row in referral:
            self.pairs(
                [
                    ("Referrer", d.referrer_name(row["referrer_id"]) or str(row["referrer_id"])),
                    ("Recorded", _text(row["updated_at"])),
                ]
            )
        self.measures()
        letters = d.table("sent_letter")
        self.heading(f"Letters sent ({len(letters)})")
        if not letters:
            self.note("No letter sent.")
        else:
            self.note(
                "Each letter's PDF, exactly as sent, is in this export as letters/<id>.pdf "
                "(its SHA-256 as below)."
            )
        self.table(
            ["Sent", "Letter", "To", "By", "How", "PDF in this export"],
            [
                [
                    _text(r["sent_at"]),
                    _letter_title(r["template_key"]),
                    str(r["recipient"]) or d.referrer_name(r["referrer_id"]),
                    d.practitioner_name(r["author_id"]),
                    str(r["kind"]),
                    f"letters/{r['id']}.pdf, SHA-256 {r['pdf_sha256']}",
                ]
                for r in letters
            ],
            [2.2, 2.6, 3.4, 2.2, 1.3, 4.5],
        )

    def measures(self) -> None:
        d = self.data
        rows = sorted(d.table("outcome_measure"), key=lambda r: (r["taken_on"], r["id"]))
        self.heading(f"Outcome measures ({len(rows)})")
        if not rows:
            self.note("No outcome measure recorded.")
            return
        retracted = {r["measure_id"]: r for r in d.table("measure_retraction")}
        table_rows = []
        for row in rows:
            answers = sorted(
                d.children("measure_answer", "measure_id", row["id"]), key=lambda a: a["position"]
            )
            values = [a["value"] for a in answers]
            try:
                scored = score_text(score(row["scoring"], values)) if values else ""
            except ServiceError:
                scored = "not scorable"
            scale = f"{scored} ({row['scale_min']}-{row['scale_max']})" if scored else ""
            error = retracted.get(row["id"])
            status = (
                f"ENTERED IN ERROR ({_text(error['created_at'])}, "
                f"{d.practitioner_name(error['author_id'])}): {error['reason']}"
                if error
                else ""
            )
            table_rows.append(
                [
                    _text(row["taken_on"]),
                    str(row["name"]),
                    scale,
                    "; ".join(
                        f"{a['label']}: {'not answered' if a['value'] is None else a['value']}"
                        for a in answers
                    ),
                    d.practitioner_name(row["practitioner_id"]),
                    "; ".join(t for t in (str(row["notes"]), status) if t),
                ]
            )
        self.table(
            ["Taken on", "Measure", "Score (scale)", "Answers", "By", "Notes"],
            table_rows,
            [2, 3, 1.8, 4.5, 2.2, 3],
        )
        if retracted:
            self.note(
                "A measure marked ENTERED IN ERROR was set aside: it stays in the record "
                "but is not counted in the patient's progress."
            )

    def files(self) -> None:
        rows = self.data.table("attachment")
        self.heading(f"Files kept with the record ({len(rows)})")
        if not rows:
            self.note("No file attached.")
        paths = {f["attachment_id"]: f["path"] for f in self.document["files"]}
        self.table(
            ["File (in this export)", "Kind", "Type, size", "Added", "SHA-256"],
            [
                [
                    paths.get(r["id"], r["filename"]),
                    str(r["kind"]).replace("_", " "),
                    f"{_type_label(r['mime'])}, {size_text(r['size'])}",
                    _text(r["added_at"]),
                    str(r["sha256"]),
                ]
                for r in rows
            ],
            [4, 2, 2.5, 2.5, 5],
        )

    def audit(self) -> None:
        rows = self.data.table("audit_event")
        self.heading(f"Audit trail of this record ({len(rows)} events)")
        self.table(
            ["When", "Who", "What", "Summary"],
            [
                [
                    _text(r["occurred_at"]),
                    self.data.practitioner_name(r["actor_id"]),
                    f"{r['action']} {r['entity_type']}".strip(),
                    str(r["summary"]),
                ]
                for r in rows
            ],
            [2.6, 2.6, 2.2, 7],
        )


def _letter_title(key: str) -> str:
    kind = LETTER_KINDS.get(key)
    return kind.title if kind else key


def _grid(head: bool) -> TableStyle:
    commands: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    if head:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), TABLE_HEAD))
    return TableStyle(commands)


def build_patient_record(data: RecordData, document: Mapping[str, Any]) -> bytes:
    """The readable PDF of the export."""
    buffer = BytesIO()
    width = A4[0] - 2 * MARGIN
    patient = data.patient
    name = clean(f"{patient['family_name']}, {patient['given_name']}")
    builder = _Builder(data, document, width)
    builder.title()
    builder.details()
    builder.screenings()
    builder.consents()
    builder.sessions()
    builder.progress()
    builder.files()
    builder.audit()
    template = BaseDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=f"Complete patient record – {name}",
        author=clean(str(document["clinic"].get("name") or "")) or "dnt-desktop",
        subject="Complete patient record",
        creator="dnt-desktop",
        pageTemplates=[
            PageTemplate(
                "page",
                [Frame(MARGIN, MARGIN, width, A4[1] - 2 * MARGIN, id="body")],
            )
        ],
    )
    template.build(builder.story, canvasmaker=numbered_canvas(A4[0] - MARGIN, MARGIN / 2))
    return buffer.getvalue()


def export_complete_record(
    db: Any, actor_id: int | None, patient_id: int, reason: str, output: Any
) -> Any:
    """``record_export.export_patient`` with this PDF (what the GUI and the CLI call)."""
    from dnt_desktop.services.record_export import export_patient

    return export_patient(db, actor_id, patient_id, reason, output, build_patient_record)
