"""Sessions and check-ins: sessions, their steps, and pain check-ins.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sessions",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("routine_id", sa.String(128), nullable=False),
        sa.Column("routine_name", sa.Text(), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sessions")),
    )
    op.create_index(op.f("ix_sessions_started_at"), "sessions", ["started_at"])
    op.create_table(
        "session_steps",
        sa.Column("session_id", sa.String(64), nullable=False),
        sa.Column("step_index", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("exercise_id", sa.String(128), nullable=False),
        sa.Column("muscle_group", sa.String(64), nullable=False),
        sa.Column("planned_seconds", sa.Float(), nullable=False),
        sa.Column("done_seconds", sa.Float(), nullable=False),
        sa.Column("seconds_left", sa.Float(), nullable=False),
        sa.Column("seconds_right", sa.Float(), nullable=False),
        sa.Column("seconds_both", sa.Float(), nullable=False),
        sa.Column("completed", sa.Boolean(), nullable=False),
        sa.Column("skipped", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["sessions.id"],
            name=op.f("fk_session_steps_session_id_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("session_id", "step_index", name=op.f("pk_session_steps")),
    )
    op.create_table(
        "checkins",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("back_pain", sa.Integer(), nullable=True),
        sa.Column("leg_pain", sa.Integer(), nullable=True),
        sa.Column("context", sa.String(32), nullable=False),
        sa.Column("session_id", sa.String(64), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.CheckConstraint("back_pain BETWEEN 0 AND 10", name=op.f("ck_checkins_back_pain_range")),
        sa.CheckConstraint("leg_pain BETWEEN 0 AND 10", name=op.f("ck_checkins_leg_pain_range")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkins")),
    )
    op.create_index(op.f("ix_checkins_at"), "checkins", ["at"])
    op.create_index(op.f("ix_checkins_session_id"), "checkins", ["session_id"])


def downgrade() -> None:
    op.drop_table("checkins")
    op.drop_table("session_steps")
    op.drop_table("sessions")
