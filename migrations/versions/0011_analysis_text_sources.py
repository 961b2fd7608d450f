"""analysis of every text source: the sentiment of a comment's part about communication, and
fragments staff removed by hand

Revision ID: 0011_analysis_text_sources
Revises: 0010_api_tokens_webhooks
Create Date: 2026-12-01 09:23:10

Plain ADD COLUMN (no batch table copy on SQLite, so no ON DELETE CASCADE can fire).
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0011_analysis_text_sources'
down_revision = '0010_api_tokens_webhooks'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('text_analysis', sa.Column('communication_polarity', sa.Double(), nullable=True))
    op.add_column('text_analysis', sa.Column('communication_label', sa.String(length=10), nullable=True))
    op.add_column('text_analysis', sa.Column('manual_redactions', sa.JSON(), nullable=False, server_default='[]'))


def downgrade():
    with op.batch_alter_table('text_analysis', schema=None) as batch_op:
        batch_op.drop_column('manual_redactions')
        batch_op.drop_column('communication_label')
        batch_op.drop_column('communication_polarity')
