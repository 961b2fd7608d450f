"""idea action: a real foreign key from an idea to its "You said, we did" action

Revision ID: 0006_idea_action_fk
Revises: 0005_results
Create Date: 2026-11-25 20:18:54.934543

"""
import logging
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0006_idea_action_fk'
down_revision = '0005_results'
branch_labels = None
depends_on = None

logger = logging.getLogger('alembic.runtime.migration')


@contextmanager
def sqlite_foreign_keys_off():
    """SQLite adds or drops a constraint by copying the table and dropping the old one. With
    foreign keys on (feedback.extensions turns them on for every connection) that drop would
    delete every support, comment, update, report and notification of every idea, through
    their ON DELETE CASCADE. The pragma only changes outside a transaction."""
    if op.get_bind().dialect.name != 'sqlite':
        yield
        return
    context = op.get_context()
    with context.autocommit_block():
        op.execute('PRAGMA foreign_keys=OFF')
        if op.get_bind().exec_driver_sql('PRAGMA foreign_keys').scalar():
            raise RuntimeError('Could not turn SQLite foreign keys off; refusing to copy the idea table')
    try:
        yield
    finally:
        with context.autocommit_block():
            op.execute('PRAGMA foreign_keys=ON')


def clear_missing_actions():
    """Until now nothing stopped an idea pointing at an action that does not exist: unlink
    those ideas, so the constraint can be added to any database."""
    idea = sa.table('idea', sa.column('action_id', sa.Integer()))
    action = sa.table('action', sa.column('id', sa.Integer()))
    result = op.get_bind().execute(
        idea.update()
        .where(idea.c.action_id.is_not(None), ~sa.exists().where(action.c.id == idea.c.action_id))
        .values(action_id=None)
    )
    if result.rowcount:
        logger.warning('Unlinked %s ideas from "You said, we did" actions that no longer exist', result.rowcount)


def upgrade():
    with sqlite_foreign_keys_off():
        clear_missing_actions()
        with op.batch_alter_table('idea', schema=None) as batch_op:
            batch_op.create_index(batch_op.f('ix_idea_action_id'), ['action_id'], unique=False)
            batch_op.create_foreign_key(batch_op.f('fk_idea_action_id_action'), 'action',
                                        ['action_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with sqlite_foreign_keys_off(), op.batch_alter_table('idea', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_idea_action_id_action'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_idea_action_id'))
