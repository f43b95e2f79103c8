"""live titles, and unique keys for sweep reviews and intake items

* ``entries.title`` is the live (published) version's title from now on; a draft rename
  used to overwrite it at once (freeing the live title for another entry). Restore the
  live title wherever nothing else in the region has taken it meanwhile; where something
  has, the entry keeps its current title (the draft's) and the clash is left for a person.
* One review per entry, quarter and action, and one intake item per unit and 文号: the code
  already refused duplicates; the database now also holds against two writers racing.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 10:00:00
"""

import logging
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import context, op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

log = logging.getLogger("alembic.runtime.migration")

entries = sa.table(
    "entries",
    sa.column("id", sa.Integer),
    sa.column("region", sa.String),
    sa.column("title", sa.String),
    sa.column("published_version_no", sa.Integer),
)
versions = sa.table(
    "entry_versions",
    sa.column("entry_id", sa.Integer),
    sa.column("version_no", sa.Integer),
    sa.column("title", sa.String),
)


# The same fix as one portable statement, for `alembic upgrade --sql` (no connection to ask).
_RESTORE_SQL = """
UPDATE entries SET title = (
    SELECT v.title FROM entry_versions v
    WHERE v.entry_id = entries.id AND v.version_no = entries.published_version_no)
WHERE published_version_no IS NOT NULL
  AND title <> (
    SELECT v.title FROM entry_versions v
    WHERE v.entry_id = entries.id AND v.version_no = entries.published_version_no)
  AND NOT EXISTS (
    SELECT 1 FROM entries other, entry_versions v
    WHERE v.entry_id = entries.id AND v.version_no = entries.published_version_no
      AND other.region = entries.region AND other.title = v.title AND other.id <> entries.id)
"""


def _restore_live_titles() -> None:
    if context.is_offline_mode():
        op.execute(_RESTORE_SQL)
        return
    conn = op.get_bind()
    rows = conn.execute(
        sa.select(entries.c.id, entries.c.region, entries.c.title, versions.c.title)
        .select_from(
            entries.join(
                versions,
                sa.and_(
                    versions.c.entry_id == entries.c.id,
                    versions.c.version_no == entries.c.published_version_no,
                ),
            )
        )
        .where(entries.c.title != versions.c.title)
    ).all()
    for entry_id, region, _current, live_title in rows:
        taken = conn.scalar(
            sa.select(entries.c.id).where(
                entries.c.region == region, entries.c.title == live_title, entries.c.id != entry_id
            )
        )
        if taken is None:
            conn.execute(entries.update().where(entries.c.id == entry_id).values(title=live_title))
        else:
            log.warning(
                "entry %s keeps its draft title: live title %r is now held by entry %s",
                entry_id,
                live_title,
                taken,
            )


def upgrade() -> None:
    _restore_live_titles()
    op.create_index(
        "uq_sweep_review", "sweep_reviews", ["entry_id", "quarter", "action"], unique=True
    )
    op.create_index(
        "uq_intake_unit_doc_no", "intake_items", ["owner_unit_id", "doc_no"], unique=True
    )


def downgrade() -> None:
    op.drop_index("uq_intake_unit_doc_no", table_name="intake_items")
    op.drop_index("uq_sweep_review", table_name="sweep_reviews")
