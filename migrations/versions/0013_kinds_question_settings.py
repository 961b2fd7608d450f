"""Question kinds keep their own settings (a grid's scale, "Other (please specify)"), and
free text sits in its own answer slot, so that words typed for "Other" are analysed too.

Revision ID: 0013_kinds
Revises: 0012_disclosure_releases

Plain ADD and DROP COLUMN (no batch table copy on SQLite, so no ON DELETE CASCADE can fire).
"""

import sqlalchemy as sa
from alembic import op

revision = "0013_kinds"
down_revision = "0012_disclosure_releases"
branch_labels = None
depends_on = None


FREE_TEXT_KINDS = ('free_text',)
TEXT_SLOT = '__text__'
question = sa.table('question', sa.column('id', sa.Integer), sa.column('kind', sa.String))
answer = sa.table('answer', sa.column('question_id', sa.Integer), sa.column('slot', sa.Text))


def _free_text_answers():
    return answer.c.question_id.in_(sa.select(question.c.id).where(question.c.kind.in_(FREE_TEXT_KINDS)))


def upgrade():
    op.add_column('question', sa.Column('settings', sa.JSON(), nullable=True))
    op.execute(answer.update().where(_free_text_answers()).values(slot=TEXT_SLOT))


def downgrade():
    op.execute(answer.update().where(_free_text_answers()).values(slot=''))
    op.drop_column('question', 'settings')
