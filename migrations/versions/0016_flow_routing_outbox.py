"""flow: routing over several answers (question.show_when, page_route), the outbox of events that follow a change

Revision ID: 0016_flow
Revises: 0015_evidence
Create Date: 2026-12-01 12:30:00

"""
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0016_flow"
down_revision = "0015_evidence"
branch_labels = None
depends_on = None

question = sa.table('question', sa.column('id', sa.Integer()), sa.column('show_if_question_id', sa.Integer()),
                    sa.column('show_if_value', sa.String()), sa.column('show_when', sa.JSON()))


@contextmanager
def sqlite_foreign_keys_off():
    """SQLite drops a column or constraint by copying the table and dropping the old one. With
    foreign keys on (feedback.extensions turns them on for every connection) that drop would
    delete every answer, comment and suggestion of every question through their ON DELETE
    CASCADE, and clear routing through ON DELETE SET NULL. The pragma only changes outside a
    transaction."""
    if op.get_bind().dialect.name != 'sqlite':
        yield
        return
    context = op.get_context()
    with context.autocommit_block():
        op.execute('PRAGMA foreign_keys=OFF')
        if op.get_bind().exec_driver_sql('PRAGMA foreign_keys').scalar():
            raise RuntimeError('Could not turn SQLite foreign keys off; refusing to copy the question table')
    try:
        yield
    finally:
        with context.autocommit_block():
            op.execute('PRAGMA foreign_keys=ON')


def upgrade():
    op.create_table('outbox_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('processed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_event'))
    )
    op.create_index('ix_outbox_event_processed_at', 'outbox_event', ['processed_at'], unique=False)
    op.create_table('page_route',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('page', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('match', sa.String(length=3), nullable=False),
    sa.Column('conditions', sa.JSON(), nullable=False),
    sa.Column('goto_page', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['survey_id'], ['survey.id'], name=op.f('fk_page_route_survey_id_survey'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_page_route'))
    )
    op.create_index(op.f('ix_page_route_survey_id'), 'page_route', ['survey_id'], unique=False)
    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.add_column(sa.Column('show_when', sa.JSON(), nullable=True))
    # Simple routing (one question, one value) becomes a condition set of one condition.
    connection = op.get_bind()
    for question_id, source, value in connection.execute(
            sa.select(question.c.id, question.c.show_if_question_id, question.c.show_if_value)
            .where(question.c.show_if_question_id.is_not(None))).all():
        connection.execute(question.update().where(question.c.id == question_id).values(
            show_when={"match": "all", "conditions": [{"question": source, "values": [value or ""]}]}))
    with sqlite_foreign_keys_off(), op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.drop_constraint('fk_question_show_if_question_id_question', type_='foreignkey')
        batch_op.drop_column('show_if_value')
        batch_op.drop_column('show_if_question_id')


def downgrade():
    with sqlite_foreign_keys_off(), op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.add_column(sa.Column('show_if_question_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('show_if_value', sa.String(length=200), nullable=True))
        batch_op.create_foreign_key('fk_question_show_if_question_id_question', 'question',
                                    ['show_if_question_id'], ['id'], ondelete='SET NULL')
    # A condition set of one condition with one value goes back; anything richer is lost.
    connection = op.get_bind()
    for question_id, show_when in connection.execute(
            sa.select(question.c.id, question.c.show_when).where(question.c.show_when.is_not(None))).all():
        conditions = (show_when or {}).get('conditions') or []
        if len(conditions) == 1 and len(conditions[0]['values']) == 1:
            connection.execute(question.update().where(question.c.id == question_id).values(
                show_if_question_id=conditions[0]['question'], show_if_value=conditions[0]['values'][0]))
    with sqlite_foreign_keys_off(), op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.drop_column('show_when')
    op.drop_index(op.f('ix_page_route_survey_id'), table_name='page_route')
    op.drop_table('page_route')
    op.drop_index('ix_outbox_event_processed_at', table_name='outbox_event')
    op.drop_table('outbox_event')
