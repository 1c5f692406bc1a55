"""Writes on applications, in small modules: status, drafts, submission, team.

Views, admin, tasks and commands call these; `change_status` stays importable from here.
"""

from applications.services.status import change_status, check_selection_allowed, publish_decision

__all__ = ["change_status", "check_selection_allowed", "publish_decision"]
