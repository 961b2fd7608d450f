"""api: API tokens expire; webhook endpoints and their deliveries

Revision ID: 0008_api_tokens_webhooks
Revises: 0007_contact_requests
Create Date: 2026-12-01 08:51:13

"""
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0008_api_tokens_webhooks'
down_revision = '0007_contact_requests'
branch_labels = None
depends_on = None

# Tokens made before tokens expired keep working for this long after the upgrade.
EXISTING_TOKEN_DAYS = 90


def upgrade():
    # Adding a column is a plain ALTER TABLE on SQLite too (no table copy, so no cascade).
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.add_column(sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True))
    token = sa.table('api_token', sa.column('expires_at', sa.DateTime(timezone=True)),
                     sa.column('revoked_at', sa.DateTime(timezone=True)))
    op.execute(token.update().where(token.c.revoked_at.is_(None))
               .values(expires_at=datetime.now(timezone.utc) + timedelta(days=EXISTING_TOKEN_DAYS)))


def downgrade():
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.drop_column('expires_at')
