"""Realistic, reproducible demo data: a clinic, practitioners, patients and their sessions.

Rows are written with bulk inserts so that 20,000 patients with about ten sessions each
take a minute or two, not hours. The same seed always gives the same database.
"""

from __future__ import annotations

import gc
import json
import random
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Table, bindparam, insert, select
from sqlalchemy.orm import Session

from dnt_desktop.demo.protocols import add_demo_protocols
from dnt_desktop.models import (
    AuditEvent,
    Consent,
    NeedlingPoint,
    Patient,
    Practitioner,
    Screening,
    ScreeningAnswer,
    SessionAdjunct,
    SessionCondition,
    SideEffect,
    TreatmentSession,
    catalogue,
)
from dnt_desktop.models.enums import (
    ChartView,
    ConsentMethod,
    DepthClass,
    Onset,
    Role,
    ScreeningStatus,
    SessionStatus,
    Severity,
    Sex,
    Side,
    Technique,
    ThermalAdvice,
)
from dnt_desktop.paths import resources_dir
from dnt_desktop.services import accounts, audit, body_map
from dnt_desktop.services.clinic_details import ClinicForm, is_set_up, save_clinic
from dnt_desktop.services.drafts import (
    AdjunctDraft,
    ConditionDraft,
    PointDraft,
    SessionDraft,
    SideEffectDraft,
)
from dnt_desktop.services.names import search_key
from dnt_desktop.services.practitioners import PractitionerForm, add_practitioner
from dnt_desktop.services.session_shape import column_values
from dnt_desktop.services.signing import content_hash_of_row, seal
from dnt_desktop.storage.engine import Database

from .safety import add_safety_data

_NAMES = json.loads((resources_dir() / "demo" / "names.json").read_text(encoding="utf-8"))
FAMILY_NAMES: list[str] = _NAMES["family_names"]
GIVEN_NAMES_F: list[str] = _NAMES["given_names_female"]
GIVEN_NAMES_M: list[str] = _NAMES["given_names_male"]
STREETS = ("High Street", "Station Road", "Church Lane", "Park Avenue", "Mill Road", "Green Lane")
TOWNS = ("Northbridge", "Eastfield", "Westmoor", "Southport", "Kingsley", "Ashford", "Riverton")
MEDICAL_HISTORY = (
    "",
    "",
    "Hypertension, well controlled.",
    "Type 2 diabetes.",
    "Previous whiplash injury (2019).",
    "Migraine since adolescence.",
    "Osteoarthritis of both knees.",
    "Lumbar disc herniation L4/5, conservative management.",
    "Asthma, mild.",
    "Hypothyroidism.",
)
MEDICATIONS = (
    "",
    "",
    "",
    "Ibuprofen as needed",
    "Levothyroxine 50 µg",
    "Metformin 500 mg bd",
    "Amlodipine 5 mg",
    "Sumatriptan as needed",
    "Salbutamol inhaler",
)
STRETCHES = (
    "",
    "Upper trapezius stretch, 3 x 30 s each side",
    "Levator scapulae stretch, 3 x 30 s, twice daily",
    "Calf stretch against the wall, 3 x 30 s",
    "Piriformis stretch (figure-four), 3 x 30 s",
    "Wrist extensor stretch, 3 x 30 s",
    "Doorway pectoral stretch, 3 x 30 s",
)
# Brady et al. 2014 (J Man Manip Ther 22(3):134-140): adverse events per treatment.
SIDE_EFFECT_RATES = {
    "bruising": 0.0755,
    "bleeding": 0.0465,
    "pain_during": 0.0301,
    "soreness": 0.0219,
    "aggravation": 0.0088,
    "drowsiness": 0.0026,
    "headache": 0.0014,
    "nausea": 0.0013,
}
DEMO_PASSWORD = "demo1234"
DEMO_PASSWORD_NOTE = (
    f"Demo accounts: sarah.okafor, tom.lindqvist (admin: admin); password {DEMO_PASSWORD}"
)


@dataclass(frozen=True)
class _Spot:
    muscle: str
    view: str
    side: str
    points: tuple[tuple[float, float], ...]


def _spots() -> dict[str, list[_Spot]]:
    """For each muscle, body-chart regions it is needled in, with sample positions."""
    rng = random.Random(1)
    spots: dict[str, list[_Spot]] = {}
    for view in ("front", "back"):
        figure = body_map.figure(view)
        for region in figure.regions:
            xs = [p[0] for p in region.polygon]
            ys = [p[1] for p in region.polygon]
            samples: list[tuple[float, float]] = []
            for _ in range(400):
                x = rng.uniform(min(xs), max(xs))
                y = rng.uniform(min(ys), max(ys))
                hit = body_map.region_at(view, x, y)
                if hit is not None and hit.code == region.code:
                    samples.append((round(x, 4), round(y, 4)))
                if len(samples) >= 12:
                    break
            if not samples:
                continue
            for code in region.muscles:
                spots.setdefault(code, []).append(_Spot(code, view, region.side, tuple(samples)))
    return spots


def _email(given: str, family: str, number: int) -> str:
    local = re.sub(r"[^a-z]", "", search_key(family))
    return f"{search_key(given)[:1]}.{local}{number}@mail.example"


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def generate(
    db: Database,
    patients: int = 200,
    seed: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> None:
    """Fill *db* (migrated, possibly already set up) with demo data."""
    rng = random.Random(seed)
    if not is_set_up(db):
        save_clinic(
            db,
            None,
            ClinicForm(
                name="Riverside Physiotherapy (demo)",
                address="12 Mill Road\nRiverton RT1 4AB",
                phone="+44 1632 960 123",
                email="hello@riverside-physio.example",
                website="riverside-physio.example",
            ),
        )
        password = accounts.hash_password(DEMO_PASSWORD)  # one hash shared by the demo accounts
        admin = add_practitioner(
            db, None, PractitionerForm("Alex Morgan", "admin", "PH-100231", Role.ADMIN), password
        )
        for name, username, number in (
            ("Sarah Okafor", "sarah.okafor", "PH-204117"),
            ("Tom Lindqvist", "tom.lindqvist", "PH-311902"),
        ):
            add_practitioner(db, admin, PractitionerForm(name, username, number), password)
    with db.reading() as session:
        practitioner_ids = list(session.scalars(select(Practitioner.id).order_by(Practitioner.id)))
        first_number = (session.scalar(select(Patient.id).order_by(Patient.id.desc())) or 0) + 1
        next_session = (
            session.scalar(select(TreatmentSession.id).order_by(TreatmentSession.id.desc())) or 0
        ) + 1
        next_screening = (
            session.scalar(select(Screening.id).order_by(Screening.id.desc())) or 0
        ) + 1
    spots = _spots()
    conditions = [c for c in catalogue.conditions() if c.code != "other"]
    contraindications = [c.code for c in catalogue.contraindications()]
    now = _now()
    batch = 500
    done = 0
    with _gc_paused():  # millions of short-lived rows: no cycles to find, much time saved
        while done < patients:
            count = min(batch, patients - done)
            rows = _batch(
                rng,
                first_number + done,
                count,
                next_session,
                next_screening,
                practitioner_ids,
                spots,
                conditions,
                contraindications,
                now,
            )
            next_session += len(rows["session"])
            next_screening += len(rows["screening"])
            with db.transaction() as session:
                for model, key in (
                    (Patient, "patient"),
                    (Screening, "screening"),
                    (ScreeningAnswer, "answer"),
                    (Consent, "consent"),
                    (TreatmentSession, "draft"),
                    (SessionCondition, "condition"),
                    (SessionAdjunct, "adjunct"),
                    (NeedlingPoint, "point"),
                    (SideEffect, "effect"),
                ):
                    _insert(session, model.__table__, rows[key])
                _sign(session, rows["session"])
                _advance_id_sequences(session)
            done += count
            if progress:
                progress(done, patients)
    from .progress import add_progress  # referrers, outcome measures and letters (issue 15)

    add_progress(db, seed, practitioner_ids[0])
    add_safety_data(db, seed, now)  # issue 16: measurements and late-reported events
    add_demo_protocols(
        db, practitioner_ids[1] if len(practitioner_ids) > 1 else practitioner_ids[0]
    )
    with db.transaction() as session:
        audit.record(
            session,
            None,
            "demo",
            entity_type="database",
            summary=f"Demo data generated: {patients} patients (seed {seed})",
        )


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector (as it was before on exit).

    The rows are plain dicts without reference cycles; the collector would otherwise
    rescan every live object again and again and take ~40% of the time.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


_EXPLICIT_IDS = (Patient.__table__, Screening.__table__, TreatmentSession.__table__)
"""Tables whose demo rows carry their own ids (children refer to them before inserting)."""


def _advance_id_sequences(session: Session) -> None:
    """On PostgreSQL, move the id sequences of _EXPLICIT_IDS past the ids written.

    Rows inserted with explicit ids do not advance a serial column's sequence: without
    this, the first patient registered after the demo would be given id 1 again and
    refused as a duplicate key. SQLite takes the next id from the table itself.
    """
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        return
    for table in _EXPLICIT_IDS:
        connection.exec_driver_sql(
            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
            f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {table.name}), false)"
        )


_SIGNED_FIELDS = ("status", "signed_at", "signed_by_id", "content_hash")
_PLACEHOLDERS = {"qmark": "?", "format": "%s", "pyformat": "%s"}


def _insert(session: Session, table: Table, rows: list[dict[str, object]]) -> None:
    """Insert *rows* (all with the same keys) with one DB-API executemany.

    Values go through the columns' own bind processors, as a Core insert would, but
    without its per-row parameter machinery, which costs more than SQLite's own work.
    """
    if not rows:
        return
    connection = session.connection()
    placeholder = _PLACEHOLDERS.get(connection.dialect.paramstyle)
    if placeholder is None:  # another driver: let SQLAlchemy format the parameters
        connection.execute(insert(table), rows)
        return
    names = list(rows[0])
    processors = [table.c[name].type._cached_bind_processor(connection.dialect) for name in names]
    values = [
        tuple(
            row[name] if process is None else process(row[name])
            for name, process in zip(names, processors, strict=True)
        )
        for row in rows
    ]
    columns = ", ".join(names)
    marks = ", ".join([placeholder] * len(names))
    connection.exec_driver_sql(f"INSERT INTO {table.name} ({columns}) VALUES ({marks})", values)


def _sign(session: Session, session_rows: list[dict[str, object]]) -> None:
    """Sign the demo's signed sessions the way the app does: draft, then children, then sign.

    The database refuses charted rows added to an already signed session (migration 0002),
    so sessions are inserted as drafts and signed once their children are in. Each
    signature is audited ("sign", with the session's seal) as the app's signing does.
    """
    signed = [
        {"sid": row["id"], **{f"new_{name}": row[name] for name in _SIGNED_FIELDS}}
        for row in session_rows
        if row["status"] == SessionStatus.SIGNED
    ]
    if not signed:
        return
    table = TreatmentSession.__table__
    statement = (
        table.update()
        .where(table.c.id == bindparam("sid"))
        .values(
            updated_at=table.c.updated_at,
            **{name: bindparam(f"new_{name}") for name in _SIGNED_FIELDS},
        )
    )
    session.connection().execute(statement, signed)
    events = []
    for row in session_rows:
        if row["status"] != SessionStatus.SIGNED:
            continue
        started: datetime = row["started_at"]  # type: ignore[assignment]
        digest = str(row["content_hash"])
        events.append(
            {
                "actor_id": row["signed_by_id"],
                "action": "sign",
                "entity_type": "session",
                "entity_id": row["id"],
                "patient_id": row["patient_id"],
                "summary": (
                    f"Signed session of {started.astimezone().date().isoformat()} "
                    f"(demo data); content hash {digest[:12]}"
                ),
                "record_hash": seal(digest, []),
            }
        )
    _insert(session, AuditEvent.__table__, audit.chained_rows(session.connection(), events))


def _batch(
    rng: random.Random,
    first: int,
    count: int,
    next_session: int,
    next_screening: int,
    practitioners: list[int],
    spots: dict[str, list[_Spot]],
    conditions: list[catalogue.Condition],
    contraindications: list[str],
    now: datetime,
) -> dict[str, list[dict[str, object]]]:
    rows: dict[str, list[dict[str, object]]] = {
        k: []
        for k in (
            "draft",
            "patient",
            "screening",
            "answer",
            "consent",
            "session",
            "condition",
            "adjunct",
            "point",
            "effect",
        )
    }
    for number in range(first, first + count):
        sex = rng.choice((Sex.FEMALE, Sex.FEMALE, Sex.MALE, Sex.MALE, Sex.OTHER))
        pool = GIVEN_NAMES_F if sex == Sex.FEMALE else GIVEN_NAMES_M
        if sex == Sex.OTHER:
            pool = GIVEN_NAMES_F + GIVEN_NAMES_M
        family, given = rng.choice(FAMILY_NAMES), rng.choice(pool)
        dob = date(1940, 1, 1) + timedelta(days=rng.randrange(0, 68 * 365))
        registered = now - timedelta(days=rng.randrange(30, 3 * 365))
        on_anticoagulants = rng.random() < 0.07
        rows["patient"].append(
            dict(
                id=number,
                chart_number=f"P{number:06d}",
                family_name=family,
                given_name=given,
                family_name_key=search_key(family),
                given_name_key=search_key(given),
                date_of_birth=dob,
                sex=sex,
                phone=f"07{rng.randrange(100, 999)} {rng.randrange(100000, 999999)}",
                email=_email(given, family, number),
                address=f"{rng.randrange(1, 200)} {rng.choice(STREETS)}\n{rng.choice(TOWNS)}",
                emergency_contact="",
                medical_history=rng.choice(MEDICAL_HISTORY),
                medications=("Apixaban 5 mg bd" if on_anticoagulants else rng.choice(MEDICATIONS)),
                allergies=rng.choice(("", "", "", "Latex", "Penicillin", "Nickel")),
                notes="",
                archived=rng.random() < 0.01,
                created_at=registered,
                updated_at=registered,
                version=1,
            )
        )
        screening_id = next_screening + len(rows["screening"])
        rows["screening"].append(
            dict(
                id=screening_id,
                patient_id=number,
                practitioner_id=rng.choice(practitioners),
                screened_at=registered,
                notes="",
            )
        )
        for code in contraindications:
            status = ScreeningStatus.ABSENT
            detail = ""
            if code == "bleeding_anticoagulants" and on_anticoagulants:
                status, detail = ScreeningStatus.PRESENT, "Apixaban (atrial fibrillation)"
            elif code == "pregnancy" and sex == Sex.FEMALE and rng.random() < 0.02:
                status, detail = ScreeningStatus.PRESENT, "Second trimester"
            elif code != "pregnancy" and rng.random() < 0.02:
                status = ScreeningStatus.PRESENT
                detail = {
                    "needle_phobia": "Anxious about needles; go slowly",
                    "metal_latex_allergy": "Nickel allergy",
                    "implanted_device": "Pacemaker (2021)",
                    "infection_skin_site": "Eczema on forearms",
                }.get(code, "")
            elif rng.random() < 0.01:
                status = ScreeningStatus.UNKNOWN
            rows["answer"].append(
                dict(screening_id=screening_id, code=code, status=status, detail=detail)
            )
        has_consent = rng.random() < 0.97
        if has_consent:
            rows["consent"].append(
                dict(
                    patient_id=number,
                    practitioner_id=rng.choice(practitioners),
                    consented_on=registered.date(),
                    text_version="DN-consent-v1",
                    method=rng.choice(
                        (ConsentMethod.WRITTEN, ConsentMethod.WRITTEN, ConsentMethod.VERBAL)
                    ),
                    notes="",
                    withdrawn_on=None,
                    withdrawn_by_id=None,
                    withdrawal_note="",
                    recorded_at=registered,
                )
            )
        else:
            continue
        n_sessions = max(1, min(20, int(rng.gauss(10, 3))))
        treated = rng.sample(conditions, k=rng.choice((1, 1, 2)))
        days = sorted(
            rng.sample(
                range(1, max(2, (now - registered).days)),
                k=min(n_sessions, max(1, (now - registered).days - 1)),
            )
        )
        for day in days:
            session_id = next_session + len(rows["session"])
            started = datetime.combine(
                (registered + timedelta(days=day)).date(),
                time(rng.randrange(8, 18), rng.choice((0, 15, 30, 45))),
                tzinfo=UTC,
            )
            practitioner = rng.choice(practitioners)
            coin = rng.random()  # always drawn, so the same seed gives the same data
            signed = started < now - timedelta(days=3) or coin < 0.5
            pain_before = rng.randrange(3, 9)
            charted = SessionDraft(  # keywords in the order the generator draws them
                patient_id=number,
                practitioner_id=practitioner,
                started_at=started,
                pain_before=pain_before,
                pain_after=max(0, pain_before - rng.randrange(0, 4)),
                notes=rng.choice(
                    (
                        "",
                        "Tolerated well.",
                        "Reports improved range of motion.",
                        "Tender trigger points reproduced familiar pain.",
                    )
                ),
                thermal_advice=rng.choice(tuple(ThermalAdvice)),
                stretches=rng.choice(STRETCHES),
            )
            session_row = dict(
                id=session_id,
                **column_values(charted),
                status=SessionStatus.SIGNED if signed else SessionStatus.DRAFT,
                signed_at=started + timedelta(minutes=40) if signed else None,
                signed_by_id=practitioner if signed else None,
                content_hash=None,
                created_at=started,
                updated_at=started,
                version=1,
            )
            conditions_rows = [
                column_values(ConditionDraft(c.code), session_id=session_id) for c in treated
            ]
            adjunct_rows = [
                column_values(AdjunctDraft(code), session_id=session_id)
                for code in rng.sample(
                    ("physiotherapy", "exercise", "massage", "medication"),
                    k=rng.choice((0, 1, 1, 2)),
                )
            ]
            muscles = [
                m.code
                for c in treated
                for r in c.regions
                for m in catalogue.muscles_in_region(r)
                if m.code in spots
            ]
            muscles = muscles or list(spots)
            point_rows = []
            for number_in_session in range(1, rng.randrange(2, 9)):
                code = rng.choice(muscles)
                spot = rng.choice(spots[code])
                x, y = rng.choice(spot.points)
                deep = rng.random() < 0.7
                length = (
                    rng.choice((25.0, 30.0, 40.0, 50.0)) if deep else rng.choice((13.0, 15.0, 25.0))
                )
                depth = (
                    round(rng.uniform(11, min(length, 35.0)), 0)
                    if deep
                    else float(rng.randrange(3, 11))
                )
                if deep and catalogue.muscle(code).lung_risk:
                    length, depth = 25.0, float(rng.randrange(11, 19))
                point = PointDraft(
                    muscle_code=code,
                    side=Side(spot.side),
                    view=ChartView(spot.view),
                    x=x,
                    y=y,
                    depth_class=DepthClass.DEEP if deep else DepthClass.SUPERFICIAL,
                    depth_mm=depth,
                    needle_gauge_mm=rng.choice((0.25, 0.25, 0.30, 0.18)),
                    needle_length_mm=length,
                    insertions=rng.randrange(1, 6),
                    twitch_response=deep and rng.random() < 0.6,
                    technique=Technique.PISTONING
                    if deep and rng.random() < 0.6
                    else Technique.STATIC,
                )
                point_rows.append(
                    column_values(point, session_id=session_id, number=number_in_session)
                )
            effect_rows = []
            for code, rate in SIDE_EFFECT_RATES.items():
                if rng.random() < rate:
                    effect = SideEffectDraft(
                        code=code,
                        severity=Severity.MILD if rng.random() < 0.9 else Severity.MODERATE,
                        onset=Onset.DURING if code in ("bleeding", "pain_during") else Onset.AFTER,
                        resolved=True,
                        action_taken="Pressure applied" if code == "bleeding" else "",
                    )
                    effect_rows.append(column_values(effect, session_id=session_id))
            if signed:
                session_row["content_hash"] = content_hash_of_row(
                    session_row, conditions_rows, adjunct_rows, point_rows, effect_rows
                )
            rows["session"].append(session_row)
            rows["draft"].append(
                session_row
                | {"status": SessionStatus.DRAFT, "signed_at": None, "signed_by_id": None}
                | {"content_hash": None}
            )
            rows["condition"] += conditions_rows
            rows["adjunct"] += adjunct_rows
            rows["point"] += point_rows
            rows["effect"] += effect_rows
    return rows
