"""The store: SQLAlchemy tables, Alembic migrations and repository functions over core records.

Open one with ``open_store(settings.database_url)``; call ``store.repository`` functions on it.
The names below are loaded on first use, so that importing ``deskstretch.store.lite`` (the
reminder service's standard-library reader) loads nothing else of the store.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from deskstretch.store.db import Store, open_store
    from deskstretch.store.db_errors import (
        StoreBusyError,
        StoreCorruptError,
        StoreError,
        StoreTooNewError,
        StoreUnreachableError,
    )

_HOMES = {
    "Store": "deskstretch.store.db",
    "open_store": "deskstretch.store.db",
    "StoreBusyError": "deskstretch.store.db_errors",
    "StoreCorruptError": "deskstretch.store.db_errors",
    "StoreError": "deskstretch.store.db_errors",
    "StoreTooNewError": "deskstretch.store.db_errors",
    "StoreUnreachableError": "deskstretch.store.db_errors",
}

__all__ = [
    "Store",
    "StoreBusyError",
    "StoreCorruptError",
    "StoreError",
    "StoreTooNewError",
    "StoreUnreachableError",
    "open_store",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value  # found directly from now on
    return value
