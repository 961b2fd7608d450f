"""co-design: partners can suggest the wording of an option, or a new option, as well as a
question's wording (wording_suggestion.target)

Revision ID: 0019_codesign
Revises: 0018_i18n
"""
import sqlalchemy as sa
from alembic import op

revision = '0019_codesign'
down_revision = '0018_i18n'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('wording_suggestion',
                  sa.Column('target', sa.String(length=20), server_default='question', nullable=False))


def downgrade():
    # A plain drop (no batch copy of the table)
    op.drop_column('wording_suggestion', 'target')
