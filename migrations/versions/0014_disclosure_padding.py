"""disclosure: marks of the devices and addresses that sent responses (keyed hashes, for padding checks); the unused results_snapshot table goes

Revision ID: 0014_disclosure
Revises: 0013_kinds
Create Date: 2026-12-01 12:15:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0014_disclosure"
down_revision = "0013_kinds"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('submission_mark',
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('batch', sa.Integer(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('expires_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['survey_id'], ['survey.id'], name=op.f('fk_submission_mark_survey_id_survey'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('survey_id', 'kind', 'digest', 'batch', name=op.f('pk_submission_mark'))
    )
    with op.batch_alter_table('submission_mark', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_submission_mark_expires_on'), ['expires_on'], unique=False)
    # Results have been kept as releases since 0012; nothing reads the old snapshots.
    op.drop_table('results_snapshot')


def downgrade():
    op.create_table('results_snapshot',
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('computed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('stale', sa.Boolean(), nullable=False),
    sa.Column('method_version', sa.String(length=40), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['survey_id'], ['survey.id'], name=op.f('fk_results_snapshot_survey_id_survey'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('survey_id', name=op.f('pk_results_snapshot'))
    )
    with op.batch_alter_table('submission_mark', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_submission_mark_expires_on'))
    op.drop_table('submission_mark')
