"""Typer command groups, one module each with ``register(app)``.

Heavy imports load inside the commands, so ``deskstretch --help`` stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from deskstretch.coach import Coach


def open_coach() -> Coach:
    """The Coach on the settings from the environment, imported only when a command runs."""
    from deskstretch.coach import Coach
    from deskstretch.config import Settings

    return Coach(Settings.from_env())
