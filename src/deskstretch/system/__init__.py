"""Adapters to the computer: browser, espeak-ng, local time zone, private file modes.

Standard library only: the reminder service may use them while it waits.
"""
