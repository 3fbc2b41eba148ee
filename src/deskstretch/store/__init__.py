"""The store: SQLAlchemy tables, Alembic migrations and repository functions over core records.

Open one with ``open_store(settings.database_url)``; call ``store.repository`` functions on it.
"""

from deskstretch.store.db import Store, open_store
from deskstretch.store.db_errors import (
    StoreBusyError,
    StoreCorruptError,
    StoreError,
    StoreTooNewError,
    StoreUnreachableError,
)

__all__ = [
    "Store",
    "StoreBusyError",
    "StoreCorruptError",
    "StoreError",
    "StoreTooNewError",
    "StoreUnreachableError",
    "open_store",
]
