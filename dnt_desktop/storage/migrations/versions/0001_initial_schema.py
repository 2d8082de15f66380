"""Initial schema: every table of the clinical data model.

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-25 11:52:03.508409
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "app_setting",
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_app_setting")),
    )
    op.create_table(
        "clinic",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("phone", sa.String(length=50), nullable=False),
        sa.Column("email", sa.String(length=200), nullable=False),
        sa.Column("website", sa.String(length=200), nullable=False),
        sa.Column("emergency_instruction", sa.Text(), nullable=False),
        sa.Column("logo", sa.LargeBinary(), nullable=True),
        sa.Column("logo_mime", sa.String(length=40), nullable=True),
        sa.Column(
            "page_size",
            sa.Enum(
                "A4",
                "Letter",
                name="page_size",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("avoid_alcohol_hours", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clinic")),
    )
    op.create_table(
        "patient",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chart_number", sa.String(length=40), nullable=False),
        sa.Column("family_name", sa.String(length=100), nullable=False),
        sa.Column("given_name", sa.String(length=100), nullable=False),
        sa.Column("family_name_key", sa.String(length=100), nullable=False),
        sa.Column("given_name_key", sa.String(length=100), nullable=False),
        sa.Column("date_of_birth", sa.Date(), nullable=False),
        sa.Column(
            "sex",
            sa.Enum(
                "female",
                "male",
                "other",
                "unknown",
                name="sex",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("phone", sa.String(length=50), nullable=False),
        sa.Column("email", sa.String(length=200), nullable=False),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("emergency_contact", sa.Text(), nullable=False),
        sa.Column("medical_history", sa.Text(), nullable=False),
        sa.Column("medications", sa.Text(), nullable=False),
        sa.Column("allergies", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_patient")),
        sa.UniqueConstraint("chart_number", name=op.f("uq_patient_chart_number")),
    )
    with op.batch_alter_table("patient", schema=None) as batch_op:
        batch_op.create_index("ix_patient_date_of_birth", ["date_of_birth"], unique=False)
        batch_op.create_index(
            "ix_patient_family_key_given_key", ["family_name_key", "given_name_key"], unique=False
        )
        batch_op.create_index("ix_patient_given_key", ["given_name_key"], unique=False)

    op.create_table(
        "practitioner",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("registration_number", sa.String(length=60), nullable=False),
        sa.Column("username", sa.String(length=60), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "practitioner",
                "admin",
                name="role",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=True),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("last_failed_login_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_practitioner")),
        sa.UniqueConstraint("username", name=op.f("uq_practitioner_username")),
    )
    op.create_table(
        "aftercare_template",
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["practitioner.id"],
            name=op.f("fk_aftercare_template_updated_by_id_practitioner"),
        ),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_aftercare_template")),
    )
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("entity_type", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=True),
        sa.Column("patient_id", sa.Integer(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("workstation", sa.String(length=100), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("row_hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["practitioner.id"], name=op.f("fk_audit_event_actor_id_practitioner")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_event")),
    )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.create_index("ix_audit_event_entity", ["entity_type", "entity_id"], unique=False)
        batch_op.create_index("ix_audit_event_occurred_at", ["occurred_at"], unique=False)
        batch_op.create_index("ix_audit_event_patient", ["patient_id"], unique=False)

    op.create_table(
        "consent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("practitioner_id", sa.Integer(), nullable=False),
        sa.Column("consented_on", sa.Date(), nullable=False),
        sa.Column("text_version", sa.String(length=40), nullable=False),
        sa.Column(
            "method",
            sa.Enum(
                "written",
                "verbal",
                name="consent_method",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("withdrawn_on", sa.Date(), nullable=True),
        sa.Column("withdrawn_by_id", sa.Integer(), nullable=True),
        sa.Column("withdrawal_note", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_consent_patient_id_patient")
        ),
        sa.ForeignKeyConstraint(
            ["practitioner_id"],
            ["practitioner.id"],
            name=op.f("fk_consent_practitioner_id_practitioner"),
        ),
        sa.ForeignKeyConstraint(
            ["withdrawn_by_id"],
            ["practitioner.id"],
            name=op.f("fk_consent_withdrawn_by_id_practitioner"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consent")),
    )
    with op.batch_alter_table("consent", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_consent_patient_id"), ["patient_id"], unique=False)

    op.create_table(
        "screening",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("practitioner_id", sa.Integer(), nullable=False),
        sa.Column("screened_at", sa.DateTime(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_screening_patient_id_patient")
        ),
        sa.ForeignKeyConstraint(
            ["practitioner_id"],
            ["practitioner.id"],
            name=op.f("fk_screening_practitioner_id_practitioner"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_screening")),
    )
    with op.batch_alter_table("screening", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_screening_patient_id"), ["patient_id"], unique=False)

    op.create_table(
        "treatment_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("practitioner_id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("pain_before", sa.Integer(), nullable=True),
        sa.Column("pain_after", sa.Integer(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column(
            "thermal_advice",
            sa.Enum(
                "general",
                "heat",
                "ice",
                name="thermal_advice",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("stretches", sa.Text(), nullable=False),
        sa.Column("next_appointment", sa.DateTime(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "signed",
                name="session_status",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("signed_at", sa.DateTime(), nullable=True),
        sa.Column("signed_by_id", sa.Integer(), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "pain_after BETWEEN 0 AND 10", name=op.f("ck_treatment_session_pain_after_range")
        ),
        sa.CheckConstraint(
            "pain_before BETWEEN 0 AND 10", name=op.f("ck_treatment_session_pain_before_range")
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_treatment_session_patient_id_patient")
        ),
        sa.ForeignKeyConstraint(
            ["practitioner_id"],
            ["practitioner.id"],
            name=op.f("fk_treatment_session_practitioner_id_practitioner"),
        ),
        sa.ForeignKeyConstraint(
            ["signed_by_id"],
            ["practitioner.id"],
            name=op.f("fk_treatment_session_signed_by_id_practitioner"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_treatment_session")),
    )
    with op.batch_alter_table("treatment_session", schema=None) as batch_op:
        batch_op.create_index(
            "ix_treatment_session_patient_started", ["patient_id", "started_at"], unique=False
        )
        batch_op.create_index(
            "ix_treatment_session_practitioner_status", ["practitioner_id", "status"], unique=False
        )

    op.create_table(
        "aftercare_delivery",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("practitioner_id", sa.Integer(), nullable=True),
        sa.Column("delivered_at", sa.DateTime(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "printed",
                "saved",
                name="delivery_kind",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["practitioner_id"],
            ["practitioner.id"],
            name=op.f("fk_aftercare_delivery_practitioner_id_practitioner"),
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["treatment_session.id"],
            name=op.f("fk_aftercare_delivery_session_id_treatment_session"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_aftercare_delivery")),
    )
    with op.batch_alter_table("aftercare_delivery", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_aftercare_delivery_session_id"), ["session_id"], unique=False
        )

    op.create_table(
        "alert_acknowledgement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=60), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("acknowledged_by_id", sa.Integer(), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["acknowledged_by_id"],
            ["practitioner.id"],
            name=op.f("fk_alert_acknowledgement_acknowledged_by_id_practitioner"),
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["treatment_session.id"],
            name=op.f("fk_alert_acknowledgement_session_id_treatment_session"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_acknowledgement")),
    )
    with op.batch_alter_table("alert_acknowledgement", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_alert_acknowledgement_session_id"), ["session_id"], unique=False
        )

    op.create_table(
        "amendment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["practitioner.id"], name=op.f("fk_amendment_author_id_practitioner")
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["treatment_session.id"],
            name=op.f("fk_amendment_session_id_treatment_session"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_amendment")),
    )
    with op.batch_alter_table("amendment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_amendment_session_id"), ["session_id"], unique=False)

    op.create_table(
        "needling_point",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("muscle_code", sa.String(length=60), nullable=False),
        sa.Column(
            "side",
            sa.Enum(
                "left",
                "right",
                "midline",
                name="side",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column(
            "view",
            sa.Enum(
                "front",
                "back",
                name="chart_view",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("x", sa.Float(), nullable=False),
        sa.Column("y", sa.Float(), nullable=False),
        sa.Column(
            "depth_class",
            sa.Enum(
                "superficial",
                "deep",
                name="depth_class",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("depth_mm", sa.Float(), nullable=False),
        sa.Column("needle_gauge_mm", sa.Float(), nullable=False),
        sa.Column("needle_length_mm", sa.Float(), nullable=False),
        sa.Column("insertions", sa.Integer(), nullable=False),
        sa.Column("twitch_response", sa.Boolean(), nullable=False),
        sa.Column(
            "technique",
            sa.Enum(
                "static",
                "pistoning",
                name="technique",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "(depth_class = 'superficial' AND depth_mm <= 10) "
            "OR (depth_class = 'deep' AND depth_mm > 10)",
            name=op.f("ck_needling_point_depth_class_matches_depth"),
        ),
        sa.CheckConstraint(
            "depth_mm <= needle_length_mm", name=op.f("ck_needling_point_depth_within_needle")
        ),
        sa.CheckConstraint("depth_mm > 0", name=op.f("ck_needling_point_depth_positive")),
        sa.CheckConstraint("insertions >= 1", name=op.f("ck_needling_point_insertions_min")),
        sa.CheckConstraint(
            "needle_gauge_mm > 0", name=op.f("ck_needling_point_needle_gauge_positive")
        ),
        sa.CheckConstraint(
            "needle_length_mm > 0", name=op.f("ck_needling_point_needle_length_positive")
        ),
        sa.CheckConstraint(
            "x >= 0 AND x <= 1 AND y >= 0 AND y <= 1",
            name=op.f("ck_needling_point_position_normalised"),
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["treatment_session.id"],
            name=op.f("fk_needling_point_session_id_treatment_session"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_needling_point")),
    )
    with op.batch_alter_table("needling_point", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_needling_point_session_id"), ["session_id"], unique=False
        )

    op.create_table(
        "screening_answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("screening_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "present",
                "absent",
                "unknown",
                name="screening_status",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["screening_id"],
            ["screening.id"],
            name=op.f("fk_screening_answer_screening_id_screening"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_screening_answer")),
        sa.UniqueConstraint("screening_id", "code", name="uq_screening_answer_code"),
    )
    with op.batch_alter_table("screening_answer", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_screening_answer_screening_id"), ["screening_id"], unique=False
        )

    op.create_table(
        "session_adjunct",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("detail", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["treatment_session.id"],
            name=op.f("fk_session_adjunct_session_id_treatment_session"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_session_adjunct")),
    )
    with op.batch_alter_table("session_adjunct", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_session_adjunct_session_id"), ["session_id"], unique=False
        )

    op.create_table(
        "session_condition",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("other_text", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["treatment_session.id"],
            name=op.f("fk_session_condition_session_id_treatment_session"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_session_condition")),
    )
    with op.batch_alter_table("session_condition", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_session_condition_session_id"), ["session_id"], unique=False
        )

    op.create_table(
        "side_effect",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("other_text", sa.String(length=200), nullable=False),
        sa.Column(
            "severity",
            sa.Enum(
                "mild",
                "moderate",
                "severe",
                name="severity",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column(
            "onset",
            sa.Enum(
                "during",
                "after",
                name="onset",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("resolved", sa.Boolean(), nullable=False),
        sa.Column("action_taken", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["treatment_session.id"],
            name=op.f("fk_side_effect_session_id_treatment_session"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_side_effect")),
    )
    with op.batch_alter_table("side_effect", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_side_effect_session_id"), ["session_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("side_effect", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_side_effect_session_id"))

    op.drop_table("side_effect")
    with op.batch_alter_table("session_condition", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_session_condition_session_id"))

    op.drop_table("session_condition")
    with op.batch_alter_table("session_adjunct", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_session_adjunct_session_id"))

    op.drop_table("session_adjunct")
    with op.batch_alter_table("screening_answer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_screening_answer_screening_id"))

    op.drop_table("screening_answer")
    with op.batch_alter_table("needling_point", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_needling_point_session_id"))

    op.drop_table("needling_point")
    with op.batch_alter_table("amendment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_amendment_session_id"))

    op.drop_table("amendment")
    with op.batch_alter_table("alert_acknowledgement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alert_acknowledgement_session_id"))

    op.drop_table("alert_acknowledgement")
    with op.batch_alter_table("aftercare_delivery", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_aftercare_delivery_session_id"))

    op.drop_table("aftercare_delivery")
    with op.batch_alter_table("treatment_session", schema=None) as batch_op:
        batch_op.drop_index("ix_treatment_session_practitioner_status")
        batch_op.drop_index("ix_treatment_session_patient_started")

    op.drop_table("treatment_session")
    with op.batch_alter_table("screening", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_screening_patient_id"))

    op.drop_table("screening")
    with op.batch_alter_table("consent", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consent_patient_id"))

    op.drop_table("consent")
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_event_patient")
        batch_op.drop_index("ix_audit_event_occurred_at")
        batch_op.drop_index("ix_audit_event_entity")

    op.drop_table("audit_event")
    op.drop_table("aftercare_template")
    op.drop_table("practitioner")
    with op.batch_alter_table("patient", schema=None) as batch_op:
        batch_op.drop_index("ix_patient_given_key")
        batch_op.drop_index("ix_patient_family_key_given_key")
        batch_op.drop_index("ix_patient_date_of_birth")

    op.drop_table("patient")
    op.drop_table("clinic")
    op.drop_table("app_setting")
