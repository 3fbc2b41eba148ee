"""Typer command groups, one module each with ``register(app)``.

Heavy imports load inside the commands, so ``deskstretch --help`` stays fast.
"""
