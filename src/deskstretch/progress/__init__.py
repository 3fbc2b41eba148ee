"""Progress views over plain core records: a summary computed once, then dashboard, charts, report.

Only the summary is imported here; ``dashboard``, ``charts`` and ``report`` load Rich, matplotlib
and Jinja2 when a command imports them.
"""

from deskstretch.progress.summary import ProgressInput, ProgressSummary, summarise

__all__ = ["ProgressInput", "ProgressSummary", "summarise"]
