"""Invitations to a wave by email and text message, and the consented contact list."""
