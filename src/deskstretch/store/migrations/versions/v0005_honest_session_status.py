"""Honest session status: an ended session is "completed" only when most of its work was done.

Revision ID: 0005
Revises: 0004

Earlier versions called every session played or skipped to the end "completed", and every
stopped one "quit_early". The rule now (core.records.COMPLETE_SHARE): an ended session is
completed when at least 80 % of its planned work seconds were done (each step counted up to its
plan), otherwise "partial". This revision applies the rule to the sessions already stored. No
table changes, so 0004's change-counter triggers stay as they are (and count this update).

Downgrade turns "partial" back into "quit_early", the nearest older word; which sessions were
called completed before cannot be known again, so those stay as the rule left them.
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# The same as core.records.COMPLETE_SHARE, written out: a migration must not change meaning when
# the code it was written with changes later.
COMPLETE_SHARE = 0.8

# Per session: work done (each step up to its plan) and work planned. CASE rather than min() or
# least(), which differ between SQLite and PostgreSQL.
_SHARE_REACHED = (
    "(SELECT COALESCE(SUM(CASE WHEN s.done_seconds < s.planned_seconds"
    " THEN s.done_seconds ELSE s.planned_seconds END), 0)"
    " FROM session_steps s WHERE s.session_id = sessions.id)"
    f" >= {COMPLETE_SHARE} * (SELECT SUM(s.planned_seconds)"
    " FROM session_steps s WHERE s.session_id = sessions.id)"
    " AND (SELECT SUM(s.planned_seconds) FROM session_steps s"
    " WHERE s.session_id = sessions.id) > 0"
)


def upgrade() -> None:
    op.execute(
        "UPDATE sessions SET status = CASE WHEN "
        + _SHARE_REACHED
        + " THEN 'completed' ELSE 'partial' END"
        " WHERE status IN ('completed', 'quit_early')"
    )


def downgrade() -> None:
    op.execute("UPDATE sessions SET status = 'quit_early' WHERE status = 'partial'")
