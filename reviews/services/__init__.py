"""Writes on reviews. Views, admin, commands and the demo call these.

Split by subject: assignment (automatic and by hand), conflicts of interest, scoring, reviewers.
"""

from reviews.services.assignment import AssignmentReport, ManualReport, assign_manually, assign_reviewers
from reviews.services.conflicts import declare_conflict, declare_own_conflict, detect_conflicts
from reviews.services.reviewers import remove_reviewer, save_reviewer_profile
from reviews.services.scoring import ReviewLocked, is_locked, save_review, weighted_score
from reviews.services.summaries import refresh_call_summaries, refresh_summaries

__all__ = [
    "AssignmentReport",
    "ManualReport",
    "ReviewLocked",
    "assign_manually",
    "assign_reviewers",
    "declare_conflict",
    "declare_own_conflict",
    "detect_conflicts",
    "is_locked",
    "refresh_call_summaries",
    "refresh_summaries",
    "remove_reviewer",
    "save_review",
    "save_reviewer_profile",
    "weighted_score",
]
