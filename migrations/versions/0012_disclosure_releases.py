"""disclosure: frozen releases of results; one answer per single-answer question (answer.slot, repaired duplicates)

Revision ID: 0012_disclosure_releases
Revises: 0011_analysis_text_sources
Create Date: 2026-12-01 09:00:00

"""
import logging

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0012_disclosure_releases'
down_revision = '0011_analysis_text_sources'
branch_labels = None
depends_on = None

logger = logging.getLogger('alembic.runtime.migration')
MULTI_ANSWER_KINDS = ('multi_choice',)

answer = sa.table('answer', sa.column('id', sa.Integer()), sa.column('response_id', sa.Integer()),
                  sa.column('question_id', sa.Integer()), sa.column('value', sa.Text()),
                  sa.column('slot', sa.Text()))
question = sa.table('question', sa.column('id', sa.Integer()), sa.column('kind', sa.String()))


def remove_duplicate_answers():
    """Parallel saves of one page could store two answers to a single-answer question (which
    later showed as a negative 'No answer' count). Keep the last one saved of each."""
    later = sa.alias(answer, 'later')
    multi = sa.select(question.c.id).where(question.c.kind.in_(MULTI_ANSWER_KINDS))
    result = op.get_bind().execute(
        answer.delete().where(
            answer.c.question_id.not_in(multi),
            sa.exists().where(later.c.response_id == answer.c.response_id,
                              later.c.question_id == answer.c.question_id, later.c.id > answer.c.id))
    )
    if result.rowcount:
        logger.warning('Removed %s duplicate answers to single-answer questions (kept the last saved)',
                       result.rowcount)


def upgrade():
    op.create_table('release',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.Column('build_version', sa.String(length=40), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('audit', sa.JSON(), nullable=False),
    sa.Column('audit_state', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['survey_id'], ['survey.id'], name=op.f('fk_release_survey_id_survey'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_release')),
    sa.UniqueConstraint('survey_id', 'number', name=op.f('uq_release_survey_id'))
    )
    with op.batch_alter_table('release', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_release_survey_id'), ['survey_id'], unique=False)
    remove_duplicate_answers()
    # Adding a column and an index needs no table copy on SQLite (so no ON DELETE CASCADE risk).
    op.add_column('answer', sa.Column('slot', sa.Text(), server_default='', nullable=False))
    op.get_bind().execute(
        answer.update().where(answer.c.question_id.in_(
            sa.select(question.c.id).where(question.c.kind.in_(MULTI_ANSWER_KINDS)))).values(slot=answer.c.value)
    )
    op.create_index('uq_answer_response_question_slot', 'answer', ['response_id', 'question_id', 'slot'],
                    unique=True)


def downgrade():
    with op.batch_alter_table('release', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_release_survey_id'))
    op.drop_table('release')
    op.drop_index('uq_answer_response_question_slot', table_name='answer')
    with op.batch_alter_table('answer', schema=None) as batch_op:
        batch_op.drop_column('slot')
