"""evidence: the "You said, we did" register (owner, reason, where published, dated progress updates); Youth Forum consent and priority ballots; in-app notifications

Revision ID: 0015_evidence
Revises: 0014_disclosure
Create Date: 2026-12-01 12:01:04.681034

"""
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = "0015_evidence"
down_revision = "0014_disclosure"
branch_labels = None
depends_on = None


@contextmanager
def sqlite_foreign_keys_off():
    """Dropping a column on SQLite copies the table: with foreign keys on, dropping the old
    `action` would unlink every idea from its action (ON DELETE SET NULL), as in 0006. The
    pragma only changes outside a transaction."""
    if op.get_bind().dialect.name != 'sqlite':
        yield
        return
    context = op.get_context()
    with context.autocommit_block():
        op.execute('PRAGMA foreign_keys=OFF')
        if op.get_bind().exec_driver_sql('PRAGMA foreign_keys').scalar():
            raise RuntimeError('Could not turn SQLite foreign keys off; refusing to copy the action table')
    try:
        yield
    finally:
        with context.autocommit_block():
            op.execute('PRAGMA foreign_keys=ON')


def upgrade():
    op.create_table('action_update',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('happened_on', sa.Date(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('from_status', sa.String(length=20), nullable=False),
    sa.Column('to_status', sa.String(length=20), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['action.id'], name=op.f('fk_action_update_action_id_action'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_action_update_created_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_action_update'))
    )
    with op.batch_alter_table('action_update', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_action_update_action_id'), ['action_id'], unique=False)

    # Plain ADD COLUMN, never a batch copy: on SQLite copying `action` would drop the table
    # ideas point at (ON DELETE SET NULL) and unlink every idea from its action.
    op.add_column('action', sa.Column('owner', sa.String(length=200), server_default='', nullable=False))
    op.add_column('action', sa.Column('not_possible_reason', sa.Text(), server_default='', nullable=False))
    op.add_column('action', sa.Column('published_in', sa.Text(), server_default='', nullable=False))

    # Youth Forum consent and priority ballots.
    op.create_table('ballot',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_ballot_created_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ballot'))
    )
    op.create_table('youth_consent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('age_group', sa.String(length=12), nullable=False),
    sa.Column('agreed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('parent_email', sa.String(length=254), nullable=True),
    sa.Column('parent_token_hash', sa.String(length=64), nullable=True),
    sa.Column('parent_confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_youth_consent_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_youth_consent')),
    sa.UniqueConstraint('parent_token_hash', name=op.f('uq_youth_consent_parent_token_hash')),
    sa.UniqueConstraint('user_id', name=op.f('uq_youth_consent_user_id'))
    )
    op.create_table('ballot_vote',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ballot_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('voted_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['ballot_id'], ['ballot.id'], name=op.f('fk_ballot_vote_ballot_id_ballot'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_ballot_vote_user_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ballot_vote')),
    sa.UniqueConstraint('ballot_id', 'user_id', name=op.f('uq_ballot_vote_ballot_id'))
    )
    with op.batch_alter_table('ballot_vote', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ballot_vote_ballot_id'), ['ballot_id'], unique=False)

    op.create_table('ballot_option',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ballot_id', sa.Integer(), nullable=False),
    sa.Column('idea_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['ballot_id'], ['ballot.id'], name=op.f('fk_ballot_option_ballot_id_ballot'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['idea_id'], ['idea.id'], name=op.f('fk_ballot_option_idea_id_idea'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ballot_option')),
    sa.UniqueConstraint('ballot_id', 'idea_id', name=op.f('uq_ballot_option_ballot_id'))
    )
    with op.batch_alter_table('ballot_option', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ballot_option_ballot_id'), ['ballot_id'], unique=False)

    op.create_table('ballot_rank',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ballot_id', sa.Integer(), nullable=False),
    sa.Column('option_id', sa.Integer(), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['ballot_id'], ['ballot.id'], name=op.f('fk_ballot_rank_ballot_id_ballot'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['option_id'], ['ballot_option.id'], name=op.f('fk_ballot_rank_option_id_ballot_option'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ballot_rank'))
    )
    with op.batch_alter_table('ballot_rank', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ballot_rank_ballot_id'), ['ballot_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ballot_rank_option_id'), ['option_id'], unique=False)

    # In-app notifications.
    op.create_table('notification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('message', sa.String(length=300), nullable=False),
    sa.Column('link', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_notification_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification'))
    )
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.create_index('ix_notification_user_unread', ['user_id', 'read_at'], unique=False)


def downgrade():
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_index('ix_notification_user_unread')

    op.drop_table('notification')
    with op.batch_alter_table('ballot_rank', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ballot_rank_option_id'))
        batch_op.drop_index(batch_op.f('ix_ballot_rank_ballot_id'))

    op.drop_table('ballot_rank')
    with op.batch_alter_table('ballot_option', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ballot_option_ballot_id'))

    op.drop_table('ballot_option')
    with op.batch_alter_table('ballot_vote', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ballot_vote_ballot_id'))

    op.drop_table('ballot_vote')
    op.drop_table('youth_consent')
    op.drop_table('ballot')
    with sqlite_foreign_keys_off(), op.batch_alter_table('action', schema=None) as batch_op:
        batch_op.drop_column('published_in')
        batch_op.drop_column('not_possible_reason')
        batch_op.drop_column('owner')

    with op.batch_alter_table('action_update', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_action_update_action_id'))

    op.drop_table('action_update')
