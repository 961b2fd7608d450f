"""reach: invitations to a wave (no link to responses), the consented contact list, the local outbox; the page a family saved on

Revision ID: 0017_reach
Revises: 0016_flow
Create Date: 2026-12-01 12:16:30.812381

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0017_reach"
down_revision = "0016_flow"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('contact',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('mobile', sa.String(length=20), nullable=True),
    sa.Column('audience', sa.String(length=20), nullable=False),
    sa.Column('wants_surveys', sa.Boolean(), nullable=False),
    sa.Column('wants_results', sa.Boolean(), nullable=False),
    sa.Column('consent_text', sa.Text(), nullable=False),
    sa.Column('nonce', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contact'))
    )
    with op.batch_alter_table('contact', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contact_email'), ['email'], unique=False)
        batch_op.create_index(batch_op.f('ix_contact_mobile'), ['mobile'], unique=False)

    op.create_table('outbox_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('recipient', sa.String(length=254), nullable=False),
    sa.Column('template', sa.String(length=60), nullable=False),
    sa.Column('personalisation', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_message'))
    )
    op.create_table('invitation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('mobile', sa.String(length=20), nullable=True),
    sa.Column('nonce', sa.String(length=32), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('used_on', sa.Date(), nullable=True),
    sa.Column('unsubscribed', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['contact_id'], ['contact.id'], name=op.f('fk_invitation_contact_id_contact'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['survey_id'], ['survey.id'], name=op.f('fk_invitation_survey_id_survey'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invitation'))
    )
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.create_index('ix_invitation_survey_used', ['survey_id', 'used_on'], unique=False)

    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.add_column(sa.Column('resume_page', sa.Integer(), nullable=True))



def downgrade():
    # A plain DROP COLUMN (SQLite 3.35+): copying the response table in batch mode would
    # delete every answer through their ON DELETE CASCADE.
    op.drop_column('response', 'resume_page')

    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.drop_index('ix_invitation_survey_used')

    op.drop_table('invitation')
    op.drop_table('outbox_message')
    with op.batch_alter_table('contact', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contact_mobile'))
        batch_op.drop_index(batch_op.f('ix_contact_email'))

    op.drop_table('contact')
