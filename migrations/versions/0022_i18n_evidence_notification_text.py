"""notification text: a notification keeps the text to translate and its values, so each reader sees it in their language

Revision ID: 0022_i18n_evidence
Revises: 0021_register
Create Date: 2026-12-01 18:50:00

Two nullable columns on `notification` (no table copy on SQLite: adding and dropping a plain
column needs none). Older rows keep their English message, shown translated when it has no
values in it.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0022_i18n_evidence'
down_revision = '0021_register'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('notification', sa.Column('template', sa.String(length=300), nullable=True))
    op.add_column('notification', sa.Column('params', sa.JSON(), nullable=True))


def downgrade():
    op.drop_column('notification', 'params')
    op.drop_column('notification', 'template')
