"""Outbox: no usable secrets stored, hand-off to SMTP recorded

Invitation and reset emails keep tokens.SECRET_PLACEHOLDER in their link; the secret is
rebuilt at sending from account_token.seed. Links already stored whole are redacted here
(those still waiting to be sent then fail with a clear reason: a new one must be issued).
A claim records who made it and when the message was handed to SMTP; existing `sending`
rows count as handed over, since the old worker may have sent them.

Revision ID: 5d1c0a7e9b42
Revises: 3befe21237c8
Create Date: 2026-12-03 10:45:00

"""
import re

import sqlalchemy as sa
from alembic import op

revision = "5d1c0a7e9b42"
down_revision = "3befe21237c8"
branch_labels = None
depends_on = None

PLACEHOLDER = "secret-added-when-sent"
LINK = re.compile(r"(/invitation/|/reset-password/)[A-Za-z0-9_-]+")


def upgrade():
    with op.batch_alter_table("account_token", schema=None) as batch_op:
        batch_op.add_column(sa.Column("seed", sa.String(length=64), nullable=False, server_default=""))

    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.add_column(sa.Column("account_token_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("claimed_by", sa.String(length=40), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("handed_over_at", sa.DateTime(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_outbox_message_account_token_id_account_token"),
            "account_token",
            ["account_token_id"],
            ["id"],
        )

    outbox = sa.table(
        "outbox_message",
        sa.column("id", sa.Integer),
        sa.column("status", sa.String),
        sa.column("body_text", sa.Text),
        sa.column("body_html", sa.Text),
        sa.column("claimed_at", sa.DateTime),
        sa.column("handed_over_at", sa.DateTime),
    )
    connection = op.get_bind()
    op.execute(
        outbox.update()
        .where(outbox.c.status == "SENDING")
        .values(handed_over_at=outbox.c.claimed_at)
    )
    rows = connection.execute(
        sa.select(outbox.c.id, outbox.c.body_text, outbox.c.body_html).where(
            sa.or_(outbox.c.body_text.like("%/invitation/%"), outbox.c.body_text.like("%/reset-password/%"))
        )
    ).all()
    for row in rows:
        connection.execute(
            outbox.update()
            .where(outbox.c.id == row.id)
            .values(
                body_text=LINK.sub(rf"\g<1>{PLACEHOLDER}", row.body_text),
                body_html=LINK.sub(rf"\g<1>{PLACEHOLDER}", row.body_html),
            )
        )


def downgrade():
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_outbox_message_account_token_id_account_token"), type_="foreignkey"
        )
        batch_op.drop_column("handed_over_at")
        batch_op.drop_column("claimed_by")
        batch_op.drop_column("account_token_id")

    with op.batch_alter_table("account_token", schema=None) as batch_op:
        batch_op.drop_column("seed")
