"""Alembic migrations of the store; run by ``store.migrate`` on open, never by hand at run time."""
