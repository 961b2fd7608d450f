"""Admin pages: people, roles and the organisations they belong to."""
