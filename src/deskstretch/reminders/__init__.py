"""Break reminders through the work day: a small waiting service, a short-lived prompt process per
reminder, idle and busy detection, the break log and autostart.

The waiting service (``python -m deskstretch.reminders run``) imports only the standard library,
``deskstretch.core``, ``deskstretch.store.lite`` and the stdlib-only modules here (service,
breaklog, inputs, policy, clock, lock, logfile, and desktop/ idle, busy and probe); the prompt
process may import anything. Nothing is imported here.
"""
