"""Read the reminder settings (``reminders.toml`` in the config folder): standard library only.

A missing file means the defaults. A broken one never stops reminders: the defaults are used and
``LoadedPolicy.problem`` says what is wrong, as ``file:line: field: expected ...``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from deskstretch.catalogue.toml_lines import locate_field, read_toml
from deskstretch.core.errors import FileFormatError
from deskstretch.core.schedule import Policy, default_policy, policy_from_mapping

POLICY_FILE = "reminders.toml"


@dataclass(frozen=True)
class LoadedPolicy:
    """The policy in force; ``problem`` is one line of text when it fell back to the defaults."""

    policy: Policy
    problem: str | None
    path: Path | None = None


def load_policy(config_dir: Path) -> LoadedPolicy:
    """The settings in ``config_dir/reminders.toml``, or the defaults (with the problem, if any)."""
    path = config_dir / POLICY_FILE
    if not path.exists() and not path.is_symlink():
        return LoadedPolicy(default_policy(), None, path)
    try:
        return LoadedPolicy(read_policy(path), None, path)
    except FileFormatError as error:
        return LoadedPolicy(default_policy(), error.message, path)


def read_policy(path: Path) -> Policy:
    """Parse and validate one settings file; FileFormatError names the line and the field."""
    data, text = read_toml(path)
    try:
        return policy_from_mapping(data, str(path))
    except FileFormatError as error:
        line = error.line or locate_field(text, error.field)
        raise FileFormatError(error.path, line, error.field, error.expected) from None
