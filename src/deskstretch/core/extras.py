"""The optional parts of deskstretch (pip "extras"): what each one is for, which packages it brings,
and the one error that says exactly what to install when a feature needs one that is missing.

The base install carries the browser app, the terminal player, check-ins, reminders and the
SQLite store. Heavier parts are extras: ``postgres`` (psycopg, for ``DESKSTRETCH_DATABASE_URL``
pointing at PostgreSQL), ``charts`` (matplotlib, for ``progress --png/--svg``) and ``vision``
(mediapipe, OpenCV and numpy, for the photo measure and camera coaching); ``all`` is every one.
Finding a package here never imports it.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass

from deskstretch.core.errors import DeskstretchError


@dataclass(frozen=True)
class Extra:
    """One optional part: its name in ``deskstretch[NAME]``, what it is for (a noun phrase that
    fits "... needs"), and the modules it must provide with the package that installs each."""

    name: str
    purpose: str
    modules: tuple[tuple[str, str], ...]

    @property
    def install_hint(self) -> str:
        return (
            f"pip install 'deskstretch[{self.name}]' (with pipx: pipx install --force"
            f" 'deskstretch[{self.name}]'; in a source checkout: uv sync --extra {self.name})"
        )


POSTGRES = Extra(
    "postgres",
    "Storing your data in PostgreSQL (a postgresql:// DESKSTRETCH_DATABASE_URL)",
    (("psycopg", "psycopg"),),
)
CHARTS = Extra(
    "charts", "Saving chart files (progress --png or --svg)", (("matplotlib", "matplotlib"),)
)
VISION = Extra(
    "vision",
    "Measuring from photos or the camera",
    (("numpy", "numpy"), ("cv2", "opencv-python-headless"), ("mediapipe", "mediapipe")),
)
EXTRAS = (POSTGRES, CHARTS, VISION)


class ExtraMissing(DeskstretchError):
    """A feature was asked for without the optional part it needs installed."""

    def __init__(self, extra: Extra, missing: tuple[str, ...]) -> None:
        names = " and ".join((", ".join(missing[:-1]), missing[-1]) if missing[:-1] else missing)
        verb = "is" if len(missing) == 1 else "are"
        super().__init__(
            f"{extra.purpose} needs the optional '{extra.name}' part of deskstretch, and {names}"
            f" {verb} not installed. Install it with: {extra.install_hint}"
        )
        self.extra = extra
        self.missing = missing


def _installed(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):  # a parent is broken, or the module is blocked in sys.modules
        return False


def missing_packages(extra: Extra) -> tuple[str, ...]:
    """The extra's packages that cannot be found (by their install names); empty when all are."""
    return tuple(package for module, package in extra.modules if not _installed(module))


def require(extra: Extra) -> None:
    """Raise ``ExtraMissing`` unless every package of ``extra`` can be imported (cheap: the
    packages are found, not imported)."""
    missing = missing_packages(extra)
    if missing:
        raise ExtraMissing(extra, missing)


def unavailable_reason(extra: Extra) -> str | None:
    """What to install to use ``extra``'s features (``ExtraMissing``'s message), or None when
    it is installed: for pages and commands that offer a feature only where it can work."""
    missing = missing_packages(extra)
    return ExtraMissing(extra, missing).message if missing else None
