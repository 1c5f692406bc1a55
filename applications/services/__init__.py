"""Writes on applications, in small modules: status, drafts, submission, team.

Views, admin, tasks and commands call these; `change_status` stays importable from here.
"""

from applications.services.status import change_status

__all__ = ["change_status"]
