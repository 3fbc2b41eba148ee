"""``python -m deskstretch.reminders run|prompt``: the reminder service and its prompt process.

argparse only (no Typer): ``run`` is the long-running process and must stay small. ``prompt`` is
started by ``run`` for each reminder; it imports what it needs (Coach, desktop-notifier) itself.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m deskstretch.reminders",
        description="deskstretch break reminders (usually started by `deskstretch remind`).",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="wait for breaks and show reminders until stopped")
    run.add_argument(
        "--once",
        action="store_true",
        help="do one round (a due reminder included), print what happened as JSON and stop",
    )
    run.add_argument("--verbose", action="store_true", help="also log to the terminal")
    prompt = commands.add_parser("prompt", help="show one reminder and print the answer as JSON")
    prompt.add_argument("--kind", choices=("micro", "stretch", "problem"), required=True)
    prompt.add_argument("--message", default="", help="the text of a 'problem' note")
    return parser


def run_service(once: bool, verbose: bool) -> int:
    """Set up logging and the single-instance lock, then run the loop until stopped."""
    from deskstretch.config import Settings
    from deskstretch.reminders.breaklog import BreakLog
    from deskstretch.reminders.clock import SystemClock
    from deskstretch.reminders.desktop.busy import detect_busy
    from deskstretch.reminders.desktop.idle import describe_idle_monitor, detect_idle_monitor
    from deskstretch.reminders.launcher import SubprocessLauncher
    from deskstretch.reminders.lock import ServiceLock
    from deskstretch.reminders.logfile import setup_logging
    from deskstretch.reminders.service import ReminderService
    from deskstretch.system.filemodes import secure_tree

    settings = Settings.from_env()
    # Health data is the person's alone: fix files an older version left readable by others.
    secure_tree((settings.config_dir, settings.data_dir))
    log_file = setup_logging(settings.data_dir, verbose=verbose)
    lock = ServiceLock(settings.data_dir)
    last_alive = lock.heartbeat()
    if not lock.acquire():
        print(f"deskstretch reminders are already running (pid {lock.holder() or '?'}).")
        return 0
    try:
        idle = detect_idle_monitor()
        if sys.stderr.isatty() and not once:
            sys.stderr.write(
                f"deskstretch reminders are running ({describe_idle_monitor(idle)}).\n"
                f"Log: {log_file}. Press Ctrl+C to stop.\n"
            )
        service = ReminderService(
            settings,
            clock=SystemClock(),
            idle=idle,
            busy=detect_busy,
            launcher=SubprocessLauncher(),
            journal=BreakLog.in_folder(settings.data_dir),
            heartbeat=lock.touch,
            last_alive=last_alive,
            find_idle=detect_idle_monitor,
        )
        code = service.run(once=once)
        if once:
            due = service.due
            report = {
                "state": service.state,
                "due": None
                if due is None
                else {"at": due.at.isoformat(), "kind": due.break_kind.value, "reason": due.reason},
                # What this process has imported, so a test can hold the footprint promise.
                "modules": sorted(sys.modules),
            }
            print(json.dumps(report))
        return code
    finally:
        lock.release()


def main(argv: Sequence[str] | None = None) -> int:
    arguments = build_parser().parse_args(argv)
    from deskstretch.core.errors import DeskstretchError

    try:
        if arguments.command == "run":
            return run_service(arguments.once, arguments.verbose)
        from deskstretch.reminders.prompt import main as prompt_main

        return prompt_main(arguments.kind, arguments.message)
    except DeskstretchError as error:
        sys.stderr.write(f"deskstretch: error: {error.message}\n")
        return 1


if __name__ == "__main__":
    sys.exit(main())
