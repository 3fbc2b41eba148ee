"""Break reminders through the work day: a small waiting service, a short-lived prompt process per
reminder, idle and busy detection, the break journal and autostart.

The waiting service (``python -m deskstretch.reminders run``) imports only the standard library,
``deskstretch.core`` and the stdlib-only modules here (service, journal, inputs, policy, idle,
busy, probe, logfile); the prompt process may import anything. Nothing is imported here.
"""
