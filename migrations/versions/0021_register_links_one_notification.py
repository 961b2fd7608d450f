"""register links, one notification: an action links to several waves, themes and ideas; idea notifications join every other notification

Revision ID: 0021_register
Revises: 0020_codesign
Create Date: 2026-12-01 15:20:32.668830

The links an action had (its one survey and one theme, the ideas pointing at it) are copied
into the three link tables before the old columns go; idea notifications are copied into
`notification` (kind "idea.update", with their idea) before their table goes. Downgrading
copies them back (an action keeps its first wave and theme, an idea its first action).
"""
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0021_register'
down_revision = '0020_codesign'
branch_labels = None
depends_on = None


@contextmanager
def sqlite_foreign_keys_off():
    """SQLite drops a column with a foreign key by copying the table and dropping the old one.
    With foreign keys on, dropping `action` would delete its progress updates and links, and
    dropping `idea` its supports, comments and reports, through ON DELETE CASCADE. The
    pragma only changes outside a transaction."""
    if op.get_bind().dialect.name != 'sqlite':
        yield
        return
    context = op.get_context()
    with context.autocommit_block():
        op.execute('PRAGMA foreign_keys=OFF')
        if op.get_bind().exec_driver_sql('PRAGMA foreign_keys').scalar():
            raise RuntimeError('Could not turn SQLite foreign keys off; refusing to copy the action and idea tables')
    try:
        yield
    finally:
        with context.autocommit_block():
            op.execute('PRAGMA foreign_keys=ON')


def _link_table(name, other):
    op.create_table(f'action_{name}',
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column(f'{name}_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['action.id'], name=op.f(f'fk_action_{name}_action_id_action'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint([f'{name}_id'], [f'{other}.id'], name=op.f(f'fk_action_{name}_{name}_id_{other}'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('action_id', f'{name}_id', name=op.f(f'pk_action_{name}'))
    )
    with op.batch_alter_table(f'action_{name}', schema=None) as batch_op:
        batch_op.create_index(batch_op.f(f'ix_action_{name}_{name}_id'), [f'{name}_id'], unique=False)


def upgrade():
    _link_table('idea', 'idea')
    _link_table('survey', 'survey')
    _link_table('theme', 'theme')
    op.execute('INSERT INTO action_survey (action_id, survey_id) SELECT id, survey_id FROM action '
               'WHERE survey_id IS NOT NULL AND survey_id IN (SELECT id FROM survey)')
    op.execute('INSERT INTO action_theme (action_id, theme_id) SELECT id, theme_id FROM action '
               'WHERE theme_id IS NOT NULL AND theme_id IN (SELECT id FROM theme)')
    op.execute('INSERT INTO action_idea (action_id, idea_id) SELECT action_id, id FROM idea '
               'WHERE action_id IS NOT NULL AND action_id IN (SELECT id FROM action)')

    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.add_column(sa.Column('idea_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_notification_idea_id'), ['idea_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_notification_idea_id_idea'), 'idea', ['idea_id'], ['id'], ondelete='CASCADE')
    op.execute("INSERT INTO notification (user_id, kind, message, link, created_at, read_at, idea_id) "
               "SELECT user_id, 'idea.update', message, '', created_at, read_at, idea_id FROM idea_notification "
               "ORDER BY id")

    with op.batch_alter_table('idea_notification', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_idea_notification_idea_id'))
        batch_op.drop_index(batch_op.f('ix_idea_notification_unread'))
    op.drop_table('idea_notification')

    with sqlite_foreign_keys_off():
        with op.batch_alter_table('action', schema=None) as batch_op:
            batch_op.drop_index(batch_op.f('ix_action_survey_id'))
            batch_op.drop_index(batch_op.f('ix_action_theme_id'))
            batch_op.drop_constraint(batch_op.f('fk_action_survey_id_survey'), type_='foreignkey')
            batch_op.drop_constraint(batch_op.f('fk_action_theme_id_theme'), type_='foreignkey')
            batch_op.drop_column('survey_id')
            batch_op.drop_column('theme_id')
        with op.batch_alter_table('idea', schema=None) as batch_op:
            batch_op.drop_index(batch_op.f('ix_idea_action_id'))
            batch_op.drop_constraint(batch_op.f('fk_idea_action_id_action'), type_='foreignkey')
            batch_op.drop_column('action_id')


def downgrade():
    with sqlite_foreign_keys_off():
        with op.batch_alter_table('idea', schema=None) as batch_op:
            batch_op.add_column(sa.Column('action_id', sa.INTEGER(), nullable=True))
            batch_op.create_foreign_key(batch_op.f('fk_idea_action_id_action'), 'action', ['action_id'], ['id'], ondelete='SET NULL')
            batch_op.create_index(batch_op.f('ix_idea_action_id'), ['action_id'], unique=False)
        with op.batch_alter_table('action', schema=None) as batch_op:
            batch_op.add_column(sa.Column('theme_id', sa.INTEGER(), nullable=True))
            batch_op.add_column(sa.Column('survey_id', sa.INTEGER(), nullable=True))
            batch_op.create_foreign_key(batch_op.f('fk_action_theme_id_theme'), 'theme', ['theme_id'], ['id'], ondelete='SET NULL')
            batch_op.create_foreign_key(batch_op.f('fk_action_survey_id_survey'), 'survey', ['survey_id'], ['id'], ondelete='SET NULL')
            batch_op.create_index(batch_op.f('ix_action_theme_id'), ['theme_id'], unique=False)
            batch_op.create_index(batch_op.f('ix_action_survey_id'), ['survey_id'], unique=False)
    op.execute('UPDATE action SET survey_id = (SELECT MIN(l.survey_id) FROM action_survey l WHERE l.action_id = action.id)')
    op.execute('UPDATE action SET theme_id = (SELECT MIN(l.theme_id) FROM action_theme l WHERE l.action_id = action.id)')
    op.execute('UPDATE idea SET action_id = (SELECT MIN(l.action_id) FROM action_idea l WHERE l.idea_id = idea.id)')

    op.create_table('idea_notification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('idea_id', sa.Integer(), nullable=False),
    sa.Column('message', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['idea_id'], ['idea.id'], name=op.f('fk_idea_notification_idea_id_idea'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_idea_notification_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_idea_notification'))
    )
    with op.batch_alter_table('idea_notification', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_idea_notification_unread'), ['user_id', 'read_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_idea_notification_idea_id'), ['idea_id'], unique=False)
    op.execute('INSERT INTO idea_notification (user_id, idea_id, message, created_at, read_at) '
               'SELECT user_id, idea_id, message, created_at, read_at FROM notification WHERE idea_id IS NOT NULL ORDER BY id')
    op.execute('DELETE FROM notification WHERE idea_id IS NOT NULL')
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_notification_idea_id_idea'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_notification_idea_id'))
        batch_op.drop_column('idea_id')

    for name in ('theme', 'survey', 'idea'):
        with op.batch_alter_table(f'action_{name}', schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f'ix_action_{name}_{name}_id'))
        op.drop_table(f'action_{name}')
