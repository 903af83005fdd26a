"""calendar feeds, meeting sequence, outbox attachments

Revision ID: 8c3e5a1f2b7d
Revises: 63bd56efe8b3
Create Date: 2026-12-03 12:05:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8c3e5a1f2b7d'
down_revision = '63bd56efe8b3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('calendar_token',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('seed', sa.String(length=64), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_calendar_token_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_token')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_calendar_token_token_hash'))
    )
    with op.batch_alter_table('calendar_token', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_calendar_token_user_id'), ['user_id'], unique=False)
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sequence', sa.Integer(), server_default='0', nullable=False))
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('attachments', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_column('attachments')
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.drop_column('sequence')
    with op.batch_alter_table('calendar_token', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_calendar_token_user_id'))
    op.drop_table('calendar_token')
