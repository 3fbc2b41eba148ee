"""Linux (and any system that is neither macOS nor Windows): a systemd user unit when the user
manager runs a graphical session (systemd.py), else an XDG autostart entry (xdg.py)."""

from __future__ import annotations

from deskstretch.reminders.autostart import systemd, xdg
from deskstretch.reminders.autostart.host import AutostartStatus, Host, not_installed


class LinuxAutostart:
    """The Backend for Linux: picks the systemd unit or the XDG entry, and removes both."""

    def install(self, host: Host, python: str) -> AutostartStatus:
        manager = systemd.find_manager(host)
        unit = systemd.unit_dir(host, manager) / systemd.UNIT_NAME
        # A unit installed earlier stays the choice, so re-installing from an ssh shell (no
        # graphical session there) updates it rather than switching to XDG autostart.
        if manager is not None and (manager.has_graphical_session or unit.exists()):
            xdg.remove_entry(host)
            return systemd.install_unit(host, manager, python)
        if unit.exists():
            systemd.write_unit(host, unit, python)
            return systemd.unit_status(host, None, unit)
        return xdg.install_entry(host, python)

    def remove(self, host: Host) -> None:
        systemd.remove_unit(host, systemd.find_manager(host))
        xdg.remove_entry(host)

    def status(self, host: Host) -> AutostartStatus:
        manager = systemd.find_manager(host)
        unit = systemd.unit_dir(host, manager) / systemd.UNIT_NAME
        if unit.exists():
            return systemd.unit_status(host, manager, unit)
        desktop = xdg.desktop_path(host)
        if desktop.exists():
            return xdg.entry_status(host, desktop)
        return not_installed(bool(list(xdg.service_pids(host, marked_only=False))))
