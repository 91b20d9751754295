"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Needs a role allowed to create extensions (cloudsqlsuperuser on Cloud SQL).
    op.execute("CREATE EXTENSION IF NOT EXISTS vector")
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.create_table('chat_sessions',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=16), server_default='open', nullable=False),
    sa.Column('escalation_reason', sa.Text(), nullable=True),
    sa.Column('escalated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('locale', sa.String(length=35), nullable=True),
    sa.Column('attributes', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('last_activity_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("status IN ('open', 'escalated', 'closed')", name='chat_sessions_status_valid'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('chat_sessions_last_activity_idx', 'chat_sessions', ['last_activity_at'], unique=False)
    op.create_table('kb_entries',
    sa.Column('id', sa.String(length=128), nullable=False),
    sa.Column('question', sa.Text(), nullable=False),
    sa.Column('answer', sa.Text(), nullable=False),
    sa.Column('keywords', postgresql.ARRAY(sa.Text()), server_default='{}', nullable=False),
    sa.Column('examples', postgresql.ARRAY(sa.Text()), server_default='{}', nullable=False),
    sa.Column('url', sa.Text(), nullable=True),
    sa.Column('position', sa.Integer(), server_default='0', nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('search_vector', postgresql.TSVECTOR(), nullable=False),
    sa.Column('match_text', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('kb_entries_match_trgm_idx', 'kb_entries', ['match_text'], unique=False, postgresql_using='gin', postgresql_ops={'match_text': 'gin_trgm_ops'})
    op.create_index('kb_entries_search_idx', 'kb_entries', ['search_vector'], unique=False, postgresql_using='gin')
    op.create_table('kb_vocabulary',
    sa.Column('word', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('word')
    )
    op.create_index('kb_vocabulary_trgm_idx', 'kb_vocabulary', ['word'], unique=False, postgresql_using='gin', postgresql_ops={'word': 'gin_trgm_ops'})
    op.create_table('messages',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=True), nullable=False),
    sa.Column('session_id', sa.UUID(), nullable=False),
    sa.Column('sender', sa.String(length=16), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('client_message_id', sa.String(length=64), nullable=True),
    sa.Column('reply_to_id', sa.BigInteger(), nullable=True),
    sa.Column('sources', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'[]'::jsonb"), nullable=False),
    sa.Column('suggested_actions', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'[]'::jsonb"), nullable=False),
    sa.Column('details', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("sender IN ('user', 'bot', 'agent', 'system')", name='messages_sender_valid'),
    sa.ForeignKeyConstraint(['reply_to_id'], ['messages.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['chat_sessions.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('reply_to_id'),
    sa.UniqueConstraint('session_id', 'client_message_id', name='messages_client_id_unique')
    )
    op.create_index('messages_session_order_idx', 'messages', ['session_id', 'id'], unique=False)
    op.create_table('session_summaries',
    sa.Column('session_id', sa.UUID(), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('details', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['chat_sessions.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('session_id')
    )


def downgrade() -> None:
    op.drop_table('session_summaries')
    op.drop_index('messages_session_order_idx', table_name='messages')
    op.drop_table('messages')
    op.drop_index('kb_entries_search_idx', table_name='kb_entries', postgresql_using='gin')
    op.drop_index('kb_entries_match_trgm_idx', table_name='kb_entries', postgresql_using='gin', postgresql_ops={'match_text': 'gin_trgm_ops'})
    op.drop_table('kb_entries')
    op.drop_table('kb_vocabulary')
    op.drop_index('chat_sessions_last_activity_idx', table_name='chat_sessions')
    op.drop_table('chat_sessions')
