"""contact requests: families who asked to be contacted after answering

Revision ID: 0007_contact_requests
Revises: 0006_idea_action_fk
Create Date: 2026-11-25 20:40:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0007_contact_requests'
down_revision = '0006_idea_action_fk'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('contact_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('about', sa.Text(), nullable=False),
    sa.Column('reference', sa.String(length=20), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('handled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('handled_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['handled_by_id'], ['user.id'], name=op.f('fk_contact_request_handled_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['survey_id'], ['survey.id'], name=op.f('fk_contact_request_survey_id_survey'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contact_request'))
    )
    with op.batch_alter_table('contact_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contact_request_email'), ['email'], unique=False)
        batch_op.create_index(batch_op.f('ix_contact_request_survey_id'), ['survey_id'], unique=False)


def downgrade():
    with op.batch_alter_table('contact_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contact_request_survey_id'))
        batch_op.drop_index(batch_op.f('ix_contact_request_email'))
    op.drop_table('contact_request')
