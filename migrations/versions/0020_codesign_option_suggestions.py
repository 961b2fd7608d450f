"""co-design: partners can suggest the wording of an option, or a new option, as well as a
question's wording (wording_suggestion.target)

Revision ID: 0020_codesign
Revises: 0019_reach
"""
import sqlalchemy as sa
from alembic import op

revision = '0020_codesign'
down_revision = '0019_reach'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('wording_suggestion',
                  sa.Column('target', sa.String(length=20), server_default='question', nullable=False))


def downgrade():
    # A plain drop (no batch copy of the table)
    op.drop_column('wording_suggestion', 'target')
